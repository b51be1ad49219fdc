// Fakes for the outbox unit tests: an in-memory KvStore (atomic puts, with
// failure injection and a write counter), a settable clock, a fixed entropy
// source and a transport that records bodies and lets the test answer.
#pragma once

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "services/outbox/outbox.h"
#include "port/port.h"

namespace outbox_test {

using namespace mcujs;

class MemKv final : public port::KvStore {
 public:
  std::map<std::string, std::string> data;
  int fail_puts_after = -1;  // >= 0: that many more puts succeed, then all fail
  int puts = 0;
  int32_t get(const char* key, uint8_t* buf, size_t cap) override {
    auto it = data.find(key);
    if (it == data.end()) return port::kNotFound;
    memcpy(buf, it->second.data(), it->second.size() < cap ? it->second.size() : cap);
    return static_cast<int32_t>(it->second.size());
  }
  int32_t put(const char* key, const uint8_t* val, size_t len) override {
    if (fail_puts_after == 0) return port::kIo;
    if (fail_puts_after > 0) fail_puts_after--;
    puts++;
    data[key] = std::string(reinterpret_cast<const char*>(val), len);
    return port::kOk;
  }
  int32_t remove(const char* key) override { return data.erase(key) ? port::kOk : port::kNotFound; }
  size_t events() const {
    size_t n = 0;
    for (auto& kv : data) n += kv.first.rfind("ob.e.", 0) == 0;
    return n;
  }
};

class FakeClock final : public port::Clock {
 public:
  uint64_t now = 1000;
  uint64_t monotonic_ms() override { return now; }
  bool wall_time(int64_t*) override { return false; }
};

class FixedEntropy final : public port::Entropy {
 public:
  uint32_t value = 0xffffffffu;  // full jitter then waits the whole ceiling
  bool strong() const override { return false; }
  int32_t fill(uint8_t* buf, size_t len) override {
    for (size_t i = 0; i < len; i++) buf[i] = static_cast<uint8_t>(value >> (8 * (i % 4)));
    return port::kOk;
  }
  const char* name() const override { return "fixed"; }
};

class FakeTransport final : public net::OutboxTransport {
 public:
  std::vector<std::string> bodies;
  std::string secret;
  Observer* pending = nullptr;
  bool refuse = false;
  bool post(const uint8_t* body, size_t len, const char* s, uint32_t, Observer* obs, net::Error* err) override {
    if (refuse) {
      err->assign("CONNECTION_REFUSED", "refused");
      return false;
    }
    bodies.emplace_back(reinterpret_cast<const char*>(body), len);
    secret = s;
    pending = obs;
    return true;
  }
  void cancel() override { pending = nullptr; }
  // Answers the request in flight with an HTTP status (0: network error).
  void answer(int status) {
    Observer* o = pending;
    pending = nullptr;
    net::Error e;
    if (!status) e.assign("TIMEOUT", "timed out");
    if (o) o->on_post_done(status, e);
  }
};

inline std::vector<std::string>* log_lines() {
  static std::vector<std::string> lines;
  return &lines;
}
inline net::OutboxLog test_log() {
  net::OutboxLog l;
  l.fn = [](void*, port::LogLevel, const char* msg) { log_lines()->push_back(msg); };
  return l;
}

}  // namespace outbox_test
