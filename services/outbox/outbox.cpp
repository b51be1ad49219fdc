#include "services/outbox/outbox.h"

#include <cstdio>
#include <cstring>
#include <new>

namespace mcujs::net {

size_t form_urlencode(const uint8_t* in, size_t len, char* out, size_t cap) {
  static const char kHex[] = "0123456789ABCDEF";
  size_t n = 0;
  auto put = [&](char c) {
    if (n < cap) out[n] = c;
    n++;
  };
  for (size_t i = 0; i < len; i++) {
    uint8_t c = in[i];
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' ||
                 c == '-' || c == '.' || c == '_';
    if (plain) {
      put(static_cast<char>(c));
    } else if (c == ' ') {
      put('+');
    } else {
      put('%');
      put(kHex[c >> 4]);
      put(kHex[c & 15]);
    }
  }
  return n;
}

// ------------------------------------------------------------ transport

http::ClientConfig outbox_client_config(const OutboxConfig& c) {
  http::ClientConfig cc;
  cc.max_idle = c.keep_alive_ms ? 1 : 0;
  cc.idle_timeout_ms = c.keep_alive_ms;
  cc.max_head_bytes = 1024;
  cc.max_fields = 24;
  return cc;
}

bool HttpOutboxTransport::post(const uint8_t* body, size_t len, const char* secret, uint32_t timeout_ms,
                               Observer* obs, Error* err) {
  cancel();
  http::Field fields[2];
  static const char kType[] = "application/x-www-form-urlencoded";
  fields[0].name = "Content-Type";
  fields[0].name_len = 12;
  fields[0].value = kType;
  fields[0].value_len = sizeof kType - 1;
  fields[1].name = "Secret";
  fields[1].name_len = 6;
  fields[1].value = secret;
  fields[1].value_len = strlen(secret);
  http::Request r;
  r.url = &url_;
  r.tls = tls_;
  r.method = "POST";
  r.fields = fields;
  r.field_count = 2;
  r.body = body;
  r.body_len = len;
  r.send_length = true;
  r.length_first = true;
  r.deadline = client_.loop().now() + timeout_ms;
  r.connect_timeout_ms = timeout_ms;
  r.max_body = 4096;  // the answer is not used; a huge one is a failure
  obs_ = obs;
  ex_ = client_.start(r, this, err);
  if (!ex_) obs_ = nullptr;
  return ex_ != nullptr;
}

void HttpOutboxTransport::cancel() {
  if (ex_) client_.release(ex_);
  ex_ = nullptr;
  obs_ = nullptr;
}

void HttpOutboxTransport::on_exchange_done(http::Exchange& ex) {
  Observer* obs = obs_;
  Error err;
  int status = 0;
  if (ex.failed()) {
    err = ex.error();
  } else {
    status = ex.response().status();
  }
  client_.release(&ex);
  ex_ = nullptr;
  obs_ = nullptr;
  if (obs) obs->on_post_done(status, err);
}

// ------------------------------------------------------------ outbox

Outbox::Outbox(const OutboxConfig& config, port::KvStore& kv, port::Clock& clock, port::Entropy& entropy,
               OutboxTransport& transport, const OutboxLog& log)
    : config_(config),
      clock_(clock),
      entropy_(entropy),
      transport_(transport),
      log_(log),
      store_(kv, log),
      backoff_(config.backoff_initial_ms, config.backoff_max_ms) {}

Outbox::~Outbox() {
  transport_.cancel();
  free_body();
}

void Outbox::free_body() {
  delete[] body_;
  body_ = nullptr;
}

bool Outbox::open(char* err, size_t err_len) {
  open_ = store_.open(config_.max_events, config_.max_dead, err, err_len);
  next_attempt_ = clock_.monotonic_ms();
  if (open_ && store_.count() > 0)
    log_(port::LogLevel::kInfo, "outbox: %lu event(s) waiting from an earlier run (next id %lu)",
         static_cast<unsigned long>(store_.count()),
         static_cast<unsigned long>(store_.next_id()));
  return open_;
}

bool Outbox::is_critical(const char* name, size_t len) const {
  for (int i = 0; i < config_.critical_count; i++)
    if (strlen(config_.critical[i]) == len && memcmp(config_.critical[i], name, len) == 0) return true;
  return false;
}

OutboxStore::Put Outbox::send(const char* name, size_t name_len, const uint8_t* data, size_t data_len,
                              uint32_t* id) {
  if (!open_ || name_len == 0 || name_len > OutboxEvent::kMaxName || data_len > OutboxEvent::kMaxData)
    return OutboxStore::Put::kError;
  // Not current_: it may hold the event awaiting a retry.
  static_assert(sizeof(OutboxEvent) < 2048, "event record kept small");
  OutboxEvent local;
  OutboxEvent* ev = &local;
  ev->name_len = static_cast<uint8_t>(name_len);
  memcpy(ev->name, name, name_len);
  ev->name[name_len] = 0;
  ev->data_len = static_cast<uint16_t>(data_len);
  if (data_len) memcpy(ev->data, data, data_len);
  ev->alarm = is_critical(name, name_len);
  OutboxStore::Put r = store_.enqueue(ev);
  if (r == OutboxStore::Put::kQueued) *id = ev->id;
  return r;
}

Outbox::Stats Outbox::stats() const {
  Stats s;
  const OutboxStore::Counters& c = store_.counters();
  s.queued = static_cast<uint32_t>(store_.count());
  s.in_flight = in_flight_ ? 1 : 0;
  s.delivered = c.delivered;
  s.retries = c.retries;
  s.dead_letters = static_cast<uint32_t>(store_.dead_count());
  s.dropped_reports = c.dropped_reports;
  s.dropped_alarms = c.dropped_alarms;
  uint64_t now = clock_.monotonic_ms();
  if (!in_flight_ && store_.count() > 0 && backoff_.failures() > 0 && next_attempt_ > now)
    s.next_retry_ms = static_cast<uint32_t>(next_attempt_ - now);
  return s;
}

void Outbox::start_drain(uint32_t timeout_ms) {
  draining_ = true;
  drain_deadline_ = clock_.monotonic_ms() + timeout_ms;
}

uint32_t Outbox::random32() {
  uint8_t b[4] = {};
  entropy_.fill(b, sizeof b);  // on failure: zeros, i.e. retry at once
  return static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) | (static_cast<uint32_t>(b[2]) << 16) |
         (static_cast<uint32_t>(b[3]) << 24);
}

// event=<name>&data=<data>&coreid=<coreid>&id=<n>[&dropped=<n>]
size_t Outbox::build_body(size_t cap) {
  char* out = reinterpret_cast<char*>(body_);
  size_t n = 0;
  auto lit = [&](const char* s) {
    size_t l = strlen(s);
    if (n + l <= cap) memcpy(out + n, s, l);
    n += l;
  };
  auto enc = [&](const void* p, size_t l) {
    n += form_urlencode(static_cast<const uint8_t*>(p), l, out + (n < cap ? n : cap), n < cap ? cap - n : 0);
  };
  char num[48];
  lit("event=");
  enc(current_.name, current_.name_len);
  lit("&data=");
  enc(current_.data, current_.data_len);
  lit("&coreid=");
  enc(config_.coreid, strlen(config_.coreid));
  snprintf(num, sizeof num, "&id=%lu", static_cast<unsigned long>(current_.id));
  lit(num);
  reported_ = store_.counters().unreported;
  if (reported_ > 0) {
    snprintf(num, sizeof num, "&dropped=%lu", static_cast<unsigned long>(reported_));
    lit(num);
  }
  return n <= cap ? n : 0;
}

bool Outbox::start() {
  uint32_t id = store_.head();
  if (!have_current_ || current_.id != id) {
    if (!store_.load(id, &current_)) {
      log_(port::LogLevel::kError, "outbox: event #%lu cannot be read back; skipped", static_cast<unsigned long>(id));
      store_.discard(id);
      have_current_ = false;
      return false;
    }
    have_current_ = true;
  }
  free_body();
  size_t cap = body_capacity(current_.name_len, current_.data_len, strlen(config_.coreid));
  body_ = new (std::nothrow) uint8_t[cap];
  if (!body_) {
    retry_later("no memory for the request body");
    return false;
  }
  size_t len = build_body(cap);
  if (len == 0) {
    free_body();
    store_.discard(id);
    have_current_ = false;
    return false;
  }
  Error err;
  store_.set_in_flight(id);
  in_flight_ = true;
  if (!transport_.post(body_, len, config_.secret, config_.request_timeout_ms, this, &err)) {
    in_flight_ = false;
    store_.set_in_flight(0);
    free_body();
    retry_later(err.set() ? err.message : "cannot start the request");
    return false;
  }
  return true;
}

void Outbox::retry_later(const char* why) {
  store_.counters().retries++;
  uint32_t wait = backoff_.next(random32());
  next_attempt_ = clock_.monotonic_ms() + wait;
  log_(port::LogLevel::kWarn, "outbox: event #%lu '%s' not delivered (%s); retry %lu in %lu ms (%lu queued)",
       static_cast<unsigned long>(current_.id), current_.name, why, static_cast<unsigned long>(backoff_.failures()),
       static_cast<unsigned long>(wait), static_cast<unsigned long>(store_.count()));
}

void Outbox::on_post_done(int status, const Error& err) {
  free_body();
  in_flight_ = false;
  store_.set_in_flight(0);
  if (status >= 200 && status <= 299) {
    store_.delivered(current_.id, reported_);
    have_current_ = false;
    backoff_.reset();
    next_attempt_ = 0;
    return;
  }
  if (status >= 400 && status <= 499) {
    log_(port::LogLevel::kWarn, "outbox: event #%lu '%s' refused with HTTP %d; moved to the dead letters",
         static_cast<unsigned long>(current_.id), current_.name, status);
    store_.dead_letter(current_, static_cast<uint16_t>(status));
    have_current_ = false;
    backoff_.reset();
    next_attempt_ = 0;
    return;
  }
  char why[224];
  if (status)
    snprintf(why, sizeof why, "HTTP %d", status);
  else
    snprintf(why, sizeof why, "%s: %s", err.code ? err.code : "ERROR", err.message);
  retry_later(why);
}

void Outbox::poll() {
  // Bounded: at most a few skipped (unreadable) events per poll.
  for (int i = 0; i < 4 && open_ && !in_flight_ && store_.count() > 0; i++) {
    if (clock_.monotonic_ms() < next_attempt_) return;
    if (start()) return;
  }
}

uint64_t Outbox::deadline() const {
  uint64_t d = core::kNever;
  if (open_ && !in_flight_ && store_.count() > 0) d = next_attempt_;
  if (draining_ && drain_deadline_ < d && clock_.monotonic_ms() < drain_deadline_) d = drain_deadline_;
  return d;
}

bool Outbox::busy() const {
  if (in_flight_) return true;
  return draining_ && store_.count() > 0 && clock_.monotonic_ms() < drain_deadline_;
}

}  // namespace mcujs::net
