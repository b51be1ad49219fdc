#include "net/connection.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace mcujs::net {

void Error::vassign(Code c, const char* name, const char* fmt, va_list ap) {
  id = c;
  tls_code = tls::Code::kNone;
  code = name;
  tls = false;
  mbedtls_error = 0;
  vsnprintf(message, sizeof message, fmt, ap);
}

void Error::assign(Code c, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vassign(c, code_name(c), fmt, ap);
  va_end(ap);
}

void Error::assign(const char* c, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vassign(code_from_name(c), c, fmt, ap);
  va_end(ap);
}

void Error::from_port(int32_t port_err, const char* what, const char* host, uint16_t port) {
  Code c = code_from_port(port_err);
  if (c == Code::kTimeout) c = Code::kConnectTimeout;
  assign(c, "%s %s:%u: %s", what, host, port, port::error_text(port_err));
}

void Error::from_tls(const tls::Error& e) {
  id = Code::kTls;
  tls_code = e.code;
  code = tls::code_name(e.code);
  tls = true;
  mbedtls_error = e.mbedtls_error;
  snprintf(message, sizeof message, "%s", e.message[0] ? e.message : code);
}

Connection::Connection(core::EventLoop& loop, tls::TlsContext* tls) : loop_(loop), tls_ctx_(tls) {}

Connection::~Connection() {
  loop_.remove(this);
  if (tls_conn_.open()) {
    tls_conn_.close();  // closes the socket too
  } else if (sock_ >= 0) {
    loop_.platform().tcp->close(sock_);
  }
}

bool Connection::start(const char* host, uint16_t port, const char* servername,
                       uint32_t connect_timeout_ms) {
  if (state_ != State::kIdle) {
    error_.assign(Code::kInvalidState, "connection already started");
    return false;
  }
  size_t hl = host ? strlen(host) : 0;
  if (hl == 0 || hl >= sizeof host_ || port == 0) {
    error_.assign(Code::kInvalidArgument, "invalid host or port");
    state_ = State::kFailed;
    return false;
  }
  memcpy(host_, host, hl + 1);
  port_ = port;
  const char* sn = servername && *servername ? servername : host;
  snprintf(servername_, sizeof servername_, "%s", sn);
  int32_t rc = loop_.platform().tcp->connect(host, port, &sock_);
  if (rc != port::kOk) {
    sock_ = -1;
    error_.from_port(rc, "cannot connect to", host_, port_);
    state_ = State::kFailed;
    return true;  // a network failure, reported through state()/error()
  }
  if (total_timeout_ms_ > 0) {
    total_deadline_ = loop_.now() + total_timeout_ms_;
    connect_timeout_ms = total_timeout_ms_;
  }
  connect_deadline_ = loop_.now() + connect_timeout_ms;
  state_ = State::kConnecting;
  loop_.add(this);
  step();
  notify_ = state_ == State::kOpen;
  return true;
}

bool Connection::adopt(port::SocketId socket) {
  if (state_ != State::kIdle || tls_ctx_) {
    error_.assign(Code::kInvalidState, "cannot adopt a socket here");
    return false;
  }
  sock_ = socket;
  snprintf(host_, sizeof host_, "peer");
  state_ = State::kOpen;
  return true;
}

void Connection::fail(State from) {
  (void)from;
  if (tls_conn_.open()) {
    tls_conn_.close();
    sock_ = -1;
  } else if (sock_ >= 0) {
    loop_.platform().tcp->close(sock_);
    sock_ = -1;
  }
  state_ = State::kFailed;
  loop_.remove(this);
}

// Advances connecting and handshaking as far as possible without blocking.
void Connection::step() {
  if (state_ == State::kConnecting) {
    int32_t err = 0;
    port::ConnectState cs = loop_.platform().tcp->state(sock_, &err);
    if (cs == port::ConnectState::kFailed) {
      error_.from_port(err, "cannot connect to", host_, port_);
      fail(state_);
      return;
    }
    if (cs == port::ConnectState::kPending) {
      if (loop_.now() >= connect_deadline_) {
        error_.assign(Code::kConnectTimeout, "connect to %s:%u timed out", host_, port_);
        fail(state_);
      }
      return;
    }
    if (!tls_ctx_) {
      state_ = State::kOpen;
      return;
    }
    tls::Error te;
    // With a total timeout, the handshake gets what the connect left of it.
    uint32_t hs_ms = 0;
    if (total_deadline_ > 0) {
      uint64_t now = loop_.now();
      hs_ms = now < total_deadline_ ? static_cast<uint32_t>(total_deadline_ - now) : 1;
    }
    if (!tls_conn_.start(*tls_ctx_, sock_, servername_, &te, port_, tls_options_, hs_ms)) {  // port: cache key
      error_.from_tls(te);
      fail(state_);
      return;
    }
    state_ = State::kHandshaking;
  }
  if (state_ == State::kHandshaking) {
    tls::Error te;
    tls::TlsConnection::Step s = tls_conn_.handshake(&te);
    if (s == tls::TlsConnection::Step::kFailed) {
      error_.from_tls(te);
      fail(state_);
    } else if (s == tls::TlsConnection::Step::kDone) {
      state_ = State::kOpen;
    }
  }
}

void Connection::poll() {
  notify_ = false;
  State before = state_;
  step();
  if (listener_ && (state_ != before || state_ == State::kOpen)) listener_->on_connection_event(*this);
}

uint64_t Connection::deadline() const {
  // The handshake's own deadline is checked in handshake(); waking once a
  // second bounds how late a timeout can be noticed.
  if (notify_) return loop_.now();
  if (state_ == State::kConnecting) return connect_deadline_;
  if (state_ == State::kHandshaking) return loop_.now() + 100;
  if (state_ == State::kOpen && busy_until_ > loop_.now()) return busy_until_;
  return core::kNever;
}

bool Connection::busy() const {
  // notify_: start() finished the connection at once (loopback, a resumed
  // session) and the listener hears of it at the next poll: until then the
  // loop must not end, or the caller's promise would never settle.
  return notify_ || state_ == State::kConnecting || state_ == State::kHandshaking ||
         (state_ == State::kOpen && (want_busy_ || busy_until_ > loop_.now()));
}

int32_t Connection::read(uint8_t* buf, size_t len) {
  if (state_ != State::kOpen) {
    if (state_ == State::kClosed || eof_) return 0;
    if (state_ == State::kFailed) return kError;
    return port::kWouldBlock;
  }
  if (eof_) return 0;
  if (len > 0x7fffffff) len = 0x7fffffff;
  if (tls_ctx_) {
    tls::Error te;
    int32_t n = tls_conn_.read(buf, len, &te);
    if (n == 0) eof_ = true;
    if (n < 0 && n != port::kWouldBlock) {
      error_.from_tls(te);
      fail(state_);
      return kError;
    }
    return n;
  }
  int32_t n = loop_.platform().tcp->read(sock_, buf, len);
  if (n == port::kClosed) {
    eof_ = true;
    return 0;
  }
  if (n < 0 && n != port::kWouldBlock) {
    error_.from_port(n, "reading from", host_, port_);
    fail(state_);
    return kError;
  }
  return n;
}

int32_t Connection::write(const uint8_t* buf, size_t len) {
  if (state_ != State::kOpen) {
    if (state_ == State::kConnecting || state_ == State::kHandshaking) return port::kWouldBlock;
    if (!error_.set()) error_.assign(Code::kNotConnected, "not connected");
    return kError;
  }
  if (len > 0x7fffffff) len = 0x7fffffff;
  if (tls_ctx_) {
    tls::Error te;
    int32_t n = tls_conn_.write(buf, len, &te);
    if (n < 0 && n != port::kWouldBlock) {
      error_.from_tls(te);
      fail(state_);
      return kError;
    }
    return n;
  }
  int32_t n = loop_.platform().tcp->write(sock_, buf, len);
  if (n < 0 && n != port::kWouldBlock) {
    error_.from_port(n, "writing to", host_, port_);
    fail(state_);
    return kError;
  }
  return n;
}

size_t Connection::available() {
  if (state_ != State::kOpen) return 0;
  if (tls_ctx_) return tls_conn_.available();
  int32_t n = loop_.platform().tcp->pending(sock_);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

void Connection::await_ticket(uint32_t max_ms) {
  if (state_ != State::kOpen || !tls_ctx_) return;
  const uint64_t deadline = loop_.now() + max_ms;
  while (tls_conn_.settle_before_close()) {
    uint64_t now = loop_.now();
    if (now >= deadline) {
      tls_conn_.no_ticket_came();
      return;
    }
    uint64_t left = deadline - now;
    loop_.platform().poller->wait(left < 10 ? static_cast<uint32_t>(left) : 10);
    loop_.poll_sources();
  }
}

void Connection::close() {
  if (state_ == State::kClosed || state_ == State::kIdle) return;
  if (tls_conn_.open()) {
    tls_conn_.close();
  } else if (sock_ >= 0) {
    loop_.platform().tcp->close(sock_);
  }
  sock_ = -1;
  if (state_ != State::kFailed) state_ = State::kClosed;
  loop_.remove(this);
}

}  // namespace mcujs::net
