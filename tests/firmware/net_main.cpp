// Test image for the network (ports/mps2-an385/net/net.cpp), driven by
// tests/firmware/net_test.py: QEMU runs it with `-nic user` and a bundle in
// the flash's bundle partition whose params.txt says "echo=<port>
// closed=<port> [dns=<name>]" (tests/firmware/test_bundle.h); the host's
// 127.0.0.1 is 10.0.2.2.
// Everything goes through port::Tcp / port::Poller, non-blocking with wait(),
// as the core uses them. Exits 0 when every check passed, 1 otherwise.
#include <cstdio>

#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/net/net.h"
#include "tests/firmware/test_bundle.h"

namespace {

using namespace mcujs;

constexpr uint32_t kEchoBytes = 100 * 1024;  // each way; the server closes after echoing them
constexpr uint64_t kStepMs = 30000;          // bound of every step

uint8_t pattern(uint32_t i) { return static_cast<uint8_t>(i * 31 + (i >> 9)); }

int g_failures = 0;
void check(bool ok, const char* what) {
  printf("net-test: %s %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) g_failures++;
}

// Waits until the socket leaves kPending; returns its state.
port::ConnectState await_connect(mps2::LwipNet& net, port::Clock& clock, port::SocketId s, int32_t* err) {
  uint64_t until = clock.monotonic_ms() + kStepMs;
  port::ConnectState st;
  while ((st = net.state(s, err)) == port::ConnectState::kPending && clock.monotonic_ms() < until) net.wait(100);
  return st;
}

void echo_test(mps2::LwipNet& net, port::Clock& clock, uint16_t port) {
  uint64_t t0 = clock.monotonic_ms();
  port::SocketId s = -1;
  int32_t err = 0;
  check(net.connect("10.0.2.2", port, &s) == port::kOk, "connect to the echo server starts");
  if (s < 0) return;
  check(await_connect(net, clock, s, &err) == port::ConnectState::kConnected, "echo connection established");
  uint64_t t1 = clock.monotonic_ms();
  static uint8_t out[1024], in[1500];
  uint32_t sent = 0, got = 0, bad = 0, wrong_pending = 0;
  int32_t failed = 0;
  uint64_t until = t1 + kStepMs;
  while (got < kEchoBytes && !failed && clock.monotonic_ms() < until) {
    bool progress = false;
    if (sent < kEchoBytes) {
      uint32_t n = kEchoBytes - sent < sizeof out ? kEchoBytes - sent : sizeof out;
      for (uint32_t i = 0; i < n; i++) out[i] = pattern(sent + i);
      int32_t w = net.write(s, out, n);
      if (w > 0) { sent += static_cast<uint32_t>(w); progress = true; }
      else if (w != port::kWouldBlock) failed = w;
    }
    // Data only arrive inside wait(): pending() is exact here.
    int32_t p = net.pending(s);
    int32_t r = net.read(s, in, sizeof in);
    if (r > 0) {
      int32_t want = p < static_cast<int32_t>(sizeof in) ? p : static_cast<int32_t>(sizeof in);
      if (r != want) wrong_pending++;
      for (int32_t i = 0; i < r; i++) bad += in[i] != pattern(got + static_cast<uint32_t>(i));
      got += static_cast<uint32_t>(r);
      progress = true;
    } else if (r != port::kWouldBlock) {
      failed = r;
    }
    if (!progress) net.wait(50);
  }
  uint64_t t2 = clock.monotonic_ms();
  if (failed) printf("net-test: echo error %s\n", port::error_name(failed));
  check(sent == kEchoBytes && got == kEchoBytes, "100 KB sent and echoed");
  check(bad == 0, "echoed bytes match");
  check(wrong_pending == 0, "pending() announces what read() returns");
  // The server closes after echoing everything: an orderly end.
  int32_t r = port::kWouldBlock;
  until = clock.monotonic_ms() + kStepMs;
  while ((r = net.read(s, in, sizeof in)) == port::kWouldBlock && clock.monotonic_ms() < until) net.wait(100);
  check(r == port::kClosed, "the server's close reads as kClosed");
  net.close(s);
  unsigned long ms = static_cast<unsigned long>(t2 - t1);
  printf("net-test: connect %lu ms, echo %lu bytes each way in %lu ms (%lu KB/s each way)\n",
         static_cast<unsigned long>(t1 - t0), static_cast<unsigned long>(kEchoBytes), ms,
         ms ? static_cast<unsigned long>(kEchoBytes / ms * 1000 / 1024) : 0ul);
}

void refused_test(mps2::LwipNet& net, port::Clock& clock, uint16_t port) {
  port::SocketId s = -1;
  int32_t err = 0;
  uint64_t t0 = clock.monotonic_ms();
  check(net.connect("10.0.2.2", port, &s) == port::kOk, "connect to a closed port starts");
  if (s < 0) return;
  port::ConnectState st = await_connect(net, clock, s, &err);
  printf("net-test: closed port -> %s after %lu ms\n", port::error_name(err),
         static_cast<unsigned long>(clock.monotonic_ms() - t0));
  check(st == port::ConnectState::kFailed && err == port::kRefused,
        "a closed port fails with kRefused");
  uint8_t b;
  check(net.read(s, &b, 1) == err && net.write(s, &b, 1) == err, "read/write on it answer the error");
  net.close(s);
  check(net.read(s, &b, 1) == port::kInvalid, "a closed id is invalid");
}

// The server resets a connection that starts with "RST\n".
void reset_test(mps2::LwipNet& net, port::Clock& clock, uint16_t port) {
  port::SocketId s = -1;
  int32_t err = 0;
  if (net.connect("10.0.2.2", port, &s) != port::kOk || await_connect(net, clock, s, &err) != port::ConnectState::kConnected) {
    check(false, "a reset by the peer reads as kReset");
    return;
  }
  static const uint8_t kRst[] = {'R', 'S', 'T', '\n'};
  int32_t w = net.write(s, kRst, sizeof kRst);
  uint8_t b;
  int32_t r = port::kWouldBlock;
  uint64_t until = clock.monotonic_ms() + kStepMs;
  while ((r = net.read(s, &b, 1)) == port::kWouldBlock && clock.monotonic_ms() < until) net.wait(100);
  check(w == sizeof kRst && r == port::kReset, "a reset by the peer reads as kReset");
  check(net.write(s, &b, 1) == port::kReset, "so does a write after it");
  net.close(s);
}

void limits_test(mps2::LwipNet& net, uint16_t port) {
  port::SocketId ids[mps2::LwipNet::kMaxSockets];
  int opened = 0;
  for (auto& id : ids) opened += net.connect("10.0.2.2", port, &id) == port::kOk;
  port::SocketId extra;
  check(opened == mps2::LwipNet::kMaxSockets && net.connect("10.0.2.2", port, &extra) == port::kNoMemory,
        "a fifth socket is refused with kNoMemory");
  for (int i = 0; i < opened; i++) net.close(ids[i]);
  check(net.connect("10.0.2.2", 0, &extra) == port::kInvalid, "port 0 is kInvalid");
  check(net.connect("::1", port, &extra) == port::kUnreachable, "an IPv6 literal is kUnreachable");
}

void dns_fail_test(mps2::LwipNet& net, port::Clock& clock) {
  port::SocketId s = -1;
  int32_t err = 0;
  uint64_t t0 = clock.monotonic_ms();
  int32_t rc = net.connect("no-such-host.invalid", 80, &s);
  port::ConnectState st = port::ConnectState::kFailed;
  if (rc == port::kOk) st = await_connect(net, clock, s, &err);
  else err = rc;
  printf("net-test: no-such-host.invalid -> %s after %lu ms (%s)\n", port::error_name(err),
         static_cast<unsigned long>(clock.monotonic_ms() - t0), rc == port::kOk ? "query sent" : "no query");
  check(st == port::ConnectState::kFailed && err == port::kResolveFailed, "an unknown name fails with kResolveFailed");
  if (s >= 0) net.close(s);
}

}  // namespace

int main() {
  mps2::board_init();
  static fwtest::TestBundle in;
  if (!in.open("net-test")) return 1;
  long echo = in.number("echo", 65535), closed = in.number("closed", 65535);
  if (echo <= 0 || closed <= 0) {
    printf("net-test: the bundle's params.txt needs \"echo=<port> closed=<port>\"\n");
    return 1;
  }
  printf("net-test: echo port %ld, closed port %ld (params.txt)\n", echo, closed);
  mps2::SysTickClock clock;
  mps2::SemihostEntropy entropy;
  mps2::LwipNet net(clock, &entropy);
  uint64_t t0 = clock.monotonic_ms();
  if (!net.up(10000)) {
    printf("net-test: FAIL no DHCP lease\n");
    return 1;
  }
  printf("net-test: lease after %lu ms\n", static_cast<unsigned long>(clock.monotonic_ms() - t0));
  echo_test(net, clock, static_cast<uint16_t>(echo));
  refused_test(net, clock, static_cast<uint16_t>(closed));
  reset_test(net, clock, static_cast<uint16_t>(echo));
  limits_test(net, static_cast<uint16_t>(echo));
  dns_fail_test(net, clock);
  // Optional, for experiments: "dns=<name>" connects to <name>:<echo port>.
  char name[64];
  if (in.word("dns", name, sizeof name)) {
    port::SocketId s = -1;
    int32_t err = net.connect(name, static_cast<uint16_t>(echo), &s);
    if (err == port::kOk) await_connect(net, clock, s, &err);
    printf("net-test: dns %s -> %s\n", name, err ? port::error_name(err) : "connected");
    if (s >= 0) net.close(s);
  }
  printf("net-test: frames dropped %lu\n", static_cast<unsigned long>(net.rx_dropped()));
  mps2::MemoryReport m = mps2::memory_report();
  printf("net-test: static RAM %lu, heap peak %lu, stack peak %lu\n", static_cast<unsigned long>(m.static_ram),
         static_cast<unsigned long>(m.heap_peak), static_cast<unsigned long>(m.stack_peak));
  printf("net-test: %s\n", g_failures ? "FAILED" : "PASSED");
  return g_failures ? 1 : 0;
}
