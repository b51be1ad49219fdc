// The TLS layer: Mbed TLS 3.6 behind a small, non-blocking interface.
//
// TlsContext holds what all connections of one runtime share: the DRBG (seeded
// only from a strong port entropy source; process-wide in fact, because PSA's
// RNG is: see docs/tls.md), the CA store and the policy
// (TLS 1.3/1.2, ECDHE, AEAD, strict verification). TlsConnection runs one
// client connection over an already connected port socket; every call returns
// at once (kWouldBlock when it needs more I/O), so the event loop keeps
// running timers during a handshake.
#pragma once

#include <cstddef>
#include <cstdint>

#include "port/port.h"

namespace mcujs::tls {

// Stable error codes, exposed to JavaScript as TLSError.code.
enum class Code : uint8_t {
  kNone = 0,
  kCertExpired,           // CERT_EXPIRED
  kCertNotYetValid,       // CERT_NOT_YET_VALID
  kCertHostnameMismatch,  // CERT_HOSTNAME_MISMATCH
  kCertUntrusted,         // CERT_UNTRUSTED (unknown root, self-signed, broken chain)
  kCertInvalid,           // CERT_INVALID (bad signature, not a CA, bad key usage...)
  kHandshakeTimeout,      // HANDSHAKE_TIMEOUT
  kProtocolVersion,       // PROTOCOL_VERSION (peer offers no TLS 1.2/1.3)
  kHandshakeFailure,      // HANDSHAKE_FAILURE (no common suite/group, alert...)
  kConnectionReset,       // CONNECTION_RESET
  kTruncated,             // TRUNCATED (stream ended without close_notify)
  kEntropy,               // ENTROPY (no strong entropy source)
  kNoMemory,              // NO_MEMORY
  kBadInput,              // BAD_INPUT (invalid PEM, empty host name...)
  kInternal,              // INTERNAL
  kClockNotSet,           // CLOCK_NOT_SET (no wall clock: validity periods cannot be checked)
  kProtocolError,         // PROTOCOL_ERROR (bad record or fatal alert after the handshake)
  kCertSignatureAlgorithm,       // CERT_SIGNATURE_ALGORITHM (MD5, SHA-1 or an unknown signature)
  kCertUnknownCriticalExtension, // CERT_UNKNOWN_CRITICAL_EXTENSION
  kCertKeyTooLarge,              // CERT_KEY_TOO_LARGE (RSA above 4096 bits)
  kCertChainTooLarge,            // CERT_CHAIN_TOO_LARGE (Certificate message over the input buffer)
};

const char* code_name(Code code);  // "CERT_EXPIRED", ...

struct Error {
  Code code = Code::kNone;
  int mbedtls_error = 0;   // negative Mbed TLS error number, 0 if none
  int32_t port_error = 0;  // PortError from the socket layer, 0 if none
  uint32_t verify_flags = 0;  // MBEDTLS_X509_BADCERT_* flags when a cert failed
  char message[160] = {};  // readable, one line

  void set(Code c, int mbed, const char* fmt, ...) __attribute__((format(printf, 4, 5)));
};

struct Options {
  // Refuse to start without a strong entropy source, unless this is set. The
  // name says what it is: a development hazard; every use warns.
  bool insecure_entropy = false;
  // Skip certificate verification. Development hazard: warns on every
  // connection. Never the default.
  bool insecure_skip_verify = false;
  uint32_t handshake_timeout_ms = 10000;
  // Record size requested from TLS 1.2 servers (max_fragment_length); 0
  // (default): none. Mbed TLS 3.6 takes 512, 1024, 2048 or 4096, at most the
  // smaller of the build's IN/OUT content lengths. Only for servers known to
  // speak TLS 1.2: OpenSSL echoes the extension in TLS 1.3 and 3.6.6 then
  // fails the handshake (UNSUPPORTED_EXTENSION; docs/tls.md). TLS 1.3's
  // record_size_limit always advertises the build's
  // MBEDTLS_SSL_IN_CONTENT_LEN.
  uint16_t max_fragment = 0;
  // Without a wall clock (port::Clock::wall_time() false, or a time before
  // 2025) connections fail with kClockNotSet, because certificate validity
  // periods cannot be checked. This accepts them without that check instead.
  // Development hazard: warns on every connection.
  bool insecure_no_wall_clock = false;
  // Session resumption (TLS 1.3 tickets with psk_dhe_ke, TLS 1.2 tickets
  // and session ids) from a small per-context cache keyed by server name
  // and port (see docs/tls.md). false: every connection does a full
  // handshake and no tickets are requested.
  bool session_resumption = true;
};

class CaStore;
struct ContextImpl;

// Per-runtime TLS state. Not copyable.
// Completed handshakes of a context and the CPU they took, from
// port::Clock::cpu_ns() (instructions on the emulated board under -icount;
// waiting for the network is not counted). For the firmware's budget report.
struct HandshakeStats {
  uint32_t full = 0;
  uint32_t resumed = 0;
  uint64_t full_ns = 0;
  uint64_t resumed_ns = 0;
};

class TlsContext {
 public:
  TlsContext() = default;
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Seeds the DRBG from platform.entropy. Fails with Code::kEntropy when the
  // source is not strong and options.insecure_entropy is not set.
  bool init(const port::Platform& platform, const Options& options, Error* err);
  bool ready() const { return impl_ != nullptr; }

  // Adds one or more PEM certificates (concatenated in one string) to the CA
  // store. All or nothing: on failure the store is unchanged and err names
  // the parse failure. Returns the number of certificates added.
  int add_ca_pem(const char* pem, size_t len, Error* err);
  int ca_count() const;

  // Cached sessions (at most MCUJS_TLS_SESSION_CACHE_SIZE) and forgetting
  // them all (e.g. after the trust store changed its meaning).
  int session_count() const;
  HandshakeStats handshakes() const;
  void clear_sessions();

  const Options& options() const;
  const port::Platform& platform() const;
  ContextImpl* impl() { return impl_; }

 private:
  ContextImpl* impl_ = nullptr;
};

// Summary of the peer's leaf certificate, filled after the handshake.
struct PeerCert {
  char subject[128] = {};
  char issuer[128] = {};
  char valid_from[20] = {};  // "YYYY-MM-DD HH:MM:SS" (UTC)
  char valid_to[20] = {};
  char serial[64] = {};
  char sha256[65] = {};      // hex fingerprint of the DER
};

struct OptionsImpl;

// Per-connection settings (tls.connect's options): trust anchors for this
// connection only, used instead of the context's store; a client
// certificate chain and its private key; ALPN protocol names. PEM is parsed
// when set, so bad input fails before connecting.
// Owned by the caller; must outlive every TlsConnection started with it.
// A connection with its own CA or a client certificate is never resumed
// from, nor stored in, the context's session cache: a session verified
// against one trust store must not be offered to a connection using another.
class ConnectOptions {
 public:
  static constexpr int kMaxAlpn = 8;             // protocol names
  static constexpr size_t kMaxAlpnBytes = 256;   // all names, NUL-separated

  ConnectOptions() = default;
  ~ConnectOptions();
  ConnectOptions(const ConnectOptions&) = delete;
  ConnectOptions& operator=(const ConnectOptions&) = delete;

  // One or more PEM CA certificates (all or nothing). Returns how many were
  // added, or -1 with err set.
  int add_ca_pem(const char* pem, size_t len, Error* err);
  // A client certificate (PEM; the leaf first, then any intermediates) and
  // its private key (PEM; ECDSA P-256/P-384 or RSA, unencrypted). The key
  // must match the certificate. ctx: an initialised context (key parsing
  // uses its crypto and random generator).
  bool set_client_cert(TlsContext& ctx, const char* cert_pem, size_t cert_len, const char* key_pem,
                       size_t key_len, Error* err);
  // Appends an ALPN protocol name (1..255 bytes, no NUL), in preference order.
  bool add_alpn(const char* name, size_t len, Error* err);

  bool has_ca() const;
  bool has_client_cert() const;
  int alpn_count() const;
  OptionsImpl* impl() { return impl_; }

 private:
  bool ensure(Error* err);
  OptionsImpl* impl_ = nullptr;  // allocated when something is set
};

struct ConnectionImpl;

class TlsConnection {
 public:
  enum class Step : uint8_t { kInProgress, kDone, kFailed };

  TlsConnection() = default;
  ~TlsConnection();  // closes without close_notify if still open
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  // Takes ownership of a connected socket and prepares a client handshake
  // with SNI and host name verification against servername. The handshake
  // deadline starts now. On failure the socket stays the caller's.
  // server_port (the TCP port connected to) completes the session cache key
  // servername:port; with 0 the connection neither resumes nor caches.
  // options (may be null) must outlive the connection. handshake_timeout_ms:
  // 0 for the context's Options::handshake_timeout_ms.
  bool start(TlsContext& ctx, port::SocketId socket, const char* servername, Error* err,
             uint16_t server_port = 0, ConnectOptions* options = nullptr, uint32_t handshake_timeout_ms = 0);

  // Advances the handshake without blocking.
  Step handshake(Error* err);

  // What read() and write() return on failure, with err set. Not -1: that
  // value is port::kWouldBlock.
  static constexpr int32_t kError = port::kIo;

  // Bytes read (> 0); 0 after the peer's close_notify; port::kWouldBlock; or
  // kError with err set (kTruncated when the stream ended without close_notify).
  int32_t read(uint8_t* buf, size_t len, Error* err);
  // Bytes written (> 0, possibly fewer than len); port::kWouldBlock; or kError.
  // After kWouldBlock, call again with the same data: Mbed TLS may already
  // have encrypted part of it into a record that is still being sent.
  int32_t write(const uint8_t* buf, size_t len, Error* err);
  // Decrypted bytes buffered and readable without I/O.
  size_t available() const;

  // Sends close_notify (best effort, non-blocking) and closes the socket.
  // Records that already arrived are processed first: a session ticket
  // among them is cached, unread application data dropped.
  void close();
  // For a client about to close (photon's stop()): a TLS 1.3 server sends
  // its session tickets after the handshake, typically while the client
  // writes its request; one that closes without reading would lose them and
  // pay a full handshake next time. Processes what has arrived (caching
  // tickets, dropping unread application data: call it only on the way to
  // close()) and returns true while a ticket is still worth waiting for:
  // TLS 1.3, resumption on, none received yet, the connection still open,
  // and the server not marked as sending none. No I/O wait here: the caller
  // waits for the socket (bounded) and calls again (net::Connection::
  // await_ticket).
  bool settle_before_close();
  // The caller's wait ended without a ticket: marks this server (name:port)
  // so that later closes do not wait for it again, until it sends one; not
  // after a resumed handshake (the server issues tickets: this one was late).
  void no_ticket_came();
  bool open() const { return impl_ != nullptr; }

  const char* protocol() const;  // "TLSv1.3" / "TLSv1.2"
  const char* cipher() const;    // IANA suite name
  // The ALPN protocol the server selected, or "" (none offered or chosen).
  const char* alpn() const;
  // The handshake resumed a cached session (TLS 1.3 PSK with (EC)DHE, or a
  // TLS 1.2 ticket / session id): the server sent no certificate this time;
  // the session was verified for the same servername when it was created.
  bool resumed() const;
  bool peer_cert(PeerCert* out) const;

 private:
  ConnectionImpl* impl_ = nullptr;
};

}  // namespace mcujs::tls
