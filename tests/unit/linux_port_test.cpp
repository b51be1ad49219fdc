// The Linux port against the real kernel: sockets on loopback, the file
// key-value store, entropy and clocks.
#include "ports/linux/linux_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

using namespace mcujs;

namespace {

// A listening IPv4-only socket on 127.0.0.1 with a kernel-chosen port.
struct Listener4 {
  int fd = -1;
  uint16_t port = 0;
  Listener4() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd, 4);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~Listener4() { close(fd); }
};

// Polls until the connect settles; bounded to 2 s.
port::ConnectState settle(linux_port::LinuxTcp& tcp, port::SocketId s, int32_t* err) {
  port::ConnectState st = port::ConnectState::kPending;
  for (int i = 0; i < 200 && st == port::ConnectState::kPending; i++) {
    tcp.wait(10);
    st = tcp.state(s, err);
  }
  return st;
}

}  // namespace

TEST(LinuxTcp, LocalhostFallsBackFromIpv6ToIpv4) {
  Listener4 l;  // only 127.0.0.1: "localhost" may resolve to ::1 first
  linux_port::LinuxTcp tcp;
  port::SocketId s;
  ASSERT_EQ(tcp.connect("localhost", l.port, &s), port::kOk);
  int32_t err = 0;
  EXPECT_EQ(settle(tcp, s, &err), port::ConnectState::kConnected) << port::error_name(err);
  int peer = accept(l.fd, nullptr, nullptr);
  ASSERT_GE(peer, 0);
  const char msg[] = "ping";
  EXPECT_EQ(tcp.write(s, reinterpret_cast<const uint8_t*>(msg), 4), 4);
  char buf[8] = {};
  EXPECT_EQ(read(peer, buf, sizeof buf), 4);
  EXPECT_STREQ(buf, "ping");
  // Nothing to read yet: would block, then data, then end of stream.
  uint8_t in[8];
  EXPECT_EQ(tcp.read(s, in, sizeof in), port::kWouldBlock);
  ASSERT_EQ(write(peer, "pong", 4), 4);
  close(peer);
  int32_t n = port::kWouldBlock;
  for (int i = 0; i < 100 && n == port::kWouldBlock; i++) {
    tcp.wait(10);
    n = tcp.read(s, in, sizeof in);
  }
  EXPECT_EQ(n, 4);
  n = port::kWouldBlock;
  for (int i = 0; i < 100 && n == port::kWouldBlock; i++) {
    tcp.wait(10);
    n = tcp.read(s, in, sizeof in);
  }
  EXPECT_EQ(n, port::kClosed);
  tcp.close(s);
  EXPECT_EQ(tcp.open_count(), 0);
}

TEST(LinuxTcp, RefusedAndUnresolvable) {
  uint16_t port;
  {
    Listener4 l;
    port = l.port;
  }  // closed: nothing listens there now
  linux_port::LinuxTcp tcp;
  port::SocketId s;
  ASSERT_EQ(tcp.connect("127.0.0.1", port, &s), port::kOk);
  int32_t err = 0;
  EXPECT_EQ(settle(tcp, s, &err), port::ConnectState::kFailed);
  EXPECT_EQ(err, port::kRefused);
  tcp.close(s);
  EXPECT_EQ(tcp.connect("no-such-host.invalid", 80, &s), port::kResolveFailed);
  EXPECT_EQ(tcp.connect("", 80, &s), port::kInvalid);
  EXPECT_EQ(tcp.connect("localhost", 0, &s), port::kInvalid);
  EXPECT_EQ(tcp.open_count(), 0);
}

TEST(LinuxTcp, SocketTableIsBounded) {
  Listener4 l;
  linux_port::LinuxTcp tcp;
  port::SocketId ids[linux_port::LinuxTcp::kMaxSockets];
  for (auto& id : ids) ASSERT_EQ(tcp.connect("127.0.0.1", l.port, &id), port::kOk);
  port::SocketId extra;
  EXPECT_EQ(tcp.connect("127.0.0.1", l.port, &extra), port::kNoMemory);
  for (auto id : ids) tcp.close(id);
  EXPECT_EQ(tcp.open_count(), 0);
  uint8_t b;
  EXPECT_EQ(tcp.read(ids[0], &b, 1), port::kInvalid);  // use after close
}

TEST(LinuxTcp, ListenAcceptOnDualStack) {
  linux_port::LinuxTcp tcp;
  port::SocketId srv = -1;
  uint16_t port = 0;
  for (int i = 0; i < 20 && srv < 0; i++) {
    port = static_cast<uint16_t>(20000 + rand() % 30000);
    if (tcp.listen(port, &srv) != port::kOk) srv = -1;
  }
  ASSERT_GE(srv, 0);
  port::SocketId peer;
  EXPECT_EQ(tcp.accept(srv, &peer), port::kWouldBlock);
  for (const char* host : {"127.0.0.1", "::1"}) {
    port::SocketId c;
    ASSERT_EQ(tcp.connect(host, port, &c), port::kOk);
    int32_t err;
    EXPECT_EQ(settle(tcp, c, &err), port::ConnectState::kConnected) << host;
    int32_t rc = port::kWouldBlock;
    for (int i = 0; i < 100 && rc == port::kWouldBlock; i++) {
      tcp.wait(10);
      rc = tcp.accept(srv, &peer);
    }
    EXPECT_EQ(rc, port::kOk) << host;
    tcp.close(peer);
    tcp.close(c);
  }
  port::SocketId again;
  EXPECT_EQ(tcp.listen(port, &again), port::kAddressInUse);
  tcp.close(srv);
}

TEST(DirKvStore, PutGetRemoveAtomically) {
  char dir[] = "/tmp/mcujs-kv-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  linux_port::DirKvStore kv(dir);
  const char v1[] = "first value";
  ASSERT_EQ(kv.put("outbox", reinterpret_cast<const uint8_t*>(v1), sizeof v1), port::kOk);
  uint8_t buf[64] = {};
  EXPECT_EQ(kv.get("outbox", buf, sizeof buf), static_cast<int32_t>(sizeof v1));
  EXPECT_STREQ(reinterpret_cast<char*>(buf), v1);
  // A short buffer still reports the full length.
  EXPECT_EQ(kv.get("outbox", buf, 4), static_cast<int32_t>(sizeof v1));
  // No temporary file is left behind.
  std::string tmp = std::string(dir) + "/outbox.tmp";
  EXPECT_NE(access(tmp.c_str(), F_OK), 0);
  EXPECT_EQ(kv.get("missing", buf, sizeof buf), port::kNotFound);
  EXPECT_EQ(kv.put("../escape", buf, 1), port::kInvalid);
  EXPECT_EQ(kv.put("a/b", buf, 1), port::kInvalid);
  EXPECT_EQ(kv.put("", buf, 1), port::kInvalid);
  EXPECT_EQ(kv.remove("outbox"), port::kOk);
  EXPECT_EQ(kv.remove("outbox"), port::kNotFound);
  rmdir(dir);
}

TEST(LinuxSystem, EntropyAndClocks) {
  linux_port::LinuxEntropy e;
  EXPECT_TRUE(e.strong());
  uint8_t a[32] = {}, b[32] = {};
  ASSERT_EQ(e.fill(a, sizeof a), port::kOk);
  ASSERT_EQ(e.fill(b, sizeof b), port::kOk);
  EXPECT_NE(memcmp(a, b, sizeof a), 0);
  linux_port::LinuxClock c;
  uint64_t t0 = c.monotonic_ms();
  usleep(20000);
  EXPECT_GE(c.monotonic_ms() - t0, 19u);
  int64_t now = 0;
  EXPECT_TRUE(c.wall_time(&now));
  EXPECT_GT(now, 1700000000);
}
