// The per-context session cache: a handful of resumable sessions (TLS 1.3
// tickets, TLS 1.2 tickets or session ids), keyed by servername:port, with
// expiry and least-recently-stored eviction. Bounded: a fixed array of
// entries allocated when filled, each owning what mbedtls_ssl_get_session()
// allocated (ticket, leaf certificate, host name); docs/tls.md has the
// measured cost.
#include <mbedtls/platform.h>

#include <cstring>
#include <new>

#include "tls/internal.h"

namespace mcujs::tls {

namespace {

// A TLS 1.2 session without a lifetime hint (a session id, or a ticket with
// hint 0 = unspecified, RFC 5077 3.3) is kept this long.
constexpr uint32_t kUnspecifiedLifetimeS = 3600;

bool same_key(const SessionEntry* e, const char* name, uint16_t port) {
  return e && e->used && e->port == port && strcmp(e->name, name) == 0;
}

// Frees the entry (mbedtls_ssl_session_free zeroizes the secrets).
void drop(SessionEntry*& e) {
  if (!e) return;
  mbedtls_ssl_session_free(&e->session);
  e->~SessionEntry();
  mbedtls_free(e);
  e = nullptr;
}

bool expired(const SessionEntry* e, uint64_t now_ms) { return now_ms >= e->expires_ms; }

// Seconds the session may be offered, or 0 if it cannot resume anything.
uint32_t lifetime_s(const mbedtls_ssl_session& s) {
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
  uint32_t hint = s.MBEDTLS_PRIVATE(ticket_lifetime);
  bool ticket = s.MBEDTLS_PRIVATE(ticket) != nullptr && s.MBEDTLS_PRIVATE(ticket_len) > 0;
#else  // a build without tickets resumes TLS 1.2 by session id only
  uint32_t hint = 0;
  bool ticket = false;
#endif
  uint32_t life = 0;
  if (s.MBEDTLS_PRIVATE(tls_version) == MBEDTLS_SSL_VERSION_TLS1_3) {
    life = ticket ? hint : 0;  // RFC 8446: at most 7 days, 0 = do not use
  } else if (ticket) {
    life = hint ? hint : kUnspecifiedLifetimeS;
  } else if (s.MBEDTLS_PRIVATE(id_len) > 0) {
    life = kUnspecifiedLifetimeS;
  }
  return life > MCUJS_TLS_SESSION_MAX_LIFETIME_S ? MCUJS_TLS_SESSION_MAX_LIFETIME_S : life;
}

// FNV-1a of name:port; 0 is kept for "no mark". A collision only makes a
// closing client skip (or do) its bounded wait for a ticket.
uint32_t server_hash(const char* name, uint16_t port) {
  uint32_t h = 2166136261u;
  for (const char* p = name; *p; p++) h = (h ^ static_cast<uint8_t>(*p)) * 16777619u;
  h = (h ^ (port & 0xFF)) * 16777619u;
  h = (h ^ (port >> 8)) * 16777619u;
  return h ? h : 1;
}

}  // namespace

void cache_mark_ticketless(SessionCache& cache, const char* name, uint16_t port, bool ticketless) {
  uint32_t h = server_hash(name, port);
  for (uint32_t& m : cache.ticketless) {
    if (m != h) continue;
    if (!ticketless) m = 0;
    return;
  }
  if (!ticketless) return;
  cache.ticketless[cache.ticketless_next] = h;
  cache.ticketless_next = static_cast<uint8_t>((cache.ticketless_next + 1) % MCUJS_TLS_SESSION_CACHE_SIZE);
}

bool cache_is_ticketless(const SessionCache& cache, const char* name, uint16_t port) {
  uint32_t h = server_hash(name, port);
  for (uint32_t m : cache.ticketless)
    if (m == h) return true;
  return false;
}

void cache_free(SessionCache& cache) {
  for (SessionEntry*& e : cache.entries) drop(e);
}

int cache_count(const SessionCache& cache, uint64_t now_ms) {
  int n = 0;
  for (const SessionEntry* e : cache.entries) n += e && e->used && !expired(e, now_ms) ? 1 : 0;
  return n;
}

void cache_forget(SessionCache& cache, const char* name, uint16_t port) {
  for (SessionEntry*& e : cache.entries)
    if (same_key(e, name, port)) drop(e);
}

bool cache_offer(SessionCache& cache, const char* name, uint16_t port, uint64_t now_ms,
                 mbedtls_ssl_context* ssl) {
  for (SessionEntry*& e : cache.entries) {
    if (!same_key(e, name, port)) continue;
    if (expired(e, now_ms)) {
      drop(e);
      return false;
    }
    return mbedtls_ssl_set_session(ssl, &e->session) == 0;
  }
  return false;
}

int cache_store(SessionCache& cache, const char* name, uint16_t port, uint64_t now_ms,
                const mbedtls_ssl_context* ssl) {
  size_t len = strlen(name);
  if (len == 0 || len >= kSessionNameMax || port == 0) return MBEDTLS_ERR_SSL_BAD_INPUT_DATA;
  // The slot: this key's entry, else an empty or expired one, else the least
  // recently stored.
  SessionEntry** slot = nullptr;
  for (SessionEntry*& e : cache.entries)
    if (same_key(e, name, port)) slot = &e;
  for (SessionEntry*& e : cache.entries) {
    if (slot) break;
    if (!e || expired(e, now_ms)) slot = &e;
  }
  if (!slot) {
    slot = &cache.entries[0];
    for (SessionEntry*& e : cache.entries)
      if (e->stored_ms < (*slot)->stored_ms) slot = &e;
  }
  drop(*slot);
  void* mem = mbedtls_calloc(1, sizeof(SessionEntry));
  if (!mem) return MBEDTLS_ERR_SSL_ALLOC_FAILED;
  auto* e = new (mem) SessionEntry;
  mbedtls_ssl_session_init(&e->session);
  int ret = mbedtls_ssl_get_session(ssl, &e->session);
  uint32_t life = ret == 0 ? lifetime_s(e->session) : 0;
  if (ret != 0 || life == 0) {
    drop(e);
    return ret != 0 ? ret : MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
  }
  e->used = true;
  e->port = port;
  memcpy(e->name, name, len + 1);
  e->stored_ms = now_ms;
  e->expires_ms = now_ms + static_cast<uint64_t>(life) * 1000;
  *slot = e;
  return 0;
}

}  // namespace mcujs::tls
