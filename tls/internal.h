// Internals of the TLS layer shared by its .cpp files (not part of the API).
#pragma once

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <cstdarg>
#include <cstdint>

#include "tls/tls.h"

// Normally set in tls/config/mcujs_mbedtls_config.h (documented there).
#ifndef MCUJS_TLS_SESSION_CACHE_SIZE
#define MCUJS_TLS_SESSION_CACHE_SIZE 4
#endif
#ifndef MCUJS_TLS_SESSION_MAX_LIFETIME_S
#define MCUJS_TLS_SESSION_MAX_LIFETIME_S 86400
#endif

namespace mcujs::tls {

// ---------------------------------------------------------------- sessions
// Resumable sessions, keyed by servername:port (tls/session_cache.cpp). An
// entry is only ever made from a handshake that verified servername, and
// only ever offered to a connection to the same servername and port.
constexpr size_t kSessionNameMax = 128;  // longer names are not cached
struct SessionEntry {
  bool used = false;
  uint16_t port = 0;
  uint64_t stored_ms = 0;   // monotonic: least recently stored is evicted
  uint64_t expires_ms = 0;  // monotonic: ticket lifetime (capped)
  char name[kSessionNameMax] = {};
  mbedtls_ssl_session session;
};
struct SessionCache {
  // Allocated (mbedtls_calloc) when first filled: an empty cache costs
  // MCUJS_TLS_SESSION_CACHE_SIZE pointers.
  SessionEntry* entries[MCUJS_TLS_SESSION_CACHE_SIZE] = {};
  // TLS 1.3 servers (a hash of name:port) that sent no ticket while a
  // closing client waited for one (TlsConnection::no_ticket_came): later
  // closes do not wait for them again, until one of them sends a ticket.
  uint32_t ticketless[MCUJS_TLS_SESSION_CACHE_SIZE] = {};
  uint8_t ticketless_next = 0;
};

// Shared by a TlsContext and the connections started from it: reference
// counted so that a connection outliving its context stays valid.
struct ContextImpl {
  port::Platform platform{};
  Options options{};
  mbedtls_ssl_config conf;
  mbedtls_x509_crt ca;  // the CA store; the head node is empty while ca_count == 0
  int ca_count = 0;
  int refs = 1;
  SessionCache sessions;
  HandshakeStats handshakes;
};

void release(ContextImpl* impl);

// What the verify callback saw, to explain a failure (Mbed TLS only gives
// the OR of every certificate's flags).
struct CertNote {
  int8_t depth = -1;  // -1: none recorded
  bool self_signed = false;
  char name[64] = {};  // subject (issuer for "untrusted")
  char date[20] = {};
};
struct VerifyNotes {
  CertNote expired, future, untrusted;
  char names[72] = {};  // the leaf's subjectAltNames, for a host name mismatch
  char leaf_is_ca[64] = {};  // the first certificate is an issued CA (the leaf was skipped): its subject
};

// What a ConnectOptions holds once something is set (tls/connect_options.cpp).
struct OptionsImpl {
  mbedtls_x509_crt ca;  // this connection's trust anchors (ca_count > 0)
  int ca_count = 0;
  mbedtls_x509_crt own_cert;  // client certificate chain (has_cert)
  int own_count = 0;
  mbedtls_pk_context own_key;
  bool has_cert = false;
  // ALPN: the names, NUL-separated, and the NULL-terminated list Mbed TLS takes.
  char alpn_names[ConnectOptions::kMaxAlpnBytes] = {};
  size_t alpn_used = 0;
  const char* alpn[ConnectOptions::kMaxAlpn + 1] = {};
  int alpn_count = 0;
  // The ssl configuration of connections using these options: the
  // context's policy (setup_config) plus the above. Built on first use.
  mbedtls_ssl_config conf;
  bool conf_ready = false;
};

struct ConnectionImpl {
  ContextImpl* ctx = nullptr;
  port::SocketId sock = -1;
  mbedtls_ssl_context ssl;
  uint64_t deadline = 0;
  uint32_t timeout_ms = 0;    // what deadline was set from, for the message
  uint64_t handshake_ns = 0;  // Clock::cpu_ns() spent in handshake steps
  int32_t port_error = 0;    // last socket error seen by the BIO callbacks
  size_t pending_write = 0;  // bytes of the caller's data in a record not fully sent
  bool io_blocked = false;   // the BIO hit kWouldBlock during the last call
  bool done = false, failed = false, peer_closed = false;
  bool ignore_time = false;  // insecure_no_wall_clock in effect
  bool cacheable = false;    // has a cache key (port given, name fits, resumption on)
  bool offered = false;      // a cached session was offered in the ClientHello
  bool saw_certificate = false;  // the server sent a Certificate: a full handshake
  bool resumed = false;
  uint8_t tickets = 0;       // TLS 1.3 NewSessionTickets received (saturating)
  uint16_t port = 0;         // the cache key: name:port
  char name[kSessionNameMax] = {};
  char host[64] = {};        // for messages (Mbed TLS keeps the full name)
  VerifyNotes notes;
  bool own_ca = false;       // verified against ConnectOptions' CA, not the context's store
  bool client_cert = false;  // ConnectOptions gave a client certificate
};

// ---------------------------------------------------------------- process-wide
// Mbed TLS's time and PSA's RNG hooks take no context, so the platform of the
// call in progress is published here for its duration (tls/clock.cpp).
class Scope {
 public:
  explicit Scope(const port::Platform* p);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  const port::Platform* prev_;
};
const port::Platform* current_platform();
void install_time_hooks();
// Refusal reason if the wall clock cannot be trusted (nullptr when fine).
const char* wall_clock_problem(const port::Platform& p, int64_t* now);

// The DRBG behind PSA and our ssl configs (tls/rng.cpp). Call inside a Scope.
int rng_seed();  // seeds once, reseeds from the current platform afterwards
void rng_release();
int rng_random(void* unused, unsigned char* out, size_t len);
// Counts live contexts; the last one frees PSA and the DRBG.
void process_ref();
void process_unref();

void cache_free(SessionCache& cache);
int cache_count(const SessionCache& cache, uint64_t now_ms);
// Offers the unexpired session for name:port to ssl (mbedtls_ssl_set_session);
// an expired one is dropped. Returns true if a session was offered. The
// entry stays until the handshake's outcome decides (tls/connection.cpp).
bool cache_offer(SessionCache& cache, const char* name, uint16_t port, uint64_t now_ms,
                 mbedtls_ssl_context* ssl);
// Stores the current session of ssl (mbedtls_ssl_get_session) for name:port,
// replacing that key's entry, else a free one, else the least recently
// stored. Returns 0 or an Mbed TLS error (the cache is unchanged then).
int cache_store(SessionCache& cache, const char* name, uint16_t port, uint64_t now_ms,
                const mbedtls_ssl_context* ssl);
void cache_forget(SessionCache& cache, const char* name, uint16_t port);
// The ticketless marks: set, clear (a ticket came), test.
void cache_mark_ticketless(SessionCache& cache, const char* name, uint16_t port, bool ticketless);
bool cache_is_ticketless(const SessionCache& cache, const char* name, uint16_t port);

// ---------------------------------------------------------------- PEM (tls/ca_store.cpp)
// Appends the PEM certificates in pem[0, len) to chain (count: how many it
// holds). All or nothing; returns the number added or -1 with err set.
int append_pem_certificates(mbedtls_x509_crt* chain, int* count, const char* pem, size_t len, Error* err);
// Parses the first PEM private key (PKCS#8, SEC1 or PKCS#1; unencrypted)
// into pk. Returns 0 or -1 with err set. Call inside a Scope.
int pem_private_key(mbedtls_pk_context* pk, const char* pem, size_t len, Error* err);
// The ssl configuration for connections of ctx using o: built on first use.
// Returns 0 or an Mbed TLS error.
int options_config(ContextImpl& ctx, OptionsImpl& o, mbedtls_ssl_config** out);

// ---------------------------------------------------------------- policy
int setup_config(mbedtls_ssl_config* conf, const Options& o);
const char* iana_suite_name(int id);
// The largest max_fragment_length (512..4096) this build can ask for: Mbed
// TLS applies it to both directions, so it must fit the smaller of
// MBEDTLS_SSL_IN_CONTENT_LEN and MBEDTLS_SSL_OUT_CONTENT_LEN.
uint16_t max_fragment_limit();

// ---------------------------------------------------------------- errors
void vlog(const port::Platform& p, port::LogLevel level, const char* fmt, va_list ap);
void log(const port::Platform& p, port::LogLevel level, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum class Phase : uint8_t { kHandshake, kData };
void describe_ssl_error(const ConnectionImpl& c, int ret, Phase phase, Error* err);
const char* x509_error_phrase(int ret);
void format_time(const mbedtls_x509_time& t, char out[20]);
bool is_alloc_error(int ret);

}  // namespace mcujs::tls
