#include "tests/port/conformance.h"

#include <cstdio>
#include <cstring>

namespace mcujs::port_test {

namespace {

constexpr uint32_t kWaitLimitMs = 10000;  // any single wait of the suite
constexpr size_t kEchoBytes = 8192;

uint8_t pattern(size_t i) { return static_cast<uint8_t>((i * 7 + 3) ^ (i >> 8)); }

uint8_t* bump_alloc(void* opaque, size_t len) {
  // Files::read into a caller's fixed buffer: opaque is a {buf, cap} pair.
  auto* b = static_cast<uint8_t**>(opaque);
  size_t cap = reinterpret_cast<size_t>(b[1]);
  return len <= cap ? b[0] : nullptr;
}
uint8_t* null_alloc(void* opaque, size_t) {
  *static_cast<bool*>(opaque) = true;
  return nullptr;
}

}  // namespace

bool Suite::check(bool ok, const char* group, const char* what, long detail) {
  if (ok) {
    passed_++;
    printf("port: ok   %s: %s\n", group, what);
  } else {
    failed_++;
    printf("port: FAIL %s: %s (%ld)\n", group, what, detail);
  }
  return ok;
}

bool Suite::summary() const {
  printf("port: %d passed, %d failed\n", passed_, failed_);
  return failed_ == 0 && passed_ > 0;
}

// ------------------------------------------------------------------ Clock

void Suite::clock_checks() {
  const char* g = "clock";
  uint64_t prev = clock_.monotonic_ms();
  bool monotonic = true;
  for (int i = 0; i < 1000; i++) {
    uint64_t now = clock_.monotonic_ms();
    if (now < prev) monotonic = false;
    prev = now;
  }
  check(monotonic, g, "monotonic_ms never goes backwards");
  // The poller may return early (spurious returns are allowed): wait in a
  // bounded loop until 100 ms have passed.
  uint64_t t0 = clock_.monotonic_ms();
  int waits = 0;
  while (clock_.monotonic_ms() - t0 < 100 && waits < 1000) {
    poller_.wait(100);
    waits++;
  }
  uint64_t elapsed = clock_.monotonic_ms() - t0;
  check(elapsed >= 100 && elapsed < 2000, g, "Poller::wait lets 100 ms of monotonic time pass", static_cast<long>(elapsed));
  uint64_t c0 = clock_.cpu_ns();
  volatile uint32_t spin = 0;
  for (uint32_t i = 0; i < 100000; i++) spin = spin + i;
  check(clock_.cpu_ns() >= c0, g, "cpu_ns never goes backwards");
  int64_t s = 0, ms = 0;
  bool has_wall = clock_.wall_time(&s);
  if (has_wall) {
    check(clock_.wall_time_ms(&ms) && (ms / 1000 - s) >= 0 && (ms / 1000 - s) <= 2, g,
          "wall_time_ms agrees with wall_time", static_cast<long>(ms / 1000 - s));
    check(s > 1577836800, g, "a wall time, when there is one, is after 2020", static_cast<long>(s));
  } else {
    check(!clock_.wall_time_ms(&ms), g, "no wall_time_ms without a wall_time");
  }
  // A real clock cannot jump: skip() answers false and time does not move.
  uint64_t before = clock_.monotonic_ms();
  if (!clock_.skip(60000)) {
    check(clock_.monotonic_ms() - before < 1000, g, "a clock that cannot skip does not jump");
  } else {
    check(clock_.monotonic_ms() - before >= 60000, g, "a simulated clock's skip moves monotonic time");
  }
}

// ---------------------------------------------------------------- Entropy

void Suite::entropy_checks(port::Entropy& entropy) {
  const char* g = "entropy";
  // Every backend that runs TLS must have a strong source (TLS refuses a
  // weak one); the emulated boards' is the host's, through semihosting.
  check(entropy.strong(), g, "strong() is true (fit to seed the DRBG)");
  check(entropy.name() && entropy.name()[0], g, "name() says what the source is");
  uint8_t a[32] = {}, b[32] = {};
  check(entropy.fill(a, sizeof a) == port::kOk && entropy.fill(b, sizeof b) == port::kOk, g, "fill() answers kOk");
  check(memcmp(a, b, sizeof a) != 0, g, "two fills differ");
  int distinct = 0;
  for (size_t i = 1; i < sizeof a; i++) distinct += a[i] != a[0];
  check(distinct > 0, g, "a fill is not one repeated byte");
  static uint8_t big[1024];
  check(entropy.fill(big, sizeof big) == port::kOk, g, "fill() of 1 KB at once");
  check(entropy.fill(a, 0) == port::kOk, g, "fill() of 0 bytes answers kOk");
}

// ------------------------------------------------------------------ Files

void Suite::files_checks(port::Files& files, const char* path, const uint8_t* want, size_t len, const char* missing) {
  const char* g = "files";
  static uint8_t buf[4096];
  uint8_t* ctx[2] = {buf, reinterpret_cast<uint8_t*>(sizeof buf)};
  uint8_t* out = nullptr;
  int32_t n = files.read(path, bump_alloc, ctx, &out);
  check(n == static_cast<int32_t>(len) && out == buf && memcmp(buf, want, len) == 0, g,
        "read() returns the whole file in the caller's buffer", n);
  bool called = false;
  out = nullptr;
  check(files.read(missing, null_alloc, &called, &out) == port::kNotFound && !called, g,
        "a missing file is kNotFound, nothing allocated");
  check(files.read(path, null_alloc, &called, &out) == port::kNoMemory, g,
        "an allocator that fails gives kNoMemory");
}

// ---------------------------------------------------------------- KvStore

void Suite::kv_checks(port::KvStore& kv, const char* label) {
  char g[40];
  snprintf(g, sizeof g, "kv (%s)", label);
  static const uint8_t kV1[] = "first value";
  static const uint8_t kV2[] = "second, longer value";
  uint8_t buf[64];
  kv.remove("conf-a");  // from an earlier run of the same store
  check(kv.get("conf-a", buf, sizeof buf) == port::kNotFound, g, "get() of an absent key is kNotFound");
  check(kv.put("conf-a", kV1, sizeof kV1) == port::kOk, g, "put() answers kOk");
  check(kv.get("conf-a", buf, sizeof buf) == static_cast<int32_t>(sizeof kV1) && memcmp(buf, kV1, sizeof kV1) == 0,
        g, "get() returns what put() stored");
  check(kv.put("conf-a", kV2, sizeof kV2) == port::kOk, g, "put() over a value replaces it");
  memset(buf, 0, sizeof buf);
  check(kv.get("conf-a", buf, 6) == static_cast<int32_t>(sizeof kV2) && memcmp(buf, kV2, 6) == 0 && buf[6] == 0, g,
        "get() with a small buffer copies cap bytes and answers the full length");
  check(kv.get("conf-a", nullptr, 0) == static_cast<int32_t>(sizeof kV2), g, "get() with no buffer answers the length");
  check(kv.remove("conf-a") == port::kOk && kv.get("conf-a", buf, sizeof buf) == port::kNotFound, g,
        "remove() deletes the value");
  check(kv.remove("conf-a") == port::kNotFound, g, "remove() of an absent key is kNotFound");
  check(kv.put("conf-empty", nullptr, 0) == port::kOk && kv.get("conf-empty", buf, sizeof buf) == 0, g,
        "an empty value is a value");
  kv.remove("conf-empty");

  // The key rule of port/port.h, the same on every backend.
  char longest[port::kMaxKeyLength + 2];
  memset(longest, 'k', sizeof longest);
  longest[port::kMaxKeyLength] = 0;
  check(port::valid_key(longest) && kv.put(longest, kV1, 1) == port::kOk && kv.get(longest, buf, 1) == 1 &&
            kv.remove(longest) == port::kOk,
        g, "a key of kMaxKeyLength bytes works");
  longest[port::kMaxKeyLength] = 'k';
  longest[port::kMaxKeyLength + 1] = 0;
  static const char* const kBad[] = {"", ".hidden", "a/b", "a b", "caf\xc3\xa9", longest, nullptr};
  static const char* const kBadName[] = {"empty", "leading dot", "slash", "space", "non-ASCII", "too long", "null"};
  for (size_t i = 0; i < sizeof kBad / sizeof kBad[0]; i++) {
    char what[80];
    snprintf(what, sizeof what, "a bad key (%s) is kInvalid for put, get and remove", kBadName[i]);
    check(!port::valid_key(kBad[i]) && kv.put(kBad[i], kV1, 1) == port::kInvalid &&
              kv.get(kBad[i], buf, sizeof buf) == port::kInvalid && kv.remove(kBad[i]) == port::kInvalid,
          g, what);
  }
  check(port::valid_key("outbox-1.meta_2") && kv.put("outbox-1.meta_2", kV1, 2) == port::kOk &&
            kv.remove("outbox-1.meta_2") == port::kOk,
        g, "letters, digits, '.', '_' and '-' make a key");

  // Many keys, 8 KB of values: each keeps its own value.
  static uint8_t val[512];
  bool all = true;
  for (int k = 0; k < 16 && all; k++) {
    char key[16];
    snprintf(key, sizeof key, "conf-many-%d", k);
    memset(val, 'a' + k, sizeof val);
    all = kv.put(key, val, sizeof val) == port::kOk;
  }
  for (int k = 0; k < 16 && all; k++) {
    char key[16];
    snprintf(key, sizeof key, "conf-many-%d", k);
    all = kv.get(key, val, sizeof val) == static_cast<int32_t>(sizeof val) && val[0] == 'a' + k &&
          val[sizeof val - 1] == 'a' + k && kv.remove(key) == port::kOk;
  }
  check(all, g, "16 keys of 512 bytes each keep their own values");
}

// -------------------------------------------------------------------- Tcp

port::SocketId Suite::connect(port::Tcp& tcp, const char* host, uint16_t port, int32_t* err) {
  port::SocketId s = -1;
  *err = tcp.connect(host, port, &s);
  if (*err != port::kOk) return -1;
  uint64_t t0 = clock_.monotonic_ms();
  port::ConnectState st = tcp.state(s, err);
  while (st == port::ConnectState::kPending && clock_.monotonic_ms() - t0 < kWaitLimitMs) {
    poller_.wait(50);
    st = tcp.state(s, err);
  }
  if (st == port::ConnectState::kConnected) {
    *err = port::kOk;
    return s;
  }
  if (st == port::ConnectState::kPending) *err = port::kTimeout;
  tcp.close(s);
  return -1;
}

// Moves len bytes through op (a read or a write at an offset), waiting
// while it answers kWouldBlock; bounded in time. The count moved.
template <typename Op>
size_t Suite::transfer(size_t len, Op op) {
  uint64_t t0 = clock_.monotonic_ms();
  size_t done = 0;
  while (done < len && clock_.monotonic_ms() - t0 < kWaitLimitMs) {
    int32_t n = op(done);
    if (n == port::kWouldBlock) {
      poller_.wait(50);
      continue;
    }
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

bool Suite::write_all(port::Tcp& tcp, port::SocketId s, const uint8_t* buf, size_t len) {
  return transfer(len, [&](size_t off) { return tcp.write(s, buf + off, len - off); }) == len;
}

size_t Suite::read_exactly(port::Tcp& tcp, port::SocketId s, uint8_t* buf, size_t len) {
  return transfer(len, [&](size_t off) { return tcp.read(s, buf + off, len - off); });
}

int32_t Suite::read_settled(port::Tcp& tcp, port::SocketId s, uint8_t* buf, size_t len) {
  uint64_t t0 = clock_.monotonic_ms();
  while (clock_.monotonic_ms() - t0 < kWaitLimitMs) {
    int32_t n = tcp.read(s, buf, len);
    if (n != port::kWouldBlock) return n;
    poller_.wait(50);
  }
  return port::kTimeout;
}

void Suite::tcp_checks(port::Tcp& tcp, const Peer& peer) {
  const char* g = "tcp";
  port::SocketId s = -1;
  check(tcp.connect(peer.host, 0, &s) == port::kInvalid && tcp.connect("", peer.echo_port, &s) == port::kInvalid, g,
        "connect() to port 0 or an empty host is kInvalid");
  uint8_t b = 0;
  int32_t err = 0;
  check(tcp.read(999, &b, 1) == port::kInvalid && tcp.write(999, &b, 1) == port::kInvalid &&
            tcp.state(999, &err) == port::ConnectState::kFailed && err == port::kInvalid,
        g, "an unknown socket id is kInvalid");
  tcp.close(999);  // must not crash

  // Echo: 8 KB out and back, through whatever partial reads and writes.
  s = connect(tcp, peer.host, peer.echo_port, &err);
  if (check(s >= 0, g, "connect() to the loopback peer reaches kConnected", err)) {
    check(tcp.read(s, &b, 0) == 0, g, "a read of 0 bytes answers 0");
    static uint8_t out[kEchoBytes], in[kEchoBytes];
    for (size_t i = 0; i < kEchoBytes; i++) out[i] = pattern(i);
    const uint8_t mode = 'E';
    bool sent = write_all(tcp, s, &mode, 1) && write_all(tcp, s, out, kEchoBytes);
    check(sent, g, "write() takes 8 KB (partial writes and kWouldBlock allowed)");
    size_t got = sent ? read_exactly(tcp, s, in, kEchoBytes) : 0;
    check(got == kEchoBytes && memcmp(in, out, kEchoBytes) == 0, g, "read() returns the 8 KB echoed, in order",
          static_cast<long>(got));
    check(tcp.pending(s) >= 0, g, "pending() is never negative on a live socket");
    tcp.close(s);
    check(tcp.read(s, &b, 1) == port::kInvalid, g, "a closed socket's id is kInvalid");
  }

  // The peer's orderly close: its last bytes first, then kClosed, again.
  s = connect(tcp, peer.host, peer.echo_port, &err);
  if (s >= 0) {
    const uint8_t mode = 'C';
    uint8_t bye[8] = {};
    bool sent = write_all(tcp, s, &mode, 1);
    size_t got = sent ? read_exactly(tcp, s, bye, 4) : 0;
    check(got == 4 && memcmp(bye, "bye\n", 4) == 0, g, "the bytes sent before a close are read first");
    check(read_settled(tcp, s, bye, sizeof bye) == port::kClosed, g, "then read() answers kClosed");
    check(tcp.read(s, bye, sizeof bye) == port::kClosed, g, "and kClosed again");
    tcp.close(s);
  } else {
    check(false, g, "a second connection to the peer", err);
  }

  // Nothing listens: the connect fails with kRefused, and the socket's reads
  // and writes answer that error.
  s = -1;
  err = tcp.connect(peer.host, peer.closed_port, &s);
  if (err == port::kOk) {
    uint64_t t0 = clock_.monotonic_ms();
    port::ConnectState st = tcp.state(s, &err);
    while (st == port::ConnectState::kPending && clock_.monotonic_ms() - t0 < kWaitLimitMs) {
      poller_.wait(50);
      st = tcp.state(s, &err);
    }
    check(st == port::ConnectState::kFailed && err == port::kRefused, g, "a closed port fails with kRefused", err);
    check(tcp.read(s, &b, 1) == err && tcp.write(s, &b, 1) == err, g, "a failed socket's read/write answer its error");
    tcp.close(s);
  } else {
    check(err == port::kRefused, g, "a closed port fails with kRefused", err);
  }

  // listen() is optional: kUnsupported (and accept too), or a listener.
  port::SocketId l = -1;
  int32_t rc = tcp.listen(0, &l);
  if (rc == port::kUnsupported) {
    port::SocketId a = -1;
    check(tcp.accept(0, &a) == port::kUnsupported, g, "no listen(): accept() is kUnsupported too");
  } else {
    check(rc == port::kOk || rc == port::kInvalid, g, "listen() answers kOk, kInvalid or kUnsupported", rc);
    if (rc == port::kOk) {
      port::SocketId a = -1;
      check(tcp.accept(l, &a) == port::kWouldBlock, g, "accept() without a client is kWouldBlock");
      tcp.close(l);
    }
  }
}

}  // namespace mcujs::port_test
