// The outbox: events {id, event, data} queued in a persistent store
// (services/outbox/outbox_store.h) and delivered one at a time, in order, as HTTPS POSTs
// in the origin article's cloud wire format. An event leaves the queue only
// when the server answered 2xx; network errors, timeouts and other statuses
// are retried with exponential backoff and full jitter (services/outbox/backoff.h); a
// 4xx moves it to the dead-letter list. docs/outbox.md has the whole story.
//
// Platform-free: time, randomness and storage come from the port, the
// request goes through an OutboxTransport (the HTTP client, or a fake in the
// unit tests). An IoSource: the event loop polls it to start deliveries.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/event_loop.h"
#include "net/connection.h"
#include "net/http/client.h"
#include "services/outbox/backoff.h"
#include "services/outbox/outbox_store.h"
#include "net/url.h"

namespace mcujs::net {

struct OutboxConfig {
  static constexpr size_t kMaxSecret = 255;
  static constexpr size_t kMaxCoreId = 63;
  static constexpr int kMaxCritical = 8;
  Url url;
  char secret[kMaxSecret + 1] = {};
  char coreid[kMaxCoreId + 1] = {};
  uint16_t max_events = 64;
  uint16_t max_dead = 16;
  uint32_t backoff_initial_ms = 1000;
  uint32_t backoff_max_ms = 300000;
  uint32_t request_timeout_ms = 15000;
  uint32_t drain_timeout_ms = 30000;  // how long mcujs waits at exit (docs/outbox.md)
  // How long an idle connection to the receiver is kept for the next event;
  // 0 closes it after each delivery, which frees its TLS buffers (about
  // 8 KB on the 128 KB board) and costs a resumed handshake per delivery.
  uint32_t keep_alive_ms = 15000;
  // Event names that count as alarms for the overflow policy: the app's
  // (cloud.queue.critical_events); none unless it names them.
  char critical[kMaxCritical][OutboxEvent::kMaxName + 1] = {};
  int critical_count = 0;
};

// Sends one request body; the outcome comes back through the observer, from
// the event loop, never from inside post().
class OutboxTransport {
 public:
  class Observer {
   public:
    virtual ~Observer() = default;
    // status: the HTTP status, or 0 with err set (network error, timeout).
    virtual void on_post_done(int status, const Error& err) = 0;
  };
  virtual ~OutboxTransport() = default;
  virtual bool post(const uint8_t* body, size_t len, const char* secret, uint32_t timeout_ms, Observer* obs,
                    Error* err) = 0;
  virtual void cancel() = 0;
};

// The real transport: net::http::Client (keep-alive pool, verified TLS).
// The client for it: one connection, and response heads sized for a
// receiver's short answers (an exchange then needs about 2 KB, not 10).
http::ClientConfig outbox_client_config(const OutboxConfig& c);
// Headers, in this order: Host, Content-Length, Content-Type, Secret.
class HttpOutboxTransport final : public OutboxTransport, public http::ExchangeObserver {
 public:
  // url must outlive the transport (it is the outbox configuration's).
  HttpOutboxTransport(http::Client& client, const Url& url, tls::TlsContext* tls)
      : client_(client), url_(url), tls_(tls) {}
  ~HttpOutboxTransport() override { cancel(); }
  bool post(const uint8_t* body, size_t len, const char* secret, uint32_t timeout_ms, Observer* obs,
            Error* err) override;
  void cancel() override;
  void on_exchange_done(http::Exchange& ex) override;

 private:
  http::Client& client_;
  const Url& url_;
  tls::TlsContext* tls_;
  http::Exchange* ex_ = nullptr;
  Observer* obs_ = nullptr;
};

class Outbox final : public core::IoSource, public OutboxTransport::Observer {
 public:
  // Room for a request body: every byte of name, data and coreid
  // percent-encoded, plus the field names and numbers. A request's body is
  // allocated at the size its event needs, for the time of the request.
  static constexpr size_t body_capacity(size_t name_len, size_t data_len, size_t coreid_len) {
    return 3 * (name_len + data_len + coreid_len) + 64;
  }

  struct Stats {
    uint32_t queued = 0;
    uint32_t in_flight = 0;
    uint32_t delivered = 0;
    uint32_t retries = 0;
    uint32_t dead_letters = 0;  // now in the dead-letter list
    uint32_t dropped_reports = 0;
    uint32_t dropped_alarms = 0;
    uint32_t next_retry_ms = 0;  // 0: not waiting for a retry
  };

  // config (and transport) must outlive the outbox.
  Outbox(const OutboxConfig& config, port::KvStore& kv, port::Clock& clock, port::Entropy& entropy,
         OutboxTransport& transport, const OutboxLog& log);
  ~Outbox() override;
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Loads the persisted queue; false with a message if it cannot.
  bool open(char* err, size_t err_len);
  // Persists an event (name 1..63 bytes, data up to 1 KiB). kQueued: *id set.
  OutboxStore::Put send(const char* name, size_t name_len, const uint8_t* data, size_t data_len, uint32_t* id);
  bool is_critical(const char* name, size_t len) const;

  Stats stats() const;
  const OutboxStore& store() const { return store_; }
  const OutboxConfig& config() const { return config_; }
  // Keeps the program alive (busy()) until the queue is empty or timeout.
  void start_drain(uint32_t timeout_ms);
  bool draining() const { return draining_; }

  // IoSource
  void poll() override;
  uint64_t deadline() const override;
  bool busy() const override;

  // OutboxTransport::Observer
  void on_post_done(int status, const Error& err) override;

 private:
  bool start();
  size_t build_body(size_t cap);
  void free_body();
  void retry_later(const char* why);
  uint32_t random32();

  const OutboxConfig& config_;
  port::Clock& clock_;
  port::Entropy& entropy_;
  OutboxTransport& transport_;
  OutboxLog log_;
  OutboxStore store_;
  Backoff backoff_;
  bool open_ = false;
  bool in_flight_ = false;
  bool draining_ = false;
  uint64_t drain_deadline_ = core::kNever;
  uint64_t next_attempt_ = 0;
  uint32_t reported_ = 0;  // drops reported by the request in flight
  OutboxEvent current_;    // the event in flight (or next to retry)
  bool have_current_ = false;
  uint8_t* body_ = nullptr;  // the request's body while it is in flight
};

// application/x-www-form-urlencoded (WHATWG): alphanumerics and *-._ as is,
// space as '+', everything else %XX. Returns the length written (or needed).
size_t form_urlencode(const uint8_t* in, size_t len, char* out, size_t cap);

}  // namespace mcujs::net
