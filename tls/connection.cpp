// TlsConnection: one non-blocking client connection over a port socket.
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>

#include <cstdio>
#include <cstring>
#include <new>

#include "tls/internal.h"

namespace mcujs::tls {

namespace {

constexpr int kMaxSpins = 16;  // bound on retries when Mbed TLS made progress without I/O

int bio_send(void* p, const unsigned char* buf, size_t len) {
  auto* c = static_cast<ConnectionImpl*>(p);
  int32_t n = c->ctx->platform.tcp->write(c->sock, buf, len);
  if (n > 0) return n;
  if (n == port::kWouldBlock) {
    c->io_blocked = true;
    return MBEDTLS_ERR_SSL_WANT_WRITE;
  }
  c->port_error = n == 0 ? port::kIo : n;
  return n == port::kReset || n == port::kClosed ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_SEND_FAILED;
}

int bio_recv(void* p, unsigned char* buf, size_t len) {
  auto* c = static_cast<ConnectionImpl*>(p);
  int32_t n = c->ctx->platform.tcp->read(c->sock, buf, len);
  if (n > 0) return n;
  if (n == port::kWouldBlock) {
    c->io_blocked = true;
    return MBEDTLS_ERR_SSL_WANT_READ;
  }
  if (n == port::kClosed || n == 0) return 0;  // end of stream: Mbed TLS decides if it was clean
  c->port_error = n;
  return n == port::kReset ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
}

void copy_name(char* out, size_t cap, const mbedtls_x509_name* dn) {
  if (mbedtls_x509_dn_gets(out, cap, dn) < 0) snprintf(out, cap, "?");
}

void note(CertNote& n, const mbedtls_x509_crt* crt, int depth, const mbedtls_x509_name* dn,
          const mbedtls_x509_time* date) {
  n.depth = static_cast<int8_t>(depth > 100 ? 100 : depth);
  copy_name(n.name, sizeof n.name, dn);
  if (date) format_time(*date, n.date);
  n.self_signed = crt->issuer_raw.len == crt->subject_raw.len &&
                  memcmp(crt->issuer_raw.p, crt->subject_raw.p, crt->issuer_raw.len) == 0;
}

// "DNS:a, DNS:b, IP:1.2.3.4" from the leaf's subjectAltName, truncated to fit.
void list_names(const mbedtls_x509_crt* crt, char* out, size_t cap) {
  size_t used = 0;
  out[0] = 0;
  for (const mbedtls_x509_sequence* s = &crt->subject_alt_names; s && s->buf.p && used + 1 < cap; s = s->next) {
    int tag = s->buf.tag & 0x1F;
    char item[48];
    if (tag == 2)
      snprintf(item, sizeof item, "DNS:%.*s", static_cast<int>(s->buf.len < 40 ? s->buf.len : 40), s->buf.p);
    else if (tag == 7 && s->buf.len == 4)
      snprintf(item, sizeof item, "IP:%u.%u.%u.%u", s->buf.p[0], s->buf.p[1], s->buf.p[2], s->buf.p[3]);
    else
      continue;
    int n = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", item);
    if (n < 0) break;
    used += static_cast<size_t>(n);
  }
  if (used == 0) {
    snprintf(out, cap, "subject ");
    copy_name(out + 8, cap - 8, &crt->subject);
  }
}

// Runs for each certificate of the chain, root first, leaf last: records
// what the error message will need, and forgives validity periods when the
// wall clock is unknown and insecure_no_wall_clock allows it.
int verify_cb(void* p, mbedtls_x509_crt* crt, int depth, uint32_t* flags) {
  auto* c = static_cast<ConnectionImpl*>(p);
  if (c->ignore_time) *flags &= ~static_cast<uint32_t>(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
  if (*flags & MBEDTLS_X509_BADCERT_EXPIRED) note(c->notes.expired, crt, depth, &crt->subject, &crt->valid_to);
  if (*flags & MBEDTLS_X509_BADCERT_FUTURE) note(c->notes.future, crt, depth, &crt->subject, &crt->valid_from);
  if (*flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) note(c->notes.untrusted, crt, depth, &crt->issuer, nullptr);
  if (depth == 0 && (*flags & MBEDTLS_X509_BADCERT_CN_MISMATCH))
    list_names(crt, c->notes.names, sizeof c->notes.names);
  // An issued CA certificate (not a self-signed one, which development
  // servers do use as their own) at depth 0 means Mbed TLS skipped the real
  // leaf (an unknown signature algorithm, e.g. MD5).
  bool self_signed = crt->issuer_raw.len == crt->subject_raw.len &&
                     memcmp(crt->issuer_raw.p, crt->subject_raw.p, crt->issuer_raw.len) == 0;
  if (depth == 0 && crt->MBEDTLS_PRIVATE(ca_istrue) && !self_signed && *flags != 0)
    copy_name(c->notes.leaf_is_ca, sizeof c->notes.leaf_is_ca, &crt->subject);
  return 0;
}

bool want_io(int ret) { return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE; }

uint64_t now_ms(const ConnectionImpl* c) { return c->ctx->platform.clock->monotonic_ms(); }

// Caches the session of an established connection (TLS 1.2 after the
// handshake, TLS 1.3 per NewSessionTicket), only if it was verified.
void remember(ConnectionImpl* c) {
  if (!c->cacheable) return;
  if (!c->ctx->options.insecure_skip_verify && mbedtls_ssl_get_verify_result(&c->ssl) != 0) return;
  cache_store(c->ctx->sessions, c->name, c->port, now_ms(c), &c->ssl);  // best effort
}

void forget(ConnectionImpl* c) {
  if (c->cacheable) cache_forget(c->ctx->sessions, c->name, c->port);
}

// A TLS 1.3 NewSessionTicket arrived (signalled because we opted in):
// cache it; the server sends tickets after all.
void on_ticket(ConnectionImpl* c) {
  if (c->tickets < UINT8_MAX) c->tickets++;
  if (c->cacheable) cache_mark_ticketless(c->ctx->sessions, c->name, c->port, false);
  remember(c);
}

// A failure after the handshake that must end the session (RFC 5246 7.2.2:
// fatal alerts invalidate it): not a plain end of stream or socket error.
bool ends_session(int ret) {
  return ret != 0 && ret != MBEDTLS_ERR_NET_CONN_RESET && ret != MBEDTLS_ERR_NET_SEND_FAILED &&
         ret != MBEDTLS_ERR_NET_RECV_FAILED && ret != MBEDTLS_ERR_SSL_CONN_EOF;
}

// mbedtls_ssl_handshake(), one step at a time, to see whether the server
// sent a Certificate (a full handshake) or not (resumed).
int run_handshake(ConnectionImpl* c) {
  int ret = 0;
  while (!mbedtls_ssl_is_handshake_over(&c->ssl)) {
    ret = mbedtls_ssl_handshake_step(&c->ssl);
    if (c->ssl.MBEDTLS_PRIVATE(state) == MBEDTLS_SSL_SERVER_CERTIFICATE) c->saw_certificate = true;
    if (ret != 0) break;
  }
  return ret;
}

// Before closing: processes every record that has already arrived, without
// waiting. Session tickets are cached (a client that writes, then closes
// without reading, would otherwise never see them); application data
// nobody will read is dropped (bounded: kMaxDrainReads reads); the peer's
// close_notify or a failure ends the connection's reading.
constexpr int kMaxDrainReads = 64;
void drain_unread(ConnectionImpl* c) {
  if (!c->done || c->failed || c->peer_closed) return;
  uint8_t sink[256];
  for (int i = 0; i < kMaxDrainReads; i++) {
    c->io_blocked = false;
    int ret = mbedtls_ssl_read(&c->ssl, sink, sizeof sink);
    if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
      on_ticket(c);
      continue;
    }
    if (ret > 0) continue;
    if (want_io(ret)) {
      if (c->io_blocked) return;  // nothing more has arrived
      continue;                   // progress without I/O (a record consumed)
    }
    if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
      c->peer_closed = true;
    } else {
      c->failed = true;
      if (ends_session(ret)) forget(c);
    }
    return;
  }
}

bool is_tls13(const ConnectionImpl* c) {
  return mbedtls_ssl_get_version_number(&c->ssl) == MBEDTLS_SSL_VERSION_TLS1_3;
}

void destroy(ConnectionImpl* c) {
  if (!c) return;
  ContextImpl* ctx = c->ctx;
  {
    Scope scope(&ctx->platform);
    mbedtls_ssl_free(&c->ssl);
    ctx->platform.tcp->close(c->sock);
  }
  delete c;
  release(ctx);  // may be the last reference
}

}  // namespace

TlsConnection::~TlsConnection() { destroy(impl_); }

bool TlsConnection::start(TlsContext& ctx, port::SocketId socket, const char* servername, Error* err,
                          uint16_t server_port, ConnectOptions* options, uint32_t handshake_timeout_ms) {
  Error local;
  if (!err) err = &local;
  ContextImpl* ci = ctx.impl();
  if (impl_) {
    err->set(Code::kBadInput, 0, "TLS connection already started");
    return false;
  }
  if (!ci) {
    err->set(Code::kInternal, 0, "TLS context is not initialised");
    return false;
  }
  if (!ci->platform.tcp) {
    err->set(Code::kInternal, 0, "the platform has no TCP");
    return false;
  }
  if (!servername || !*servername) {
    err->set(Code::kBadInput, 0, "empty host name");
    return false;
  }
  const Options& o = ci->options;
  OptionsImpl* oi = options ? options->impl() : nullptr;
  const bool own_ca = oi && oi->ca_count > 0;
  const int trusted = own_ca ? oi->ca_count : ci->ca_count;
  bool ignore_time = false;
  if (o.insecure_skip_verify) {
    log(ci->platform, port::LogLevel::kWarn,
        "WARNING: DEVELOPMENT HAZARD: certificate verification is OFF for '%s' (insecure_skip_verify); "
        "anyone can impersonate this server",
        servername);
  } else {
    if (trusted == 0) {
      err->set(Code::kCertUntrusted, 0, "no trusted CA certificates loaded: cannot verify '%s'", servername);
      return false;
    }
    int64_t now = 0;
    if (const char* why = wall_clock_problem(ci->platform, &now)) {
      if (!o.insecure_no_wall_clock) {
        err->set(Code::kClockNotSet, 0, "%s: cannot check certificate validity for '%s'", why, servername);
        return false;
      }
      log(ci->platform, port::LogLevel::kWarn,
          "WARNING: DEVELOPMENT HAZARD: %s; certificate validity periods are NOT checked for '%s' "
          "(insecure_no_wall_clock)",
          why, servername);
      ignore_time = true;
    }
  }
  auto* c = new (std::nothrow) ConnectionImpl;
  if (!c) {
    err->set(Code::kNoMemory, 0, "out of memory starting TLS");
    return false;
  }
  Scope scope(&ci->platform);
  c->ctx = ci;
  c->sock = socket;
  c->ignore_time = ignore_time;
  snprintf(c->host, sizeof c->host, "%s", servername);
  size_t name_len = strlen(servername);
  c->own_ca = own_ca;
  c->client_cert = oi && oi->has_cert;
  // A session verified against another trust store, or tied to a client
  // certificate, must not be offered to (or taken from) ordinary connections.
  c->cacheable = o.session_resumption && server_port != 0 && name_len < sizeof c->name && !own_ca &&
                 !(oi && oi->has_cert);
  if (c->cacheable) {
    memcpy(c->name, servername, name_len + 1);
    c->port = server_port;
  }
  mbedtls_ssl_init(&c->ssl);
  mbedtls_ssl_config* conf = &ci->conf;
  int ret = oi ? options_config(*ci, *oi, &conf) : 0;
  if (ret == 0) ret = mbedtls_ssl_setup(&c->ssl, conf);
  if (ret == 0) ret = mbedtls_ssl_set_hostname(&c->ssl, servername);
  // After set_hostname: 3.6 checks a TLS 1.3 ticket's name against it.
  if (ret == 0 && c->cacheable)
    c->offered = cache_offer(ci->sessions, c->name, c->port, ci->platform.clock->monotonic_ms(), &c->ssl);
  if (ret != 0) {
    if (is_alloc_error(ret))
      err->set(Code::kNoMemory, ret, "out of memory starting TLS (record buffers)");
    else
      err->set(Code::kBadInput, ret, "cannot use host name '%s' (-0x%04X)", c->host, static_cast<unsigned>(-ret));
    mbedtls_ssl_free(&c->ssl);
    delete c;
    return false;
  }
  mbedtls_ssl_set_bio(&c->ssl, c, bio_send, bio_recv, nullptr);
  mbedtls_ssl_set_verify(&c->ssl, verify_cb, c);
  c->timeout_ms = handshake_timeout_ms ? handshake_timeout_ms : o.handshake_timeout_ms;
  c->deadline = ci->platform.clock->monotonic_ms() + c->timeout_ms;
  ci->refs++;
  impl_ = c;
  return true;
}

TlsConnection::Step TlsConnection::handshake(Error* err) {
  Error local;
  if (!err) err = &local;
  ConnectionImpl* c = impl_;
  if (!c) {
    err->set(Code::kInternal, 0, "TLS connection not started");
    return Step::kFailed;
  }
  if (c->done) return Step::kDone;
  if (c->failed) {
    err->set(Code::kInternal, 0, "TLS handshake already failed");
    return Step::kFailed;
  }
  const port::Platform& p = c->ctx->platform;
  Scope scope(&p);
  if (p.clock->monotonic_ms() >= c->deadline) {
    c->failed = true;
    err->set(Code::kHandshakeTimeout, 0, "TLS handshake with '%s' timed out after %lu ms", c->host,
             static_cast<unsigned long>(c->timeout_ms));
    return Step::kFailed;
  }
  int ret = 0;
  for (int i = 0; i < kMaxSpins; i++) {
    c->io_blocked = false;
    uint64_t t0 = p.clock->cpu_ns();
    ret = run_handshake(c);
    c->handshake_ns += p.clock->cpu_ns() - t0;
    if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) on_ticket(c);  // not expected this early
    if (!(want_io(ret) || ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) || c->io_blocked) break;
  }
  if (ret == 0) {
    c->done = true;
    c->resumed = c->offered && !c->saw_certificate;
    HandshakeStats& hs = c->ctx->handshakes;
    (c->resumed ? hs.resumed : hs.full)++;
    (c->resumed ? hs.resumed_ns : hs.full_ns) += c->handshake_ns;
    // TLS 1.2: the session (maybe with a renewed ticket) replaces the entry.
    // TLS 1.3: the ticket was used (or refused) and is not offered again
    // (RFC 8446 C.4: reuse lets observers link connections); the tickets
    // of this connection arrive later, in read().
    if (!is_tls13(c))
      remember(c);
    else if (c->offered)
      forget(c);
    return Step::kDone;
  }
  if (want_io(ret) || ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) return Step::kInProgress;
  c->failed = true;
  // A refusal (alert, verification, protocol error) ends the session; a
  // network failure says nothing about it.
  if (ends_session(ret)) forget(c);
  describe_ssl_error(*c, ret, Phase::kHandshake, err);
  return Step::kFailed;
}

int32_t TlsConnection::read(uint8_t* buf, size_t len, Error* err) {
  Error local;
  if (!err) err = &local;
  ConnectionImpl* c = impl_;
  if (!c || !c->done || c->failed) {
    err->set(Code::kInternal, 0, "TLS connection is not open");
    return kError;
  }
  if (c->peer_closed || len == 0) return 0;
  if (len > 0x7fffffff) len = 0x7fffffff;
  Scope scope(&c->ctx->platform);
  int ret = 0;
  for (int i = 0; i < kMaxSpins; i++) {
    c->io_blocked = false;
    ret = mbedtls_ssl_read(&c->ssl, buf, len);
    // A TLS 1.3 NewSessionTicket: cached, never shown to the caller.
    // Post-handshake messages are consumed without I/O blocking: go on, or
    // the poller would not know to wake us.
    if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) on_ticket(c);
    if (!(want_io(ret) || ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) || c->io_blocked) break;
  }
  if (ret > 0) return ret;
  if (want_io(ret) || ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) return port::kWouldBlock;
  if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
    c->peer_closed = true;
    return 0;
  }
  c->failed = true;
  if (ends_session(ret)) forget(c);
  describe_ssl_error(*c, ret, Phase::kData, err);  // 0 here: EOF without close_notify
  return kError;
}

int32_t TlsConnection::write(const uint8_t* buf, size_t len, Error* err) {
  Error local;
  if (!err) err = &local;
  ConnectionImpl* c = impl_;
  if (!c || !c->done || c->failed) {
    err->set(Code::kInternal, 0, "TLS connection is not open");
    return kError;
  }
  if (len == 0) return 0;
  if (c->pending_write > len) {
    err->set(Code::kBadInput, 0, "write() after kWouldBlock must repeat the same data");
    return kError;
  }
  Scope scope(&c->ctx->platform);
  // A record that is not ours (an alert from read()) is still going out:
  // finish it first, or Mbed TLS would report our data as sent.
  if (c->pending_write == 0 && c->ssl.MBEDTLS_PRIVATE(out_left) != 0) {
    int r = mbedtls_ssl_write(&c->ssl, buf, 0);
    if (want_io(r)) return port::kWouldBlock;
    if (r < 0) {
      c->failed = true;
      if (ends_session(r)) forget(c);
      describe_ssl_error(*c, r, Phase::kData, err);
      return kError;
    }
  }
  size_t n = c->pending_write ? c->pending_write : len;
  if (n > 0x7fffffff) n = 0x7fffffff;
  int ret = mbedtls_ssl_write(&c->ssl, buf, n);
  if (ret > 0) {
    c->pending_write = 0;
    return ret;
  }
  if (want_io(ret)) {
    // The record holding min(n, max payload) bytes is built; only its
    // sending is pending. The next call must hand the same bytes again.
    if (c->pending_write == 0 && c->ssl.MBEDTLS_PRIVATE(out_left) != 0) {
      int max = mbedtls_ssl_get_max_out_record_payload(&c->ssl);
      c->pending_write = max > 0 && n > static_cast<size_t>(max) ? static_cast<size_t>(max) : n;
    }
    return port::kWouldBlock;
  }
  c->failed = true;
  if (ends_session(ret)) forget(c);
  describe_ssl_error(*c, ret, Phase::kData, err);
  return kError;
}

size_t TlsConnection::available() const {
  return impl_ && impl_->done ? mbedtls_ssl_get_bytes_avail(&impl_->ssl) : 0;
}

bool TlsConnection::settle_before_close() {
  ConnectionImpl* c = impl_;
  if (!c) return false;
  Scope scope(&c->ctx->platform);
  drain_unread(c);
  return c->done && !c->failed && !c->peer_closed && c->cacheable && c->tickets == 0 && is_tls13(c) &&
         !cache_is_ticketless(c->ctx->sessions, c->name, c->port);
}

void TlsConnection::no_ticket_came() {
  ConnectionImpl* c = impl_;
  // Not after a resumed handshake: the server issues tickets (this one came
  // from it), so this ticket was only late (a slow link, a busy server);
  // marking it would end resumption for every later connection.
  if (c && c->cacheable && c->tickets == 0 && !c->resumed)
    cache_mark_ticketless(c->ctx->sessions, c->name, c->port, true);
}

void TlsConnection::close() {
  if (!impl_) return;
  if (impl_->done && !impl_->failed) {
    Scope scope(&impl_->ctx->platform);
    drain_unread(impl_);  // tickets that have arrived are kept, not thrown away
  }
  if (impl_->done && !impl_->failed) {
    Scope scope(&impl_->ctx->platform);
    mbedtls_ssl_close_notify(&impl_->ssl);  // best effort: one non-blocking attempt
    // Discard what arrived meanwhile: closing a socket with unread data
    // sends RST instead of FIN, and the server may then drop our last
    // records.
    uint8_t sink[256];
    port::Tcp* tcp = impl_->ctx->platform.tcp;
    for (int i = 0; i < 64 && tcp->read(impl_->sock, sink, sizeof sink) > 0; i++) {
    }
  }
  destroy(impl_);
  impl_ = nullptr;
}

const char* TlsConnection::protocol() const {
  return impl_ && impl_->done ? mbedtls_ssl_get_version(&impl_->ssl) : "";
}

const char* TlsConnection::alpn() const {
#if defined(MBEDTLS_SSL_ALPN)
  const char* p = impl_ && impl_->done ? mbedtls_ssl_get_alpn_protocol(&impl_->ssl) : nullptr;
  return p ? p : "";
#else
  return "";
#endif
}

bool TlsConnection::resumed() const { return impl_ && impl_->done && impl_->resumed; }

const char* TlsConnection::cipher() const {
  return impl_ && impl_->done ? iana_suite_name(mbedtls_ssl_get_ciphersuite_id_from_ssl(&impl_->ssl)) : "";
}

}  // namespace mcujs::tls
