// Test helper shared by the TLS tests (tests/unit/tls_*_test.cpp and
// tests/tls_device/, which builds it against the device profile's Mbed TLS):
// a client on the Linux port's sockets, clock and entropy, with one
// TlsConnection driven by loops bounded in count and time. Host-only.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "ports/linux/linux_port.h"
#include "tests/unit/openssl_server.h"
#include "tests/unit/test_logs.h"
#include "tls/tls.h"

namespace mcujs::test {

inline uint64_t now_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

struct TlsClient {
  using Step = tls::TlsConnection::Step;

  linux_port::LinuxTcp tcp;
  linux_port::LinuxClock clock;
  linux_port::LinuxEntropy entropy;
  NullLog null_log;  // the platform's log unless a test points it at its own
  port::Platform platform{};
  tls::TlsContext ctx;
  tls::TlsConnection conn;
  tls::Error err;

  // clock: another clock than the real one (nullptr: the real one).
  explicit TlsClient(port::Clock* c = nullptr) {
    platform.clock = c ? c : &clock;
    platform.entropy = &entropy;
    platform.log = &null_log;
    platform.tcp = &tcp;
    platform.poller = &tcp;
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // The context with options o, trusting the PEM file ca_path (empty: no CA).
  bool init(const tls::Options& o, const std::string& ca_path) {
    if (!ctx.init(platform, o, &err)) return false;
    if (ca_path.empty()) return true;
    std::string pem = slurp(ca_path);
    return ctx.add_ca_pem(pem.data(), pem.size(), &err) > 0;
  }
  // TCP connect (bounded 3 s), then start the TLS connection. cache_port:
  // the session cache key's port (0: neither resumes nor caches).
  bool start(uint16_t port, const char* servername, const char* host = "127.0.0.1", uint16_t cache_port = 0) {
    port::SocketId s;
    if (tcp.connect(host, port, &s) != port::kOk) return false;
    int32_t e = 0;
    port::ConnectState st = port::ConnectState::kPending;
    for (int i = 0; i < 300 && st == port::ConnectState::kPending; i++) {
      st = tcp.state(s, &e);
      if (st == port::ConnectState::kPending) tcp.wait(10);
    }
    if (st != port::ConnectState::kConnected) {
      tcp.close(s);
      return false;
    }
    if (!conn.start(ctx, s, servername, &err, cache_port)) {
      tcp.close(s);
      return false;
    }
    return true;
  }
  // Drives the handshake to its end (bounded: 2000 rounds, 20 s).
  Step handshake() {
    Step st = Step::kInProgress;
    uint64_t limit = now_ms() + 20000;
    for (int i = 0; i < 2000 && st == Step::kInProgress && now_ms() < limit; i++) {
      st = conn.handshake(&err);
      if (st == Step::kInProgress) tcp.wait(10);
    }
    return st;
  }
  Step connect(uint16_t port, const char* servername, const char* host = "127.0.0.1") {
    if (!start(port, servername, host)) return Step::kFailed;
    return handshake();
  }
  // Writes everything (bounded 10 s), repeating the same data after kWouldBlock.
  bool write_all(const std::string& data) {
    size_t off = 0;
    uint64_t limit = now_ms() + 10000;
    while (off < data.size() && now_ms() < limit) {
      int32_t n = conn.write(reinterpret_cast<const uint8_t*>(data.data()) + off, data.size() - off, &err);
      if (n == port::kWouldBlock) {
        tcp.wait(10);
        continue;
      }
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return off == data.size();
  }
  // Reads until the end of the stream or an error (bounded 10 s); returns
  // the last read() result (0: close_notify, kError: error in err), or
  // port::kTimeout.
  int32_t read_all(std::string* out) {
    uint8_t buf[1024];
    uint64_t limit = now_ms() + 10000;
    while (now_ms() < limit) {
      int32_t n = conn.read(buf, sizeof buf, &err);
      if (n == port::kWouldBlock) {
        tcp.wait(10);
        continue;
      }
      if (n <= 0) return n;
      out->append(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
    }
    return port::kTimeout;
  }
};

}  // namespace mcujs::test
