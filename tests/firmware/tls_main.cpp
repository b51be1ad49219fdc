// Test image for the TLS device profile (tls/config/mcujs_mbedtls_device.h:
// 4096-byte receive / 2048-byte send record buffers, applied by the
// mps2-an385 preset) on the emulated board, driven by tests/firmware/tls_test.py
// against real `openssl s_server` processes on the host (10.0.2.2 from the
// guest, QEMU -nic user). The C++ API directly: tls::TlsContext /
// tls::TlsConnection over mps2::LwipNet, no JavaScript.
//
// Its inputs come from the device's own flash: a bundle that tls_test.py
// makes with `mcujs bundle` and loads into the bundle partition
// (tests/firmware/test_bundle.h):
//   params.txt   size=<bytes of /data.txt> [<case>=<port>]...
//                cases: ok13 big again untrusted selfsigned wronghost ok12 clientcert
//   boot.cfg     from the config's {"device": {"ntp": "10.0.2.2:<port>"}}: the test's NTP server
//   ca.pem       the CA the servers' chains lead to
//   client.pem, client.key   [the client certificate and its key, for clientcert]
// clientcert: a server that requires a client certificate (s_server -Verify),
// given through tls::ConnectOptions.
// Each case connects to 10.0.2.2:<port> with SNI/verification "localhost",
// GETs /data.txt (s_server -WWW) and prints ONE result line, which the script
// judges:
//   tls-test: <case> done <protocol> <cipher> body=<n> match=yes|no end=close_notify resumed=yes|no ...
//   tls-test: <case> failed at <connect|handshake|write|read> body=<n>: <CODE> (<mbedtls error>) <message>
// The image itself only fails (status 1) when it cannot run the cases (no
// bundle, no lease, no time, no CA); 0 otherwise, so a failed connection must leave the board
// running (no fault: that would be status 134).
#include <malloc.h>
#include <mbedtls/ssl.h>  // the record buffer sizes this build has

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/net/net.h"
#include "tests/firmware/test_bundle.h"
#include "tls/tls.h"

namespace {

using namespace mcujs;
using Step = tls::TlsConnection::Step;

constexpr uint64_t kStepMs = 30000;  // bound of every step (connect, handshake, write, read)
constexpr int kMaxRounds = 20000;    // and of every loop's iterations (each waits <= 10 ms)

// The served file's bytes, as tls_test.py writes them.
uint8_t pattern(uint32_t i) {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  return (i % 64 == 63) ? '\n' : static_cast<uint8_t>(kAlphabet[(i * 7 + i / 1000) % 36]);
}

unsigned long ul(uint64_t v) { return static_cast<unsigned long>(v); }

// Heap in use now (newlib-nano: what sbrk gave minus the free list).
uint32_t heap_in_use() {
  struct mallinfo mi = mallinfo();
  return static_cast<uint32_t>(mi.uordblks);
}

struct Board {
  mps2::SysTickClock clock;
  mps2::UartLog log;
  mps2::SemihostEntropy entropy;
  mps2::LwipNet net{clock, &entropy};
  port::Platform platform{};  // no files, GPIO, store or sensors: TLS needs none
  tls::TlsContext ctx;
  uint32_t size = 0;            // expected body bytes
  uint32_t hs_in_use_max = 0;   // heap in use, sampled between handshake steps (all cases)

  Board() {
    platform.clock = &clock;
    platform.entropy = &entropy;
    platform.log = &log;
    platform.tcp = &net;
    platform.poller = &net;
  }
};

// What one case saw.
struct Outcome {
  const char* stage = "connect";
  bool ok = false;
  tls::Error err;
  int32_t port_err = 0;
  uint32_t body = 0, header = 0, mismatches = 0;
  bool header_done = false;
  uint64_t hs_ms = 0;
  char protocol[16] = {}, cipher[64] = {};
  bool resumed = false;
};

// Splits the HTTP response ("HTTP/1.0 200 ok\r\n...\r\n\r\n" from s_server
// -WWW) and compares the body with the pattern as it streams in.
void consume(Outcome& o, const uint8_t* p, int32_t n, uint32_t* crlf) {
  for (int32_t i = 0; i < n; i++) {
    if (!o.header_done) {
      o.header++;
      uint8_t want = (*crlf % 2 == 0) ? '\r' : '\n';
      *crlf = p[i] == want ? *crlf + 1 : (p[i] == '\r' ? 1 : 0);
      o.header_done = *crlf == 4;
      continue;
    }
    o.mismatches += p[i] != pattern(o.body);
    o.body++;
  }
}

Outcome run_case(Board& b, uint16_t port, bool resumable, tls::ConnectOptions* options = nullptr) {
  Outcome o;
  port::SocketId s = -1;
  int32_t rc = b.net.connect("10.0.2.2", port, &s);
  uint64_t until = b.clock.monotonic_ms() + kStepMs;
  port::ConnectState st = port::ConnectState::kFailed;
  if (rc == port::kOk) {
    for (int i = 0; i < kMaxRounds && (st = b.net.state(s, &rc)) == port::ConnectState::kPending &&
                    b.clock.monotonic_ms() < until;
         i++)
      b.net.wait(10);
  }
  if (st != port::ConnectState::kConnected) {
    o.port_err = rc ? rc : port::kTimeout;
    if (s >= 0) b.net.close(s);
    return o;
  }

  tls::TlsConnection conn;
  o.stage = "handshake";
  uint64_t t0 = b.clock.monotonic_ms();
  if (!conn.start(b.ctx, s, "localhost", &o.err, resumable ? port : 0, options)) {
    b.net.close(s);
    return o;
  }
  Step hs = Step::kInProgress;
  until = t0 + kStepMs;
  for (int i = 0; i < kMaxRounds && hs == Step::kInProgress && b.clock.monotonic_ms() < until; i++) {
    hs = conn.handshake(&o.err);
    uint32_t used = heap_in_use();
    if (used > b.hs_in_use_max) b.hs_in_use_max = used;
    if (hs == Step::kInProgress) b.net.wait(10);
  }
  o.hs_ms = b.clock.monotonic_ms() - t0;
  if (hs != Step::kDone) return o;  // conn's destructor closes the socket
  snprintf(o.protocol, sizeof o.protocol, "%s", conn.protocol());
  snprintf(o.cipher, sizeof o.cipher, "%s", conn.cipher());
  o.resumed = conn.resumed();

  o.stage = "write";
  static const char kRequest[] = "GET /data.txt HTTP/1.0\r\n\r\n";
  size_t off = 0;
  until = b.clock.monotonic_ms() + kStepMs;
  for (int i = 0; i < kMaxRounds && off < sizeof kRequest - 1 && b.clock.monotonic_ms() < until; i++) {
    int32_t n = conn.write(reinterpret_cast<const uint8_t*>(kRequest) + off, sizeof kRequest - 1 - off, &o.err);
    if (n == port::kWouldBlock) b.net.wait(10);
    else if (n <= 0) return o;
    else off += static_cast<size_t>(n);
  }
  if (off != sizeof kRequest - 1) {
    o.err.set(tls::Code::kInternal, 0, "request not written within %lu ms", ul(kStepMs));
    return o;
  }

  o.stage = "read";
  static uint8_t buf[1024];
  uint32_t crlf = 0;
  until = b.clock.monotonic_ms() + kStepMs;
  int32_t n = port::kWouldBlock;
  for (int i = 0; i < kMaxRounds && b.clock.monotonic_ms() < until; i++) {
    n = conn.read(buf, sizeof buf, &o.err);
    if (n > 0) consume(o, buf, n, &crlf);
    else if (n == port::kWouldBlock) b.net.wait(10);
    else break;
  }
  if (n == 0) o.ok = true;  // the server's close_notify after the whole file
  else if (n == port::kWouldBlock)
    o.err.set(tls::Code::kInternal, 0, "no end of the response within %lu ms", ul(kStepMs));
  conn.close();
  return o;
}

void print_outcome(const char* name, const Outcome& o, uint32_t size) {
  if (o.ok) {
    printf("tls-test: %s done %s %s body=%lu match=%s end=close_notify resumed=%s hs_ms=%lu\n", name, o.protocol,
           o.cipher, ul(o.body), o.body == size && o.mismatches == 0 ? "yes" : "no", o.resumed ? "yes" : "no",
           ul(o.hs_ms));
  } else if (o.port_err && o.err.code == tls::Code::kNone) {
    printf("tls-test: %s failed at %s body=0: %s\n", name, o.stage, port::error_name(o.port_err));
  } else {
    printf("tls-test: %s failed at %s body=%lu: %s (%d) %s\n", name, o.stage, ul(o.body), tls::code_name(o.err.code),
           o.err.mbedtls_error, o.err.message);
  }
}

void print_heap(const char* when) {
  mps2::MemoryReport m = mps2::memory_report();
  printf("tls-test: heap %s: peak %lu in_use %lu stack_peak %lu\n", when, ul(m.heap_peak), ul(heap_in_use()),
         ul(m.stack_peak));
}

}  // namespace

int main() {
  mps2::board_init();
  static fwtest::TestBundle in;
  if (!in.open("tls-test")) return 1;
  printf("tls-test: record buffers in %d out %d\n", MBEDTLS_SSL_IN_CONTENT_LEN, MBEDTLS_SSL_OUT_CONTENT_LEN);
  long size = in.number("size", 1 << 24);
  const char* ca = nullptr;
  size_t ca_len = 0;
  if (size <= 0 || !in.file("ca.pem", &ca, &ca_len)) {
    printf("tls-test: the bundle needs params.txt \"size=<bytes> [<case>=<port>]...\" and ca.pem\n");
    return 1;
  }
  static Board b;
  b.size = static_cast<uint32_t>(size);
  uint64_t t0 = b.clock.monotonic_ms();
  if (!b.net.up(10000)) {
    printf("tls-test: no DHCP lease\n");
    return 1;
  }
  printf("tls-test: lease after %lu ms\n", ul(b.clock.monotonic_ms() - t0));
  // The wall clock from the test's NTP server (the bundle's boot.cfg, as the
  // runtime image reads it): certificate validity is checked against it.
  const bundle::BootSettings& boot = in.boot();
  if (!b.net.start_sntp(boot.ntp_ip[0] ? boot.ntp_ip : nullptr, boot.ntp_port) || !b.net.wait_for_time(10000)) {
    printf("tls-test: no time from SNTP (%s:%u)\n", boot.ntp_ip[0] ? boot.ntp_ip : "gateway",
           static_cast<unsigned>(boot.ntp_port));
    return 1;
  }

  print_heap("before TLS");
  tls::Options options;
  options.handshake_timeout_ms = 20000;  // slack for a loaded host (the emulated CPU is host-timed)
  tls::Error err;
  int cas = 0;
  if (!b.ctx.init(b.platform, options, &err) || (cas = b.ctx.add_ca_pem(ca, ca_len, &err)) <= 0) {
    printf("tls-test: TLS setup failed: %s (%d) %s\n", tls::code_name(err.code), err.mbedtls_error, err.message);
    return 1;
  }
  printf("tls-test: %d CA certificates from the bundle's ca.pem\n", cas);
  print_heap("after TLS init");

  // In this order: the first full handshake's heap is measured on a fresh
  // heap; "again" after "big" shows that a refused record left the board
  // (and the TLS context) working.
  // The client certificate, from the bundle like the CA.
  static tls::ConnectOptions client;
  const char *cert = nullptr, *key = nullptr;
  size_t cert_len = 0, key_len = 0;
  if (in.file("client.pem", &cert, &cert_len) && in.file("client.key", &key, &key_len)) {
    if (!client.set_client_cert(b.ctx, cert, cert_len, key, key_len, &err)) {
      printf("tls-test: client certificate: %s (%d) %s\n", tls::code_name(err.code), err.mbedtls_error, err.message);
      return 1;
    }
    printf("tls-test: client certificate from the bundle's client.pem\n");
  }
  static const char* const kCases[] = {"ok13",      "big",       "again", "untrusted",
                                       "selfsigned", "wronghost", "ok12",  "clientcert"};
  int ran = 0;
  for (const char* name : kCases) {
    long port = in.number(name, 65535);
    if (port <= 0) continue;
    mps2::MemoryReport before = mps2::memory_report();
    uint32_t in_use_before = heap_in_use();
    b.hs_in_use_max = 0;
    // "again" does a full handshake (no session from ok13 resumed).
    bool with_cert = strcmp(name, "clientcert") == 0;
    Outcome o = run_case(b, static_cast<uint16_t>(port), strcmp(name, "again") != 0, with_cert ? &client : nullptr);
    print_outcome(name, o, b.size);
    mps2::MemoryReport after = mps2::memory_report();
    printf("tls-test: %s heap: in_use before %lu, handshake max %lu (+%lu), break peak %lu -> %lu\n", name,
           ul(in_use_before), ul(b.hs_in_use_max),
           ul(b.hs_in_use_max > in_use_before ? b.hs_in_use_max - in_use_before : 0),
           ul(before.heap_peak), ul(after.heap_peak));
    ran++;
  }
  tls::HandshakeStats h = b.ctx.handshakes();
  // CPU of the completed handshakes (port::Clock::cpu_ns: instructions under -icount shift=0).
  printf("tls-test: handshakes full=%lu resumed=%lu cpu_us=%lu sessions cached=%d\n", ul(h.full), ul(h.resumed),
         ul(h.full_ns / 1000), b.ctx.session_count());
  printf("tls-test: frames dropped %lu\n", ul(b.net.rx_dropped()));
  print_heap("at the end");
  printf("tls-test: ran %d cases\n", ran);
  return ran > 0 ? 0 : 1;
}
