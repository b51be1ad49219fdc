// A non-blocking HTTP/1.1 client for one runtime: request/response exchanges
// over net::Connection, with a small keep-alive pool and deadlines. Knows no
// JavaScript (fetch is modules/bindings/fetch.cpp).
//
// Exchanges run from the event loop: the Client is an IoSource (timeouts,
// idle expiry, deferred frees) and each Exchange is its connection's
// Listener. Memory comes from a caller-supplied allocator, one block per
// exchange (fields, head buffer, serialised request) plus the body buffer,
// which grows up to the request's limit (or is sized once from
// Content-Length). Connections are only ever freed from Client::poll or the
// destructor, never from inside their own poll().
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/event_loop.h"
#include "core/limits.h"
#include "net/connection.h"
#include "net/http/common.h"
#include "net/http/response.h"
#include "net/url.h"

namespace mcujs::net::http {

Allocator system_allocator();  // malloc, realloc, free

struct ClientConfig {
  static constexpr uint8_t kMaxIdleLimit = MCUJS_HTTP_MAX_IDLE_LIMIT;  // core/limits.h
  uint8_t max_idle = 4;             // idle keep-alive connections kept (0: no reuse)
  uint32_t idle_timeout_ms = 15000; // an idle connection older than this is closed
  uint32_t max_head_bytes = 8192;   // status line + header fields of one response
  uint16_t max_fields = 64;         // header fields of one response
};

struct Request {
  const Url* url = nullptr;
  tls::TlsContext* tls = nullptr;     // required for https URLs
  const char* method = "GET";
  const Field* fields = nullptr;      // copied at start()
  size_t field_count = 0;
  const uint8_t* body = nullptr;      // borrowed until the observer is called
  size_t body_len = 0;
  bool send_length = false;           // Content-Length even for an empty body
  bool length_first = false;          // Content-Length right after Host (RequestHead)
  uint64_t deadline = core::kNever;   // absolute, in EventLoop::now() time
  uint32_t connect_timeout_ms = 10000;
  size_t max_body = 1u << 20;         // BODY_TOO_LARGE beyond this
  // This request's own TLS options (CA, client certificate, ALPN), borrowed
  // until the observer is called. Its connection is opened for it alone and
  // never pooled: another request must not ride on its credentials or trust.
  tls::ConnectOptions* tls_options = nullptr;
};

class Client;
class Exchange;

class ExchangeObserver {
 public:
  virtual ~ExchangeObserver() = default;
  // The exchange finished: a complete response, or error().set(). Called
  // once, from the event loop. Call Client::release() when done with it
  // (here or later); the response stays readable until then.
  virtual void on_exchange_done(Exchange& ex) = 0;
};

// A pooled connection: the Connection plus the link that lets the client
// defer its destruction.
struct PooledConnection {
  PooledConnection(core::EventLoop& loop, tls::TlsContext* tls) : conn(loop, tls) {}
  Connection conn;
  PooledConnection* next_dead = nullptr;
};

class Exchange final : public Listener {
 public:
  const Error& error() const { return error_; }
  bool failed() const { return error_.set(); }
  const ResponseParser& response() const { return parser_; }
  const uint8_t* body() const { return body_; }
  size_t body_size() const { return body_size_; }
  // Hands the body buffer (body_size() bytes plus a NUL) to the caller, who
  // frees it with the client's allocator. nullptr when the body is empty.
  uint8_t* take_body(size_t* len);
  bool reused() const { return reused_; }  // ran on a pooled connection
  bool resumed() const { return resumed_; }  // its TLS connection resumed a session

  void on_connection_event(Connection& c) override;

 private:
  friend class Client;
  enum class Phase : uint8_t { kActive, kDone, kReleased };

  Exchange(Client& client, ExchangeObserver* obs, char* head, size_t head_cap, Field* fields, size_t max_fields);
  ~Exchange() override = default;

  void pump();
  bool feed(const uint8_t* data, size_t len);
  bool on_head();
  bool append(const uint8_t* data, size_t len);
  void on_eof();
  void on_connection_failed();
  bool retry();
  void complete(bool leftover);
  void fail(const char* code, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  void fail_with(const Error& e);
  void finish();

  Client& client_;
  ExchangeObserver* obs_;
  Exchange* prev_ = nullptr;
  Exchange* next_ = nullptr;
  PooledConnection* conn_ = nullptr;
  Phase phase_ = Phase::kActive;
  bool reused_ = false;
  bool resumed_ = false;
  bool retried_ = false;
  bool kick_ = true;  // pump from Client::poll (the socket may not wake us)
  bool head_request_ = false;
  tls::TlsContext* tls_ = nullptr;
  tls::ConnectOptions* tls_options_ = nullptr;
  uint16_t port_ = 0;
  uint32_t connect_timeout_ms_ = 0;
  uint64_t deadline_ = core::kNever;
  uint64_t started_ = 0;
  char host_[Url::kMaxHost + 1] = {};
  const uint8_t* req_ = nullptr;  // the serialised head (in this block)
  size_t req_len_ = 0;
  const uint8_t* req_body_ = nullptr;
  size_t req_body_len_ = 0;
  size_t sent_ = 0;
  ResponseParser parser_;
  uint8_t* body_ = nullptr;
  size_t body_cap_ = 0;
  size_t body_size_ = 0;
  size_t max_body_ = 0;
  Error error_;
};

class Client final : public core::IoSource {
 public:
  struct Stats {
    uint32_t connections = 0;  // connections opened
    uint32_t reused = 0;       // exchanges that ran on a pooled connection
    uint32_t idle = 0;         // idle connections now
  };

  Client(core::EventLoop& loop, const Allocator& alloc, const ClientConfig& config = {});
  ~Client() override;  // frees everything; no observer is called
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts an exchange. Fails at once (nullptr, *err set) on invalid input,
  // no memory, or a connection that cannot even start (unresolvable host);
  // every later outcome goes to obs.
  Exchange* start(const Request& r, ExchangeObserver* obs, Error* err);
  // The caller is done with ex; cancels it if still running (without
  // calling the observer). Safe from inside on_exchange_done.
  void release(Exchange* ex);

  const ClientConfig& config() const { return config_; }
  void set_config(const ClientConfig& c);  // applies to new exchanges
  Stats stats() const;
  void close_idle();
  const Allocator& allocator() const { return alloc_; }
  core::EventLoop& loop() { return loop_; }

  // IoSource
  void poll() override;
  uint64_t deadline() const override;
  bool busy() const override { return false; }  // busy connections keep us alive

 private:
  friend class Exchange;

  struct Idle final : Listener {
    PooledConnection* pc = nullptr;
    uint64_t since = 0;
    bool dead = false;
    void on_connection_event(Connection& c) override;
  };

  bool open(Exchange& ex, Error* err);
  PooledConnection* take_idle(const Exchange& ex);
  void park(PooledConnection* pc);
  void bury(PooledConnection* pc);
  void destroy(PooledConnection* pc);
  void destroy(Exchange* ex);
  void sweep();

  void* alloc(size_t n) { return alloc_.alloc(alloc_.opaque, n); }
  void free(void* p) {
    if (p) alloc_.free(alloc_.opaque, p);
  }

  core::EventLoop& loop_;
  Allocator alloc_;
  ClientConfig config_;
  Exchange* exchanges_ = nullptr;
  PooledConnection* dead_ = nullptr;  // closed, to be freed in poll()
  Idle idle_[ClientConfig::kMaxIdleLimit];
  Stats stats_;
};

}  // namespace mcujs::net::http
