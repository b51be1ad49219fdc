// fetch() inside a real runtime: lifetimes at teardown (requests in flight,
// pooled connections, responses that outlive the binding's state), with a
// raw loopback socket as the server. Leaks show up under ASan/LSan and in
// QuickJS's own check when the runtime is freed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "core/runtime.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "ports/linux/linux_port.h"
#include "tests/unit/test_logs.h"

using namespace mcujs;

namespace {

using test::CaptureLog;

// A listening socket on 127.0.0.1 and at most one accepted client.
struct Server {
  Server() {
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(lfd, 8), 0);
    socklen_t len = sizeof a;
    getsockname(lfd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~Server() {
    if (cfd >= 0) close(cfd);
    close(lfd);
  }
  bool accept_one(int timeout_ms = 2000) {
    pollfd p{lfd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    cfd = accept(lfd, nullptr, nullptr);
    return cfd >= 0;
  }
  // Reads what the client sent so far (non-blocking).
  std::string drain() {
    std::string s;
    char buf[4096];
    pollfd p{cfd, POLLIN, 0};
    while (poll(&p, 1, 0) > 0) {
      ssize_t n = recv(cfd, buf, sizeof buf, 0);
      if (n <= 0) break;
      s.append(buf, static_cast<size_t>(n));
    }
    return s;
  }
  void send_all(const std::string& s) {
    ASSERT_EQ(send(cfd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  }

  int lfd = -1, cfd = -1;
  uint16_t port = 0;
};

struct Fixture {
  explicit Fixture(bool with_net = true) : rt(platform(), core::RuntimeOptions{}) {
    EXPECT_TRUE(rt.init());
    EXPECT_TRUE(bind::install_console(rt));
    EXPECT_TRUE(bind::install_timers(rt));
    if (with_net) {
      EXPECT_TRUE(bind::install_net(rt, bind::NetConfig{}));
    }
    EXPECT_TRUE(bind::install_fetch(rt));
  }
  port::Platform& platform() {
    plat = host.platform();
    plat.log = &log;
    return plat;
  }
  bool eval(const std::string& src) { return rt.eval_source("<test>", src.data(), src.size(), true); }
  // Services the loop until the server accepts a connection.
  bool accept(Server& s) {
    for (int i = 0; i < 200; i++) {
      if (s.accept_one(0)) return true;
      rt.loop().service(5);
    }
    return false;
  }
  // Services the loop until the server has received a whole request head.
  std::string await_request(Server& s) {
    std::string req;
    for (int i = 0; i < 200 && req.find("\r\n\r\n") == std::string::npos; i++) {
      rt.loop().service(5);
      req += s.drain();
    }
    return req;
  }
  linux_port::LinuxPlatform host;
  port::Platform plat{};
  CaptureLog log;
  core::Runtime rt;
};

std::string url(const Server& s, const char* path = "/") {
  return "http://127.0.0.1:" + std::to_string(s.port) + path;
}

}  // namespace

TEST(Fetch, TeardownWithRequestInFlight) {
  Server s;
  {
    Fixture f;
    ASSERT_TRUE(f.eval("globalThis.p = fetch('" + url(s, "/never") + "'); globalThis.p.catch(() => {});"));
    ASSERT_TRUE(s.accept_one());
    std::string req = f.await_request(s);
    EXPECT_EQ(req.rfind("GET /never HTTP/1.1\r\n", 0), 0u) << req;
    // The runtime goes away with the exchange pending: nothing may leak.
  }
  EXPECT_EQ(s.drain(), "");  // and the connection was closed
}

TEST(Fetch, ResponseOutlivesTheBindingState) {
  Server s;
  Fixture f;
  ASSERT_TRUE(f.eval("globalThis.r = null; fetch('" + url(s) + "').then(x => { globalThis.r = x; });"));
  ASSERT_TRUE(s.accept_one());
  std::string req = f.await_request(s);
  ASSERT_NE(req.find("\r\n\r\n"), std::string::npos);
  s.send_all("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Test: yes\r\n\r\nhello");
  EXPECT_EQ(f.rt.run(), 0) << f.log.text;  // ends: the pooled connection is idle, not busy
  ASSERT_TRUE(f.eval("if (globalThis.r.status !== 200 || globalThis.r.headers.get('x-test') !== 'yes')"
                     "  throw new Error('bad');"
                     "globalThis.stats = fetch.stats();"
                     "if (globalThis.stats.idle !== 1) throw new Error('not pooled');"))
      << f.log.text;
  // The Response (with its unread body) and the idle connection are freed by
  // the runtime's destructor, the Response after the fetch state is gone.
}

TEST(Fetch, BodyConsumedAfterTheConnectionIsGone) {
  Server s;
  Fixture f;
  ASSERT_TRUE(f.eval("globalThis.out = ''; fetch('" + url(s) + "').then(async r => { globalThis.r = r; });"));
  ASSERT_TRUE(s.accept_one());
  f.await_request(s);
  s.send_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(f.rt.run(), 0) << f.log.text;
  ASSERT_TRUE(f.eval("globalThis.r.text().then(t => { globalThis.out = t; });"));
  EXPECT_EQ(f.rt.run(), 0);
  ASSERT_TRUE(f.eval("if (globalThis.out !== 'abc') throw new Error(globalThis.out);")) << f.log.text;
}

TEST(Fetch, StaleConnectionRetriedOnce) {
  Server s;
  Fixture f;
  ASSERT_TRUE(f.eval("fetch('" + url(s, "/a") + "').then(r => r.text()).then(t => { globalThis.a = t; });"));
  ASSERT_TRUE(s.accept_one());
  f.await_request(s);
  s.send_all("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA");
  EXPECT_EQ(f.rt.run(), 0) << f.log.text;
  // The server drops the idle connection; the next fetch must still work.
  close(s.cfd);
  s.cfd = -1;
  ASSERT_TRUE(f.eval("fetch('" + url(s, "/b") + "').then(r => r.text()).then(t => { globalThis.b = t; });"));
  ASSERT_TRUE(f.accept(s));
  std::string req = f.await_request(s);
  EXPECT_EQ(req.rfind("GET /b HTTP/1.1\r\n", 0), 0u) << req;
  s.send_all("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nB");
  EXPECT_EQ(f.rt.run(), 0) << f.log.text;
  ASSERT_TRUE(f.eval("if (globalThis.a !== 'A' || globalThis.b !== 'B')"
                     "  throw new Error('got ' + globalThis.a + globalThis.b);"))
      << f.log.text;
}

TEST(Fetch, HttpsWithoutNetConfigRejects) {
  Fixture f(false);
  ASSERT_TRUE(f.eval("globalThis.msg = '';"
                     "fetch('https://127.0.0.1:1/').catch(e => { globalThis.msg = e.message; });"));
  EXPECT_EQ(f.rt.run(), 0);
  ASSERT_TRUE(f.eval("if (!globalThis.msg.includes('TLS is not available')) throw new Error(globalThis.msg);"))
      << f.log.text;
}

TEST(Fetch, UnhandledRejectionIsReported) {
  Fixture f;
  ASSERT_TRUE(f.eval("fetch('http://127.0.0.1:1/');"));
  EXPECT_EQ(f.rt.run(), 1);
  EXPECT_NE(f.log.text.find("connection refused"), std::string::npos) << f.log.text;
}
