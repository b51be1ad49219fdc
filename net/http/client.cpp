#include "net/http/client.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "net/http/request.h"

namespace mcujs::net::http {

namespace {

constexpr size_t kReadChunk = 1024;   // stack buffer per read
constexpr int kReadsPerEvent = 16;    // then yield to the loop (timers) and resume
constexpr size_t kFirstBodyCap = 1024;

size_t align_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

}  // namespace

Allocator system_allocator() {
  Allocator a;
  a.alloc = [](void*, size_t n) { return malloc(n); };
  a.realloc = [](void*, void* p, size_t n) { return realloc(p, n); };
  a.free = [](void*, void* p) { ::free(p); };
  return a;
}

// ------------------------------------------------------------------ Exchange

Exchange::Exchange(Client& client, ExchangeObserver* obs, char* head, size_t head_cap, Field* fields,
                   size_t max_fields)
    : client_(client), obs_(obs), parser_(head, head_cap, fields, max_fields) {}

uint8_t* Exchange::take_body(size_t* len) {
  *len = body_size_;
  uint8_t* b = body_;
  body_ = nullptr;
  body_cap_ = body_size_ = 0;
  return b;
}

void Exchange::fail(const char* code, const char* fmt, ...) {
  error_.code = code;
  error_.tls = false;
  error_.mbedtls_error = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(error_.message, sizeof error_.message, fmt, ap);
  va_end(ap);
  finish();
}

void Exchange::fail_with(const Error& e) {
  error_ = e;
  if (e.code && strcmp(e.code, "CONNECT_TIMEOUT") == 0) {
    fail("TIMEOUT", "connect to %s:%u timed out", host_, static_cast<unsigned>(port_));
    return;
  }
  if (!error_.code) error_.code = "UNKNOWN";
  finish();
}

// Done (either way): the connection goes back to the pool or is closed, and
// the observer hears about it. Nothing touches `this` after the callback.
void Exchange::finish() {
  if (phase_ != Phase::kActive) return;
  phase_ = Phase::kDone;
  if (conn_) {
    client_.bury(conn_);
    conn_ = nullptr;
  }
  if (obs_) obs_->on_exchange_done(*this);
}

void Exchange::complete(bool leftover) {
  if (phase_ != Phase::kActive) return;
  bool reusable = parser_.keep_alive() && !leftover && sent_ == req_len_ + req_body_len_ && conn_ &&
                  conn_->conn.is_open() && client_.config_.max_idle > 0 && !tls_options_;
  if (reusable) {
    client_.park(conn_);
    conn_ = nullptr;
  }
  finish();
}

// Stale keep-alive connections are a fact of life: the server may close an
// idle connection just as we reuse it. If nothing of the response arrived,
// the request is sent again once on a fresh connection.
bool Exchange::retry() {
  if (!reused_ || retried_ || parser_.started()) return false;
  retried_ = true;
  reused_ = false;
  client_.bury(conn_);
  conn_ = nullptr;
  sent_ = 0;
  parser_.reset(head_request_);
  Error err;
  if (!client_.open(*this, &err)) fail_with(err);
  return true;
}

void Exchange::on_connection_failed() {
  if (retry()) return;
  if (conn_->conn.error().set()) return fail_with(conn_->conn.error());
  fail("CONNECTION_CLOSED", "connection to %s:%u closed", host_, static_cast<unsigned>(port_));
}

void Exchange::on_eof() {
  if (retry()) return;
  ResponseParser::Result r = parser_.finish();
  if (r.event == ResponseParser::Event::kDone) {
    complete(false);
  } else {
    fail("CONNECTION_CLOSED", "%s:%u closed the connection before the response was complete", host_,
         static_cast<unsigned>(port_));
  }
}

bool Exchange::on_head() {
  if (parser_.body() != ResponseParser::Body::kLength) return true;
  uint64_t n = parser_.content_length();
  if (n > max_body_) {
    fail("BODY_TOO_LARGE", "response body of %lu bytes exceeds the limit of %lu bytes",
         static_cast<unsigned long>(n), static_cast<unsigned long>(max_body_));
    return false;
  }
  // Known size: one allocation of exactly that (plus the NUL).
  body_ = static_cast<uint8_t*>(client_.alloc(static_cast<size_t>(n) + 1));
  if (!body_) {
    fail("NO_MEMORY", "no memory for a response body of %lu bytes", static_cast<unsigned long>(n));
    return false;
  }
  body_cap_ = static_cast<size_t>(n) + 1;
  body_[0] = 0;
  return true;
}

bool Exchange::append(const uint8_t* data, size_t len) {
  if (len > max_body_ - body_size_) {
    fail("BODY_TOO_LARGE", "response body exceeds the limit of %lu bytes", static_cast<unsigned long>(max_body_));
    return false;
  }
  size_t need = body_size_ + len + 1;
  if (need > body_cap_) {
    size_t cap = body_cap_ ? body_cap_ * 2 : kFirstBodyCap;
    if (cap < need) cap = need;
    if (cap > max_body_ + 1) cap = max_body_ + 1;
    auto* nb = static_cast<uint8_t*>(client_.alloc_.realloc(client_.alloc_.opaque, body_, cap));
    if (!nb) {
      fail("NO_MEMORY", "no memory for a response body of %lu bytes", static_cast<unsigned long>(need - 1));
      return false;
    }
    body_ = nb;
    body_cap_ = cap;
  }
  memcpy(body_ + body_size_, data, len);
  body_size_ += len;
  body_[body_size_] = 0;
  return true;
}

// Feeds received bytes to the parser; false once the exchange has finished.
bool Exchange::feed(const uint8_t* data, size_t len) {
  size_t off = 0;
  for (;;) {
    ResponseParser::Result r = parser_.feed(data + off, len - off);
    off += r.consumed;
    switch (r.event) {
      case ResponseParser::Event::kNeedMore:
        return true;
      case ResponseParser::Event::kHead:
        if (!on_head()) return false;
        break;
      case ResponseParser::Event::kBody:
        if (!append(r.data, r.len)) return false;
        break;
      case ResponseParser::Event::kDone:
        complete(off < len);
        return false;
      case ResponseParser::Event::kError: {
        ParseError e = parser_.error();
        const char* code = e == ParseError::kHeadTooLarge || e == ParseError::kTooManyHeaders ||
                                   e == ParseError::kTrailersTooLarge
                               ? "HEADERS_TOO_LARGE"
                               : "BAD_RESPONSE";
        fail(code, "invalid response from %s:%u: %s", host_, static_cast<unsigned>(port_),
             parse_error_message(e));
        return false;
      }
    }
  }
}

// Writes what it can, then reads what is there.
void Exchange::pump() {
  Connection& c = conn_->conn;
  size_t total = req_len_ + req_body_len_;
  while (sent_ < total) {
    const uint8_t* p = sent_ < req_len_ ? req_ + sent_ : req_body_ + (sent_ - req_len_);
    size_t n = sent_ < req_len_ ? req_len_ - sent_ : total - sent_;
    int32_t w = c.write(p, n);
    if (w <= 0 && c.state() != Connection::State::kOpen) return on_connection_failed();
    if (w <= 0) break;
    sent_ += static_cast<size_t>(w);
  }
  uint8_t buf[kReadChunk];
  for (int i = 0; i < kReadsPerEvent; i++) {
    int32_t n = c.read(buf, sizeof buf);
    if (n < 0 && c.state() != Connection::State::kOpen) return on_connection_failed();
    if (n < 0) return;  // would block
    if (n == 0) return on_eof();
    if (!feed(buf, static_cast<size_t>(n))) return;
  }
  // More may be waiting; the socket will not wake us for it (edge-like
  // poller), so come back from Client::poll after the loop's other work.
  kick_ = true;
}

void Exchange::on_connection_event(Connection& c) {
  if (phase_ != Phase::kActive || !conn_ || &c != &conn_->conn) return;
  if (c.state() == Connection::State::kFailed) return on_connection_failed();
  if (!c.is_open()) return;
  resumed_ = c.is_tls() && c.tls().resumed();
  pump();
}

// ------------------------------------------------------------------ Client

Client::Client(core::EventLoop& loop, const Allocator& alloc, const ClientConfig& config)
    : loop_(loop), alloc_(alloc) {
  set_config(config);
  loop_.add(this);
}

Client::~Client() {
  loop_.remove(this);
  while (exchanges_) destroy(exchanges_);
  close_idle();
  sweep();
}

void Client::set_config(const ClientConfig& c) {
  config_ = c;
  if (config_.max_idle > ClientConfig::kMaxIdleLimit) config_.max_idle = ClientConfig::kMaxIdleLimit;
  if (config_.max_head_bytes < 64) config_.max_head_bytes = 64;
  if (config_.max_fields < 1) config_.max_fields = 1;
  // Idle connections beyond the new limit are closed.
  uint8_t kept = 0;
  for (Idle& i : idle_) {
    if (!i.pc) continue;
    if (kept < config_.max_idle) {
      kept++;
    } else {
      bury(i.pc);
      i = Idle{};
    }
  }
}

Client::Stats Client::stats() const {
  Stats s = stats_;
  s.idle = 0;
  for (const Idle& i : idle_) s.idle += i.pc && !i.dead ? 1 : 0;
  return s;
}

void Client::close_idle() {
  for (Idle& i : idle_) {
    if (i.pc) bury(i.pc);
    i = Idle{};
  }
}

void Client::destroy(PooledConnection* pc) {
  pc->~PooledConnection();
  free(pc);
}

// Closes now, frees later (we may be inside the connection's own poll()).
void Client::bury(PooledConnection* pc) {
  pc->conn.set_listener(nullptr);
  pc->conn.close();
  pc->next_dead = dead_;
  dead_ = pc;
}

void Client::sweep() {
  while (dead_) {
    PooledConnection* pc = dead_;
    dead_ = pc->next_dead;
    destroy(pc);
  }
}

void Client::destroy(Exchange* ex) {
  if (ex->prev_) ex->prev_->next_ = ex->next_; else exchanges_ = ex->next_;
  if (ex->next_) ex->next_->prev_ = ex->prev_;
  if (ex->conn_) bury(ex->conn_);
  free(ex->body_);
  ex->~Exchange();
  free(ex);
}

void Client::Idle::on_connection_event(Connection& c) {
  // An idle connection must stay silent: data, EOF or an error all mean the
  // server is done with it.
  if (dead) return;
  uint8_t b;
  if (c.state() != Connection::State::kOpen || c.read(&b, 1) >= 0 || c.state() != Connection::State::kOpen) {
    dead = true;
    c.set_listener(nullptr);
    c.close();
  }
}

PooledConnection* Client::take_idle(const Exchange& ex) {
  Idle* best = nullptr;
  uint64_t now = loop_.now();
  for (Idle& i : idle_) {
    if (!i.pc || i.dead || !i.pc->conn.is_open() || now - i.since >= config_.idle_timeout_ms) continue;
    const Connection& c = i.pc->conn;
    if (c.is_tls() != (ex.tls_ != nullptr) || c.port() != ex.port_ || strcmp(c.host(), ex.host_) != 0) continue;
    if (!best || i.since > best->since) best = &i;  // the most recently used
  }
  if (!best) return nullptr;
  PooledConnection* pc = best->pc;
  *best = Idle{};
  return pc;
}

void Client::park(PooledConnection* pc) {
  Idle* slot = nullptr;
  for (int k = 0; k < config_.max_idle; k++) {
    Idle& i = idle_[k];
    if (!i.pc || i.dead) {
      slot = &i;
      break;
    }
    if (!slot || i.since < slot->since) slot = &i;  // else evict the oldest
  }
  if (!slot) return bury(pc);
  if (slot->pc) bury(slot->pc);
  *slot = Idle{};
  slot->pc = pc;
  slot->since = loop_.now();
  pc->conn.set_busy(false);
  pc->conn.set_listener(slot);
}

bool Client::open(Exchange& ex, Error* err) {
  PooledConnection* pc = ex.retried_ || ex.tls_options_ ? nullptr : take_idle(ex);
  if (pc) {
    ex.reused_ = true;
    stats_.reused++;
  } else {
    void* mem = alloc(sizeof(PooledConnection));
    if (!mem) {
      err->assign("NO_MEMORY", "no memory for a connection");
      return false;
    }
    pc = new (mem) PooledConnection(loop_, ex.tls_);
    uint64_t now = loop_.now();
    uint32_t ct = ex.connect_timeout_ms_;
    if (ex.deadline_ != core::kNever) {
      uint64_t left = ex.deadline_ > now ? ex.deadline_ - now : 1;
      if (left < ct) ct = static_cast<uint32_t>(left);
    }
    if (ex.tls_options_) pc->conn.set_tls_options(ex.tls_options_);
    if (!pc->conn.start(ex.host_, ex.port_, nullptr, ct) || pc->conn.state() == Connection::State::kFailed) {
      *err = pc->conn.error();
      if (!err->set()) err->assign("CONNECT_FAILED", "cannot connect to %s:%u", ex.host_, ex.port_);
      destroy(pc);  // never linked to us or polled: safe to free now
      return false;
    }
    stats_.connections++;
  }
  pc->conn.set_listener(&ex);
  pc->conn.set_busy(true);
  ex.conn_ = pc;
  ex.kick_ = true;
  return true;
}

Exchange* Client::start(const Request& r, ExchangeObserver* obs, Error* err) {
  if (!r.url || !r.method || (r.url->https && !r.tls)) {
    err->assign("INVALID_ARGUMENT", "invalid request");
    return nullptr;
  }
  char authority[Url::kMaxHost + 16];
  r.url->authority(authority, sizeof authority);
  RequestHead head;
  head.method = r.method;
  head.target = r.url->target;
  head.authority = authority;
  head.fields = r.fields;
  head.field_count = r.field_count;
  head.has_length = r.body_len > 0 || r.send_length;
  head.content_length = r.body_len;
  head.close = config_.max_idle == 0;
  head.length_first = r.length_first;
  size_t req_len = 0;
  WriteError we = write_request_head(head, nullptr, 0, &req_len);
  if (we != WriteError::kTooSmall) {
    err->assign("INVALID_ARGUMENT", "invalid request: %s", write_error_message(we));
    return nullptr;
  }

  // One block: the Exchange, its field array, head buffer and request head.
  size_t fields_at = align_up(sizeof(Exchange), alignof(Field));
  size_t head_at = fields_at + sizeof(Field) * config_.max_fields;
  size_t req_at = head_at + config_.max_head_bytes;
  auto* block = static_cast<uint8_t*>(alloc(req_at + req_len));
  if (!block) {
    err->assign("NO_MEMORY", "no memory for an HTTP exchange");
    return nullptr;
  }
  auto* fields = reinterpret_cast<Field*>(block + fields_at);
  for (size_t i = 0; i < config_.max_fields; i++) new (fields + i) Field();
  auto* ex = new (block) Exchange(*this, obs, reinterpret_cast<char*>(block + head_at), config_.max_head_bytes,
                                  fields, config_.max_fields);
  size_t written = 0;
  write_request_head(head, reinterpret_cast<char*>(block + req_at), req_len, &written);
  ex->req_ = block + req_at;
  ex->req_len_ = written;
  ex->req_body_ = r.body;
  ex->req_body_len_ = r.body_len;
  ex->head_request_ = strcmp(r.method, "HEAD") == 0;
  ex->parser_.reset(ex->head_request_);
  ex->tls_ = r.url->https ? r.tls : nullptr;
  ex->tls_options_ = r.url->https ? r.tls_options : nullptr;
  ex->port_ = r.url->port;
  memcpy(ex->host_, r.url->host, sizeof ex->host_);
  ex->connect_timeout_ms_ = r.connect_timeout_ms;
  ex->deadline_ = r.deadline;
  ex->started_ = loop_.now();
  ex->max_body_ = r.max_body;
  ex->next_ = exchanges_;
  if (exchanges_) exchanges_->prev_ = ex;
  exchanges_ = ex;
  if (!open(*ex, err)) {
    ex->obs_ = nullptr;
    destroy(ex);
    return nullptr;
  }
  return ex;
}

void Client::release(Exchange* ex) {
  if (!ex) return;
  ex->obs_ = nullptr;
  if (ex->phase_ == Exchange::Phase::kActive && ex->conn_) {
    bury(ex->conn_);  // cancelled mid-flight: the connection is unusable
    ex->conn_ = nullptr;
  }
  ex->phase_ = Exchange::Phase::kReleased;  // freed in poll()
}

void Client::poll() {
  uint64_t now = loop_.now();
  Exchange* next = nullptr;
  for (Exchange* ex = exchanges_; ex; ex = next) {
    next = ex->next_;
    if (ex->phase_ == Exchange::Phase::kActive && now >= ex->deadline_) {
      ex->fail("TIMEOUT", "request to %s:%u timed out after %lu ms", ex->host_, static_cast<unsigned>(ex->port_),
               static_cast<unsigned long>(now - ex->started_));
    } else if (ex->phase_ == Exchange::Phase::kActive && ex->kick_) {
      ex->kick_ = false;
      if (ex->conn_) ex->on_connection_event(ex->conn_->conn);
    }
  }
  // Observers may have released exchanges above: free those now.
  for (Exchange* ex = exchanges_; ex; ex = next) {
    next = ex->next_;
    if (ex->phase_ == Exchange::Phase::kReleased) destroy(ex);
  }
  for (Idle& i : idle_) {
    if (i.pc && (i.dead || now - i.since >= config_.idle_timeout_ms)) {
      bury(i.pc);
      i = Idle{};
    }
  }
  sweep();
}

uint64_t Client::deadline() const {
  uint64_t now = loop_.now();
  if (dead_) return now;
  uint64_t d = core::kNever;
  for (const Exchange* ex = exchanges_; ex; ex = ex->next_) {
    if (ex->phase_ == Exchange::Phase::kReleased) return now;
    if (ex->phase_ != Exchange::Phase::kActive) continue;
    if (ex->kick_) return now;
    if (ex->deadline_ < d) d = ex->deadline_;
  }
  for (const Idle& i : idle_) {
    if (!i.pc) continue;
    if (i.dead) return now;
    uint64_t e = i.since + config_.idle_timeout_ms;
    if (e < d) d = e;
  }
  return d;
}

}  // namespace mcujs::net::http
