// net/http_client against a scripted fake port (sockets and clock), so
// keep-alive reuse, stale connections, timeouts and limits are deterministic.
#include "net/http/client.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace mcujs;
using namespace mcujs::net::http;

namespace {

struct FakeSocket {
  std::string host;
  uint16_t port = 0;
  port::ConnectState st = port::ConnectState::kConnected;
  int32_t err = 0;
  std::string in;  // what the "server" sends
  size_t in_off = 0;
  bool eof = false;
  int32_t read_error = 0;
  std::string out;  // what the client wrote
  bool closed = false;
};

class FakeNet final : public port::Tcp, public port::Poller, public port::Clock {
 public:
  // port::Clock
  uint64_t monotonic_ms() override { return now; }
  bool wall_time(int64_t*) override { return false; }
  // port::Poller: time passes, nothing else happens.
  void wait(uint32_t ms) override { now += ms; }
  // port::Tcp
  int32_t connect(const char* host, uint16_t p, port::SocketId* out) override {
    if (connect_result != port::kOk) return connect_result;
    FakeSocket s;
    s.host = host;
    s.port = p;
    s.st = next_state;
    s.err = next_err;
    socks.push_back(s);
    *out = static_cast<port::SocketId>(socks.size() - 1);
    return port::kOk;
  }
  port::ConnectState state(port::SocketId s, int32_t* err) override {
    *err = socks[s].err;
    return socks[s].st;
  }
  int32_t read(port::SocketId id, uint8_t* buf, size_t len) override {
    FakeSocket& s = socks[id];
    EXPECT_FALSE(s.closed);
    if (s.read_error) return s.read_error;
    if (s.in_off < s.in.size()) {
      size_t n = std::min(len, s.in.size() - s.in_off);
      if (max_read && n > max_read) n = max_read;
      memcpy(buf, s.in.data() + s.in_off, n);
      s.in_off += n;
      return static_cast<int32_t>(n);
    }
    return s.eof ? port::kClosed : port::kWouldBlock;
  }
  int32_t write(port::SocketId id, const uint8_t* buf, size_t len) override {
    FakeSocket& s = socks[id];
    EXPECT_FALSE(s.closed);
    if (max_write && len > max_write) len = max_write;
    s.out.append(reinterpret_cast<const char*>(buf), len);
    return static_cast<int32_t>(len);
  }
  int32_t pending(port::SocketId) override { return 0; }
  void close(port::SocketId id) override { socks[id].closed = true; }
  int32_t listen(uint16_t, port::SocketId*) override { return port::kUnsupported; }
  int32_t accept(port::SocketId, port::SocketId*) override { return port::kUnsupported; }

  std::vector<FakeSocket> socks;
  uint64_t now = 1000;
  int32_t connect_result = port::kOk;
  port::ConnectState next_state = port::ConnectState::kConnected;
  int32_t next_err = 0;
  size_t max_read = 0, max_write = 0;
};

struct Obs final : ExchangeObserver {
  void on_exchange_done(Exchange& ex) override {
    calls++;
    failed = ex.failed();
    code = ex.error().code ? ex.error().code : "";
    message = ex.error().message;
    status = ex.response().status();
    body.assign(reinterpret_cast<const char*>(ex.body() ? ex.body() : reinterpret_cast<const uint8_t*>("")),
                ex.body_size());
    reused = ex.reused();
    if (client) client->release(&ex);
  }
  Client* client = nullptr;
  int calls = 0;
  bool failed = false, reused = false;
  std::string code, message, body;
  int status = 0;
};

struct Fixture : ::testing::Test {
  Fixture() {
    platform.clock = &net;
    platform.tcp = &net;
    platform.poller = &net;
  }
  void SetUp() override {
    loop = new core::EventLoop(platform);
    client = new Client(*loop, system_allocator(), config);
  }
  void TearDown() override {
    delete client;
    delete loop;
  }
  void reconfigure(const ClientConfig& c) { client->set_config(c); }

  net::Url url(const char* s) {
    net::Url u;
    EXPECT_EQ(net::parse_url(s, strlen(s), &u), net::UrlError::kOk);
    return u;
  }
  // Runs the loop until obs has been called (bounded).
  void run(Obs& obs, int max = 200) {
    for (int i = 0; i < max && obs.calls == 0; i++) loop->service(0);
  }
  Exchange* start(const net::Url& u, Obs& obs, const char* method = "GET", const char* body = nullptr,
                  uint64_t timeout = 30000, size_t max_body = 1 << 20) {
    Request r;
    r.url = &u;
    r.method = method;
    if (body) {
      r.body = reinterpret_cast<const uint8_t*>(body);
      r.body_len = strlen(body);
    }
    r.deadline = net.now + timeout;
    r.max_body = max_body;
    obs.client = client;
    net::Error err;
    Exchange* ex = client->start(r, &obs, &err);
    last_error = err.code ? err.code : "";
    return ex;
  }

  FakeNet net;
  port::Platform platform{};
  core::EventLoop* loop = nullptr;
  ClientConfig config;
  Client* client = nullptr;
  std::string last_error;
};

const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

}  // namespace

TEST_F(Fixture, SimpleGet) {
  net::Url u = url("http://example.com:8080/path?q=1");
  Obs obs;
  ASSERT_NE(start(u, obs), nullptr);
  ASSERT_EQ(net.socks.size(), 1u);
  EXPECT_EQ(net.socks[0].host, "example.com");
  EXPECT_EQ(net.socks[0].port, 8080);
  net.socks[0].in = kOk;
  run(obs);
  ASSERT_EQ(obs.calls, 1);
  EXPECT_FALSE(obs.failed) << obs.message;
  EXPECT_EQ(obs.status, 200);
  EXPECT_EQ(obs.body, "hello");
  EXPECT_EQ(net.socks[0].out, "GET /path?q=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
  EXPECT_FALSE(net.socks[0].closed);  // parked for reuse
  EXPECT_EQ(client->stats().idle, 1u);
  EXPECT_EQ(client->stats().connections, 1u);
}

TEST_F(Fixture, PostWithBodyAndPartialWrites) {
  net.max_write = 3;
  net::Url u = url("http://h/submit");
  Obs obs;
  const char* body = "{\"temperature\":22}";
  Request r;
  r.url = &u;
  r.method = "POST";
  r.body = reinterpret_cast<const uint8_t*>(body);
  r.body_len = strlen(body);
  Field f{"Content-Type", 12, "application/json", 16};
  r.fields = &f;
  r.field_count = 1;
  obs.client = client;
  net::Error err;
  ASSERT_NE(client->start(r, &obs, &err), nullptr);
  net.socks[0].in = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
  run(obs);
  EXPECT_EQ(obs.status, 201);
  EXPECT_EQ(net.socks[0].out,
            std::string("POST /submit HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                        "Content-Length: 18\r\n\r\n") + body);
  EXPECT_EQ(client->stats().idle, 1u);
}

TEST_F(Fixture, KeepAliveReuse) {
  net::Url u = url("http://h/a");
  Obs a;
  start(u, a);
  net.socks[0].in = kOk;
  run(a);
  ASSERT_FALSE(a.failed);
  EXPECT_FALSE(a.reused);
  Obs b;
  net::Url u2 = url("http://H:80/b");
  ASSERT_NE(start(u2, b), nullptr);
  ASSERT_EQ(net.socks.size(), 1u);  // no new socket
  net.socks[0].in += "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  run(b);
  EXPECT_FALSE(b.failed) << b.message;
  EXPECT_TRUE(b.reused);
  EXPECT_EQ(b.body, "abc");
  EXPECT_EQ(net.socks[0].out, "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
  Client::Stats s = client->stats();
  EXPECT_EQ(s.connections, 1u);
  EXPECT_EQ(s.reused, 1u);
  // Another origin (port, scheme) gets its own connection.
  Obs c;
  net::Url u3 = url("http://h:81/");
  start(u3, c);
  EXPECT_EQ(net.socks.size(), 2u);
}

TEST_F(Fixture, ConnectionCloseIsNotReused) {
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].in = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
  run(a);
  EXPECT_EQ(a.body, "ok");
  for (int i = 0; i < 3; i++) loop->service(0);
  EXPECT_TRUE(net.socks[0].closed);
  EXPECT_EQ(client->stats().idle, 0u);
  Obs b;
  start(u, b);
  EXPECT_EQ(net.socks.size(), 2u);
}

TEST_F(Fixture, ReadUntilCloseAndHttp10) {
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].in = "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<p>all</p>";
  net.socks[0].eof = true;
  run(a);
  EXPECT_FALSE(a.failed) << a.message;
  EXPECT_EQ(a.body, "<p>all</p>");
  EXPECT_EQ(client->stats().idle, 0u);
}

TEST_F(Fixture, LeftoverBytesPreventReuse) {
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].in = std::string(kOk) + "junk";
  run(a);
  EXPECT_EQ(a.body, "hello");
  EXPECT_EQ(client->stats().idle, 0u);
}

TEST_F(Fixture, IdleConnectionClosedByServerIsDropped) {
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].in = kOk;
  run(a);
  ASSERT_EQ(client->stats().idle, 1u);
  net.socks[0].eof = true;  // the server closes the idle connection
  for (int i = 0; i < 3; i++) loop->service(0);
  EXPECT_TRUE(net.socks[0].closed);
  EXPECT_EQ(client->stats().idle, 0u);
  Obs b;
  start(u, b);
  EXPECT_EQ(net.socks.size(), 2u);
  EXPECT_EQ(client->stats().reused, 0u);
}

TEST_F(Fixture, StaleReusedConnectionIsRetriedOnce) {
  net::Url u = url("http://h/x");
  Obs a;
  start(u, a);
  net.socks[0].in = kOk;
  run(a);
  // Reuse starts before the loop notices that the server closed it.
  Obs b;
  ASSERT_NE(start(u, b), nullptr);
  net.socks[0].eof = true;
  loop->service(0);
  ASSERT_EQ(net.socks.size(), 2u);  // retried on a fresh connection
  EXPECT_TRUE(net.socks[0].closed);
  net.socks[1].in = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  run(b);
  EXPECT_FALSE(b.failed) << b.message;
  EXPECT_FALSE(b.reused);
  EXPECT_EQ(b.body, "ok");
  EXPECT_EQ(net.socks[1].out, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
}

TEST_F(Fixture, FreshConnectionClosedEarlyIsNotRetried) {
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].eof = true;
  run(a);
  EXPECT_TRUE(a.failed);
  EXPECT_EQ(a.code, "CONNECTION_CLOSED");
  EXPECT_EQ(net.socks.size(), 1u);
}

TEST_F(Fixture, ResetAfterPartialResponseIsAnError) {
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].in = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
  loop->service(0);
  net.socks[0].read_error = port::kReset;
  run(a);
  EXPECT_TRUE(a.failed);
  EXPECT_EQ(a.code, "CONNECTION_RESET") << a.calls << " " << a.message << " st=" << a.status;
}

TEST_F(Fixture, WholeRequestTimeout) {
  net::Url u = url("http://h/slow");
  Obs a;
  start(u, a, "GET", nullptr, 500);
  for (int i = 0; i < 5; i++) loop->service(0);
  EXPECT_EQ(a.calls, 0);
  net.now += 499;
  loop->service(0);
  EXPECT_EQ(a.calls, 0);
  // The client's deadline makes the loop wake in time.
  EXPECT_EQ(loop->next_deadline(), net.now + 1);
  loop->service(10000);  // FakeNet::wait advances the clock by the wait
  EXPECT_EQ(a.calls, 1);
  EXPECT_EQ(a.code, "TIMEOUT");
  EXPECT_TRUE(net.socks[0].closed);
}

TEST_F(Fixture, ConnectTimeoutIsReportedAsTimeout) {
  net.next_state = port::ConnectState::kPending;
  net::Url u = url("http://10.255.255.1/");
  Obs a;
  Request r;
  r.url = &u;
  r.connect_timeout_ms = 200;
  r.deadline = net.now + 5000;
  a.client = client;
  net::Error err;
  ASSERT_NE(client->start(r, &a, &err), nullptr);
  for (int i = 0; i < 10 && a.calls == 0; i++) loop->service(1000);
  EXPECT_EQ(a.code, "TIMEOUT");
  EXPECT_NE(a.message.find("connect to 10.255.255.1:80 timed out"), std::string::npos) << a.message;
}

TEST_F(Fixture, RefusedAndUnresolvable) {
  net.next_state = port::ConnectState::kFailed;
  net.next_err = port::kRefused;
  net::Url u = url("http://h:9/");
  Obs a;
  Exchange* ex = start(u, a);
  if (ex) {  // the connection reports failure through the loop...
    run(a);
    EXPECT_EQ(a.code, "CONNECTION_REFUSED");
  } else {  // ...or at once
    EXPECT_EQ(last_error, "CONNECTION_REFUSED");
  }
  net.connect_result = port::kResolveFailed;
  Obs b;
  EXPECT_EQ(start(u, b), nullptr);
  EXPECT_EQ(last_error, "HOST_NOT_FOUND");
  EXPECT_EQ(b.calls, 0);
}

TEST_F(Fixture, BodyLimits) {
  net::Url u = url("http://h/big");
  Obs a;
  start(u, a, "GET", nullptr, 30000, 4);
  net.socks[0].in = kOk;  // Content-Length 5 > 4: refused before reading it
  run(a);
  EXPECT_EQ(a.code, "BODY_TOO_LARGE");
  EXPECT_TRUE(net.socks[0].closed);
  Obs b;
  start(u, b, "GET", nullptr, 30000, 4);
  net.socks[1].in = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n";
  run(b);
  EXPECT_EQ(b.code, "BODY_TOO_LARGE");
  Obs c;
  start(u, c, "GET", nullptr, 30000, 6);
  net.socks[2].in = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n";
  run(c);
  EXPECT_FALSE(c.failed) << c.message;
  EXPECT_EQ(c.body, "abcdef");
  Obs d;
  start(u, d, "GET", nullptr, 30000, 0);
  net.socks[2].in += "HTTP/1.1 204 No Content\r\n\r\n";
  run(d);
  EXPECT_FALSE(d.failed) << d.message;
}

TEST_F(Fixture, ProtocolErrors) {
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].in = "SSH-2.0-OpenSSH_9.2\r\n";
  run(a);
  EXPECT_EQ(a.code, "BAD_RESPONSE");
  EXPECT_NE(a.message.find("malformed status line"), std::string::npos) << a.message;
  ClientConfig small;
  small.max_head_bytes = 64;
  reconfigure(small);
  Obs b;
  start(u, b);
  net.socks[1].in = "HTTP/1.1 200 OK\r\nX: " + std::string(100, 'x') + "\r\n\r\n";
  run(b);
  EXPECT_EQ(b.code, "HEADERS_TOO_LARGE");
}

TEST_F(Fixture, HeadRequestHasNoBody) {
  net::Url u = url("http://h/");
  Obs a;
  start(u, a, "HEAD");
  net.socks[0].in = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
  run(a);
  EXPECT_FALSE(a.failed) << a.message;
  EXPECT_EQ(a.body, "");
  EXPECT_EQ(client->stats().idle, 1u);
}

TEST_F(Fixture, IdleTimeoutAndPoolBound) {
  ClientConfig c;
  c.max_idle = 1;
  c.idle_timeout_ms = 1000;
  reconfigure(c);
  net::Url u = url("http://h/");
  Obs a, b;
  start(u, a);
  start(u, b);  // concurrent: a second connection
  ASSERT_EQ(net.socks.size(), 2u);
  net.socks[0].in = kOk;
  net.socks[1].in = kOk;
  run(a);
  run(b);
  for (int i = 0; i < 3; i++) loop->service(0);
  EXPECT_EQ(client->stats().idle, 1u);
  EXPECT_EQ(net.socks[0].closed + net.socks[1].closed, 1);
  // The loop wakes up for the idle expiry and closes it.
  EXPECT_LE(loop->next_deadline(), net.now + 1000);
  loop->service(5000);
  loop->service(0);
  EXPECT_EQ(client->stats().idle, 0u);
  EXPECT_TRUE(net.socks[0].closed && net.socks[1].closed);
}

TEST_F(Fixture, NoPoolSendsConnectionClose) {
  ClientConfig c;
  c.max_idle = 0;
  reconfigure(c);
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].in = kOk;
  run(a);
  EXPECT_NE(net.socks[0].out.find("Connection: close\r\n"), std::string::npos);
  loop->service(0);
  EXPECT_TRUE(net.socks[0].closed);
}

TEST_F(Fixture, ReleaseCancelsWithoutCallback) {
  net::Url u = url("http://h/");
  Obs a;
  Exchange* ex = start(u, a);
  loop->service(0);
  client->release(ex);
  net.socks[0].in = kOk;
  for (int i = 0; i < 5; i++) loop->service(0);
  EXPECT_EQ(a.calls, 0);
  EXPECT_TRUE(net.socks[0].closed);
}

TEST_F(Fixture, LargeBodyAcrossManyReads) {
  net.max_read = 100;
  std::string body(200000, 'b');
  net::Url u = url("http://h/");
  Obs a;
  start(u, a);
  net.socks[0].in = "HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n" + body;
  run(a, 5000);
  EXPECT_FALSE(a.failed) << a.message;
  EXPECT_EQ(a.body.size(), body.size());
}

TEST_F(Fixture, TakeBodyTransfersOwnership) {
  struct Taker final : ExchangeObserver {
    void on_exchange_done(Exchange& ex) override {
      buf = ex.take_body(&len);
      client->release(&ex);
    }
    Client* client = nullptr;
    uint8_t* buf = nullptr;
    size_t len = 0;
  } t;
  t.client = client;
  net::Url u = url("http://h/");
  Request r;
  r.url = &u;
  net::Error err;
  ASSERT_NE(client->start(r, &t, &err), nullptr);
  net.socks[0].in = kOk;
  for (int i = 0; i < 10 && !t.buf; i++) loop->service(0);
  ASSERT_NE(t.buf, nullptr);
  EXPECT_EQ(t.len, 5u);
  EXPECT_STREQ(reinterpret_cast<char*>(t.buf), "hello");  // NUL-terminated
  client->allocator().free(client->allocator().opaque, t.buf);
}

TEST_F(Fixture, InvalidRequestsFailAtOnce) {
  net::Url u = url("https://h/");
  Obs a;
  EXPECT_EQ(start(u, a), nullptr);  // https without a TLS context
  net::Url h = url("http://h/");
  EXPECT_EQ(start(h, a, "BAD METHOD"), nullptr);
  EXPECT_EQ(last_error, "INVALID_ARGUMENT");
  EXPECT_TRUE(net.socks.empty());
}

TEST_F(Fixture, TeardownWithExchangesInFlight) {
  net::Url u = url("http://h/");
  Obs a, b;
  start(u, a);
  start(u, b);
  net.socks[0].in = kOk;
  run(a);
  // b still in flight, a's connection parked: the destructor frees all.
  EXPECT_EQ(b.calls, 0);
}
