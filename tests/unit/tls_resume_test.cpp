// Session resumption (tls/session_cache.cpp) against `openssl s_server` on
// 127.0.0.1, with the PKI of tests/pki/make-pki.sh in a temporary directory.
// The server's own view is the proof: with -www it answers a GET with a page
// that starts "New, TLSv1.3, ..." or "Reused, TLSv1.3, ...". Every loop is
// bounded in iterations and time; servers are killed by pid.
#include <mbedtls/platform.h>
#include <mbedtls/ssl.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/unit/openssl_server.h"
#include "tests/unit/tls_test_client.h"
#include "tls/tls.h"

using namespace mcujs;
using Step = tls::TlsConnection::Step;

namespace {

using test::slurp;

std::string g_pki;  // the PKI's temporary directory

// `openssl s_server -www` in the PKI directory, on a free port or a given
// one (a restarted server); see tests/unit/openssl_server.h.
class Server : public test::OpensslServer {
 public:
  Server() : OpensslServer(g_pki, "-www") {}
};

// What one GET over one connection showed.
struct Visit {
  bool ok = false;
  bool resumed = false;        // the client's view (TlsConnection::resumed)
  bool server_reused = false;  // s_server's page says "Reused,"
  bool server_new = false;     // ... or "New,"
  bool peer_cert = false;
  std::string protocol;
  std::string error;
};

// A client (tests/unit/tls_test_client.h) trusting the PKI's CA.
struct Client : test::TlsClient {
  bool init(const tls::Options& o = tls::Options{}) { return TlsClient::init(o, g_pki + "/ca.pem"); }
  // Connects to 127.0.0.1:port as servername (cache key port: key_port, by
  // default the real one), GETs s_server's status page, reads to the end,
  // closes.
  Visit visit(uint16_t port, const char* servername, int key_port = -1) {
    Visit v = get_status(port, servername, static_cast<uint16_t>(key_port < 0 ? port : key_port));
    conn.close();
    return v;
  }

 private:
  Visit get_status(uint16_t port, const char* servername, uint16_t cache_port) {
    Visit v;
    if (!start(port, servername, "127.0.0.1", cache_port)) return v.error = "start: " + std::string(err.message), v;
    if (handshake() != Step::kDone) return v.error = err.message, v;
    v.resumed = conn.resumed();
    v.protocol = conn.protocol();
    tls::PeerCert pc;
    v.peer_cert = conn.peer_cert(&pc) && strstr(pc.subject, "CN=localhost") != nullptr;
    if (!write_all("GET / HTTP/1.0\r\n\r\n")) return v.error = err.message, v;
    std::string body;
    if (read_all(&body) != 0) return v.error = "read: " + std::string(err.message), v;
    v.server_reused = body.find("\nReused, ") != std::string::npos;
    v.server_new = body.find("\nNew, ") != std::string::npos;
    v.ok = v.server_reused != v.server_new;
    if (!v.ok) v.error = "no New/Reused line in: " + body.substr(0, 300);
    return v;
  }
};

const char kEc[] = "-cert server-ec.pem -key server-ec.key -cert_chain server-ec-chain.pem";
const char kRsa[] = "-cert server-rsa.pem -key server-rsa.key -cert_chain server-rsa-chain.pem";

class TlsResume : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/mcujs-tls-resume-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    g_pki = tmpl;
    // MCUJS_SOURCE_DIR, not __FILE__ (a compiler cache may make that relative).
    std::string script = std::string(MCUJS_SOURCE_DIR) + "/tests/pki/make-pki.sh";
    std::string cmd = "bash '" + script + "' '" + g_pki + "' > '" + g_pki + ".log' 2>&1";
    ok_ = system(cmd.c_str()) == 0;
    if (!ok_) fprintf(stderr, "make-pki.sh failed:\n%s\n", slurp(g_pki + ".log").c_str());
  }
  static void TearDownTestSuite() {
    if (g_pki.rfind("/tmp/mcujs-tls-resume-", 0) == 0) {
      std::string cmd = "rm -rf '" + g_pki + "' '" + g_pki + ".log'";
      if (system(cmd.c_str()) != 0) fprintf(stderr, "could not remove %s\n", g_pki.c_str());
    }
  }
  void SetUp() override {
    // A PKI that cannot be built is a failure, never a skip: a skipped
    // resumption test would hide a broken environment as a pass.
    ASSERT_TRUE(ok_) << "could not build the test PKI (tests/pki/make-pki.sh)";
  }
  static bool ok_;
};
bool TlsResume::ok_ = false;

#define SERVE(server, ...) ASSERT_TRUE((server).start(__VA_ARGS__)) << (server).output()
#define VISIT(var, client, ...)        \
  Visit var = (client).visit(__VA_ARGS__); \
  ASSERT_TRUE(var.ok) << var.error

// A first connection is full; the next ones resume, as both ends see it.
void resumes(const std::string& args, const char* protocol) {
  Server s;
  SERVE(s, args);
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  VISIT(first, c, s.port, "localhost");
  EXPECT_EQ(first.protocol, protocol);
  EXPECT_FALSE(first.resumed);
  EXPECT_TRUE(first.server_new);
  EXPECT_EQ(c.ctx.session_count(), 1);
  for (int i = 0; i < 2; i++) {  // a ticket is used once; its successor resumes again
    VISIT(again, c, s.port, "localhost");
    EXPECT_EQ(again.protocol, protocol);
    EXPECT_TRUE(again.resumed) << i;
    EXPECT_TRUE(again.server_reused) << i;
    EXPECT_TRUE(again.peer_cert) << "the leaf travels with the session";
    EXPECT_EQ(c.ctx.session_count(), 1);
  }
}

}  // namespace

TEST_F(TlsResume, Tls13TicketResumes) { resumes(std::string(kEc) + " -tls1_3", "TLSv1.3"); }

TEST_F(TlsResume, Tls13TicketResumesWithRsaServerAfterHelloRetry) {
  // P-256 only: the client's x25519 key share is refused (HelloRetryRequest)
  resumes(std::string(kRsa) + " -tls1_3 -groups P-256", "TLSv1.3");
}

// -no_cache: the server keeps no session ids, so only the RFC 5077 ticket
// can resume.
TEST_F(TlsResume, Tls12TicketResumes) { resumes(std::string(kRsa) + " -tls1_2 -no_cache", "TLSv1.2"); }

// -no_ticket: TLS 1.2 resumption by session id from the server's cache.
TEST_F(TlsResume, Tls12SessionIdResumes) { resumes(std::string(kEc) + " -tls1_2 -no_ticket", "TLSv1.2"); }

// A server that issues nothing resumable: every handshake is full, no error.
// (-no_ticket alone would not do: OpenSSL then resumes TLS 1.2 by session id
// and issues stateful TLS 1.3 tickets.)
TEST_F(TlsResume, ServerWithoutTicketsGivesFullHandshakes) {
  const std::string cases[] = {std::string(kEc) + " -tls1_3 -num_tickets 0",
                               std::string(kEc) + " -tls1_2 -no_ticket -no_cache"};
  for (const std::string& args : cases) {
    Server s;
    SERVE(s, args);
    Client c;
    ASSERT_TRUE(c.init()) << c.err.message;
    for (int i = 0; i < 2; i++) {
      VISIT(v, c, s.port, "localhost");
      EXPECT_FALSE(v.resumed) << args;
      EXPECT_TRUE(v.server_new) << args;
    }
    // TLS 1.3: nothing cached. TLS 1.2: an entry (the server sent a session id)
    // that it then did not accept; the connection stored the fresh one.
    EXPECT_LE(c.ctx.session_count(), 1) << args;
  }
}

// A session is only offered to the servername and port it was made for.
TEST_F(TlsResume, NeverResumedForAnotherNameOrPort) {
  Server s;
  SERVE(s, std::string(kEc) + " -tls1_3");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  VISIT(first, c, s.port, "localhost");
  EXPECT_TRUE(first.server_new);
  // Same server, verified as 127.0.0.1 (its IP SAN): full handshake.
  VISIT(by_ip, c, s.port, "127.0.0.1");
  EXPECT_FALSE(by_ip.resumed);
  EXPECT_TRUE(by_ip.server_new);
  // Same name, another port in the key: full.
  VISIT(other_port, c, s.port, "localhost", s.port == 1 ? 2 : 1);
  EXPECT_FALSE(other_port.resumed);
  EXPECT_TRUE(other_port.server_new);
  // The localhost:port ticket was left alone and still resumes.
  VISIT(again, c, s.port, "localhost");
  EXPECT_TRUE(again.resumed);
  EXPECT_TRUE(again.server_reused);
  // A name the certificate does not carry: verification fails, no session.
  Visit wrong = c.visit(s.port, "wrong.example");
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(c.err.code, tls::Code::kCertHostnameMismatch) << c.err.message;
}

// The server restarts with a new ticket key: the old ticket is refused, the
// client falls back to a full handshake without an error and caches the new
// session, which then resumes.
TEST_F(TlsResume, ServerRestartFallsBackToFullHandshake) {
  const std::string cases[] = {std::string(kEc) + " -tls1_3", std::string(kRsa) + " -tls1_2 -no_cache"};
  for (const std::string& args : cases) {
    Client c;
    ASSERT_TRUE(c.init()) << c.err.message;
    Server s1;
    SERVE(s1, args);
    uint16_t port = s1.port;
    VISIT(first, c, port, "localhost");
    EXPECT_TRUE(first.server_new) << args;
    ASSERT_EQ(c.ctx.session_count(), 1) << args;
    s1.stop();
    Server s2;
    SERVE(s2, args, port);
    VISIT(after, c, port, "localhost");
    EXPECT_FALSE(after.resumed) << args;
    EXPECT_TRUE(after.server_new) << args;
    VISIT(again, c, port, "localhost");
    EXPECT_TRUE(again.resumed) << args;
    EXPECT_TRUE(again.server_reused) << args;
  }
}

// The server now presents a certificate that fails verification: the
// handshake fails and the session is dropped, not kept for later.
TEST_F(TlsResume, FailedHandshakeDropsTheSession) {
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  Server s1;
  SERVE(s1, std::string(kRsa) + " -tls1_2 -no_cache");
  uint16_t port = s1.port;
  VISIT(first, c, port, "localhost");
  // Store a second session for another key, to see that only this one goes.
  Server other;
  SERVE(other, std::string(kEc) + " -tls1_3");
  VISIT(o, c, other.port, "localhost");
  ASSERT_EQ(c.ctx.session_count(), 2);
  s1.stop();
  Server s2;
  SERVE(s2, "-cert untrusted.pem -key untrusted.key -tls1_2 -no_cache", port);
  Visit bad = c.visit(port, "localhost");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(c.err.code, tls::Code::kCertUntrusted) << c.err.message;
  EXPECT_EQ(c.ctx.session_count(), 1);
  VISIT(o2, c, other.port, "localhost");
  EXPECT_TRUE(o2.resumed);
}

TEST_F(TlsResume, DisabledByOptionOrWithoutPort) {
  Server s;
  SERVE(s, std::string(kEc) + " -tls1_3");
  {
    tls::Options o;
    o.session_resumption = false;
    Client c;
    ASSERT_TRUE(c.init(o)) << c.err.message;
    for (int i = 0; i < 2; i++) {
      VISIT(v, c, s.port, "localhost");
      EXPECT_FALSE(v.resumed);
      EXPECT_TRUE(v.server_new);
    }
    EXPECT_EQ(c.ctx.session_count(), 0);
  }
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  for (int i = 0; i < 2; i++) {
    VISIT(v, c, s.port, "localhost", 0);  // no port: no cache key
    EXPECT_TRUE(v.server_new);
  }
  EXPECT_EQ(c.ctx.session_count(), 0);
  VISIT(v1, c, s.port, "localhost");
  VISIT(v2, c, s.port, "localhost");
  EXPECT_TRUE(v2.resumed);
  c.ctx.clear_sessions();
  EXPECT_EQ(c.ctx.session_count(), 0);
  VISIT(v3, c, s.port, "localhost");
  EXPECT_FALSE(v3.resumed);
}

// MCUJS_TLS_SESSION_CACHE_SIZE (4) entries; the least recently stored goes.
TEST_F(TlsResume, CacheIsBoundedAndEvictsTheOldest) {
  constexpr int kServers = 5;
  Server s[kServers];
  for (Server& one : s) SERVE(one, std::string(kEc) + " -tls1_3");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  for (int i = 0; i < kServers; i++) {
    VISIT(v, c, s[i].port, "localhost");
    EXPECT_TRUE(v.server_new) << i;
  }
  EXPECT_EQ(c.ctx.session_count(), 4);
  VISIT(last, c, s[kServers - 1].port, "localhost");
  EXPECT_TRUE(last.resumed);
  VISIT(first, c, s[0].port, "localhost");  // evicted
  EXPECT_FALSE(first.resumed);
  EXPECT_TRUE(first.server_new);
}

namespace {
// Heap held by one cached session (Mbed TLS allocations), for the numbers in
// tls/config/mcujs_mbedtls_config.h and docs/tls.md.
size_t g_live = 0;
void* counting_calloc(size_t n, size_t size) {
  if (size && n > (SIZE_MAX - 16) / size) return nullptr;
  size_t bytes = n * size;
  auto* p = static_cast<size_t*>(calloc(1, bytes + 16));
  if (!p) return nullptr;
  *p = bytes;
  g_live += bytes;
  return reinterpret_cast<char*>(p) + 16;
}
void counting_free(void* ptr) {
  if (!ptr) return;
  auto* p = reinterpret_cast<size_t*>(static_cast<char*>(ptr) - 16);
  g_live -= *p;
  free(p);
}
}  // namespace

TEST_F(TlsResume, CacheMemory) {
  struct Case {
    const char* name;
    std::string args;
  };
  const Case cases[] = {
      {"TLS 1.3 P-256", std::string(kEc) + " -tls1_3"},
      {"TLS 1.3 RSA", std::string(kRsa) + " -tls1_3"},
      {"TLS 1.2 P-256", std::string(kEc) + " -tls1_2 -no_cache"},
      {"TLS 1.2 RSA", std::string(kRsa) + " -tls1_2 -no_cache"},
  };
  ASSERT_EQ(mbedtls_platform_set_calloc_free(counting_calloc, counting_free), 0);
  for (const Case& k : cases) {
    Server s;
    SERVE(s, k.args);
    {
      Client c;
      g_live = 0;
      ASSERT_TRUE(c.init()) << c.err.message;
      size_t before = g_live;
      VISIT(v, c, s.port, "localhost", 0);  // not cached
      size_t uncached = g_live;
      VISIT(w, c, s.port, "localhost");
      ASSERT_EQ(c.ctx.session_count(), 1);
      size_t entry = g_live - uncached;
      EXPECT_EQ(uncached, before) << "a connection that is not cached leaves nothing";
      printf("[ HEAP ] %-14s one cached session: %zu bytes (of which the entry with its mbedtls_ssl_session: %zu)\n",
             k.name, entry, sizeof(mbedtls_ssl_session) + 128 + 24);
      EXPECT_GT(entry, 100u);
      EXPECT_LT(entry, 4608u) << k.name;
    }
    EXPECT_EQ(g_live, 0u) << k.name << ": memory left after the context was freed";
  }
  mbedtls_platform_set_calloc_free(calloc, free);
}
