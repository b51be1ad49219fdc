// Real handshakes on 127.0.0.1 against `openssl s_server`, with a PKI made
// by the openssl CLI in a temporary directory: root -> intermediate -> server
// certificates (valid RSA and ECDSA, expired, not yet valid, signed by a
// non-CA), plus servers that misbehave at the TCP level. Every loop is
// bounded in iterations and time.
#include <arpa/inet.h>
#include <fcntl.h>
#include <mbedtls/platform.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

#include "ports/linux/linux_port.h"
#include "tests/unit/openssl_server.h"
#include "tests/unit/tls_test_client.h"
#include "tls/tls.h"

using namespace mcujs;
using Step = tls::TlsConnection::Step;

namespace {

using test::now_ms;
using test::slurp;

std::string g_dir;  // the PKI's temporary directory

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Builds the PKI with the openssl CLI; false (and a log) if anything fails.
bool make_pki(const std::string& dir) {
  const std::string script = R"SH(
set -e
cd "$1"
cat > ca.cnf <<'EOF'
[ ca ]
default_ca = CA_default
[ CA_default ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = policy_any
unique_subject = no
[ policy_any ]
commonName = supplied
EOF
touch index.txt; echo 1000 > serial
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' > ca.ext
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > int.ext
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' > srv.ext
printf 'basicConstraints=CA:FALSE\n' > notca.ext
ec() { openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:$1 -nodes -keyout $2.key -out $2.csr -subj "/CN=$3"; }
ec P-256 root "mcujs Test Root"
openssl x509 -req -in root.csr -key root.key -days 3650 -extfile ca.ext -out root.pem
ec P-256 other "mcujs Other Root"
openssl x509 -req -in other.csr -key other.key -days 3650 -extfile ca.ext -out other.pem
ec P-384 int "mcujs Test Intermediate"
openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -set_serial 2 -days 3650 -extfile int.ext -out int.pem
openssl req -new -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr -subj "/CN=localhost"
openssl x509 -req -in rsa.csr -CA int.pem -CAkey int.key -set_serial 0x0A1B2C -days 365 -extfile srv.ext -out rsa.pem
ec P-256 ecc localhost
openssl x509 -req -in ecc.csr -CA int.pem -CAkey int.key -set_serial 4 -days 365 -extfile srv.ext -out ecc.pem
openssl ca -batch -config ca.cnf -cert int.pem -keyfile int.key -in ecc.csr -out expired.pem \
  -startdate 20200101000000Z -enddate 20210101000000Z -extfile srv.ext -notext
openssl ca -batch -config ca.cnf -cert int.pem -keyfile int.key -in ecc.csr -out future.pem \
  -startdate 20990101000000Z -enddate 20991231000000Z -extfile srv.ext -notext
ec P-256 notca "mcujs Not A CA"
openssl x509 -req -in notca.csr -CA root.pem -CAkey root.key -set_serial 5 -days 3650 -extfile notca.ext -out notca.pem
openssl x509 -req -in ecc.csr -CA notca.pem -CAkey notca.key -set_serial 6 -days 365 -extfile srv.ext -out badchain.pem
openssl req -x509 -newkey rsa:2048 -sha1 -nodes -keyout sha1root.key -out sha1root.pem -days 3650 \
  -subj "/CN=mcujs SHA-1 Root" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
ec P-256 int2 "mcujs Intermediate Under SHA-1 Root"
openssl x509 -req -in int2.csr -CA sha1root.pem -CAkey sha1root.key -set_serial 7 -days 3650 -extfile int.ext -out int2.pem
openssl x509 -req -in ecc.csr -CA int2.pem -CAkey int2.key -set_serial 8 -days 365 -extfile srv.ext -out ecc2.pem
openssl x509 -req -in ecc.csr -CA int.pem -CAkey int.key -sha1 -set_serial 9 -days 365 -extfile srv.ext -out sha1leaf.pem
openssl x509 -in rsa.pem -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' > rsa.sha256
openssl x509 -in rsa.pem -noout -serial | sed 's/.*=//' > rsa.serial
)SH";
  std::ofstream(dir + "/make.sh") << script;
  std::string cmd = "bash '" + dir + "/make.sh' '" + dir + "' > '" + dir + "/make.log' 2>&1";
  return system(cmd.c_str()) == 0;
}

// `openssl s_server` in the PKI directory (tests/unit/openssl_server.h).
class Server : public test::OpensslServer {
 public:
  Server() : OpensslServer(g_dir) {}
};

class CaptureLog final : public port::LogSink {
 public:
  void write(port::LogLevel level, const char* msg, size_t len) override {
    if (level >= port::LogLevel::kWarn) {
      warnings.append(msg, len).append("\n");
      count++;
    }
  }
  std::string warnings;
  int count = 0;
};

class NoWallClock final : public port::Clock {
 public:
  uint64_t monotonic_ms() override { return real.monotonic_ms(); }
  bool wall_time(int64_t*) override { return false; }
  linux_port::LinuxClock real;
};

// A client (tests/unit/tls_test_client.h) that records the warnings it logs
// and trusts a CA file of the PKI (none: nullptr).
struct Client : test::TlsClient {
  CaptureLog log;

  explicit Client(port::Clock* c = nullptr) : TlsClient(c) { platform.log = &log; }
  bool init(const tls::Options& o = tls::Options{}, const char* ca_file = "root.pem") {
    return TlsClient::init(o, ca_file ? g_dir + "/" + ca_file : "");
  }
};

// A TCP listener that never speaks TLS.
struct RawListener {
  int fd = -1;
  uint16_t port = 0;
  RawListener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd, 4);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~RawListener() { close(fd); }
  int accept_one() {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 3000) != 1) return -1;
    return accept(fd, nullptr, nullptr);
  }
};

class TlsHandshake : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/mcujs-tls-test-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    g_dir = tmpl;
    if (!make_pki(g_dir)) {
      fprintf(stderr, "PKI generation failed:\n%s\n", slurp(g_dir + "/make.log").c_str());
      pki_ok_ = false;
      return;
    }
    pki_ok_ = true;
  }
  static void TearDownTestSuite() {
    if (g_dir.rfind("/tmp/mcujs-tls-test-", 0) == 0) {
      std::string cmd = "rm -rf '" + g_dir + "'";
      if (system(cmd.c_str()) != 0) fprintf(stderr, "could not remove %s\n", g_dir.c_str());
    }
  }
  void SetUp() override {
    if (!pki_ok_) GTEST_SKIP() << "openssl could not build the test PKI";
  }
  static bool pki_ok_;
};
bool TlsHandshake::pki_ok_ = false;

// Starts an s_server or fails the test (the helper's ASSERT would only leave
// the helper).
#define SERVE(server, args) ASSERT_TRUE((server).start(args)) << (server).output()

const char kRsa[] = "-cert rsa.pem -key rsa.key -cert_chain int.pem";
const char kEcc[] = "-cert ecc.pem -key ecc.key -cert_chain int.pem";

}  // namespace

TEST_F(TlsHandshake, Tls13WithRsaChainAndCloseNotify) {
  Server s;
  SERVE(s, std::string(kRsa) + " -tls1_3 -www");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  ASSERT_EQ(c.connect(s.port, "localhost", "localhost"), Step::kDone) << c.err.message;
  EXPECT_STREQ(c.conn.protocol(), "TLSv1.3");
  EXPECT_EQ(strncmp(c.conn.cipher(), "TLS_", 4), 0) << c.conn.cipher();
  EXPECT_EQ(strstr(c.conn.cipher(), "ECDHE"), nullptr) << c.conn.cipher();

  tls::PeerCert pc;
  ASSERT_TRUE(c.conn.peer_cert(&pc));
  EXPECT_STREQ(pc.subject, "CN=localhost");
  EXPECT_STREQ(pc.issuer, "CN=mcujs Test Intermediate");
  EXPECT_EQ(std::string(pc.sha256), trim(slurp(g_dir + "/rsa.sha256")));
  EXPECT_EQ(std::string(pc.serial), trim(slurp(g_dir + "/rsa.serial")));
  EXPECT_STREQ(pc.serial, "0A1B2C");
  EXPECT_EQ(strlen(pc.valid_from), 19u) << pc.valid_from;
  EXPECT_LT(strcmp(pc.valid_from, pc.valid_to), 0);

  // -www answers a GET with a status page, then sends close_notify.
  ASSERT_TRUE(c.write_all("GET / HTTP/1.0\r\n\r\n")) << c.err.message;
  std::string body;
  EXPECT_EQ(c.read_all(&body), 0) << c.err.message;
  EXPECT_NE(body.find("HTTP/1.0 200 ok"), std::string::npos) << body.substr(0, 200);
  EXPECT_EQ(c.conn.read(reinterpret_cast<uint8_t*>(&body[0]), 1, &c.err), 0);  // stays at EOF
  c.conn.close();
  EXPECT_FALSE(c.conn.open());
  EXPECT_EQ(c.tcp.open_count(), 0);
  EXPECT_TRUE(c.log.warnings.empty()) << c.log.warnings;
}

TEST_F(TlsHandshake, Tls12WithEcdsaVerifiesIpAddress) {
  Server s;
  SERVE(s, std::string(kEcc) + " -tls1_2 -www");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  ASSERT_EQ(c.connect(s.port, "127.0.0.1"), Step::kDone) << c.err.message;
  EXPECT_STREQ(c.conn.protocol(), "TLSv1.2");
  EXPECT_EQ(strncmp(c.conn.cipher(), "TLS_ECDHE_ECDSA_WITH_", 21), 0) << c.conn.cipher();
}

TEST_F(TlsHandshake, Tls12WithRsa) {
  Server s;
  SERVE(s, std::string(kRsa) + " -tls1_2 -www");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  ASSERT_EQ(c.connect(s.port, "localhost"), Step::kDone) << c.err.message;
  EXPECT_STREQ(c.conn.protocol(), "TLSv1.2");
  EXPECT_EQ(strncmp(c.conn.cipher(), "TLS_ECDHE_RSA_WITH_", 19), 0) << c.conn.cipher();
  ASSERT_TRUE(c.write_all("GET / HTTP/1.0\r\n\r\n"));
  std::string body;
  EXPECT_EQ(c.read_all(&body), 0) << c.err.message;
  EXPECT_NE(body.find("HTTP/1.0 200 ok"), std::string::npos);
}

// Known limitation of Mbed TLS 3.6.6 (fixed upstream afterwards): a TLS 1.2
// server that prefers its own signature order signs with RSA-PSS, which the
// client rejects. Our signature list puts PKCS#1 v1.5 first so that servers
// following the client's order (the default) work (Tls12WithRsa). When this
// test starts failing, Mbed TLS has been upgraded: drop the workaround.
TEST_F(TlsHandshake, Tls12RsaServerPreferringPssIsAKnownLimitation) {
  Server s;
  SERVE(s, std::string(kRsa) + " -tls1_2 -serverpref -www");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kHandshakeFailure);
  EXPECT_NE(strstr(c.err.message, "RSA-PSS"), nullptr) << c.err.message;
}

// SHA-1 exists only so that roots self-signed with it can be trust anchors.
TEST_F(TlsHandshake, ChainUnderSha1SignedRootVerifies) {
  Server s;
  SERVE(s, "-cert ecc2.pem -key ecc.key -cert_chain int2.pem -www");
  Client c;
  ASSERT_TRUE(c.init(tls::Options{}, "sha1root.pem")) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kDone) << c.err.message;
}

TEST_F(TlsHandshake, Sha1SignedCertificateIsRejected) {
  Server s;
  SERVE(s, "-cert sha1leaf.pem -key ecc.key -cert_chain int.pem -www -tls1_2 -cipher DEFAULT@SECLEVEL=0");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kCertSignatureAlgorithm) << c.err.message;
  EXPECT_NE(strstr(c.err.message, "SHA-1"), nullptr) << c.err.message;
}

TEST_F(TlsHandshake, ExpiredCertificate) {
  for (const char* version : {"-tls1_3", "-tls1_2"}) {
    Server s;
    SERVE(s, std::string("-cert expired.pem -key ecc.key -cert_chain int.pem -www ") + version);
    Client c;
    ASSERT_TRUE(c.init()) << c.err.message;
    EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed) << version;
    EXPECT_EQ(c.err.code, tls::Code::kCertExpired) << version << ": " << c.err.message;
    EXPECT_STREQ(c.err.message, "certificate has expired (notAfter 2021-01-01 00:00:00 UTC)");
    EXPECT_TRUE(c.err.verify_flags & 0x01u);
    EXPECT_NE(c.err.mbedtls_error, 0);
  }
}

TEST_F(TlsHandshake, NotYetValidCertificate) {
  Server s;
  SERVE(s, "-cert future.pem -key ecc.key -cert_chain int.pem -www");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kCertNotYetValid) << c.err.message;
  EXPECT_NE(strstr(c.err.message, "2099-01-01"), nullptr) << c.err.message;
}

TEST_F(TlsHandshake, WrongHostName) {
  Server s;
  SERVE(s, std::string(kRsa) + " -www");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "wrong.example"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kCertHostnameMismatch) << c.err.message;
  EXPECT_STREQ(c.err.message,
               "server certificate is not valid for host 'wrong.example' (it names DNS:localhost, IP:127.0.0.1)");
}

TEST_F(TlsHandshake, MissingIntermediateIsUntrusted) {
  Server s;
  SERVE(s, "-cert rsa.pem -key rsa.key -www");  // no -cert_chain
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kCertUntrusted) << c.err.message;
  EXPECT_NE(strstr(c.err.message, "CN=mcujs Test Intermediate"), nullptr) << c.err.message;
}

TEST_F(TlsHandshake, IntermediateWithoutCaFlagIsUntrusted) {
  Server s;
  SERVE(s, "-cert badchain.pem -key ecc.key -cert_chain notca.pem -www");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kCertUntrusted) << c.err.message;
}

TEST_F(TlsHandshake, UnknownRootIsUntrusted) {
  Server s;
  SERVE(s, std::string(kEcc) + " -www");
  Client c;
  ASSERT_TRUE(c.init(tls::Options{}, "other.pem")) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kCertUntrusted) << c.err.message;
}

TEST_F(TlsHandshake, NoCaCertificatesRefusesToStart) {
  Client c;
  ASSERT_TRUE(c.init(tls::Options{}, nullptr)) << c.err.message;
  RawListener l;
  EXPECT_FALSE(c.start(l.port, "localhost"));
  EXPECT_EQ(c.err.code, tls::Code::kCertUntrusted);
  EXPECT_NE(strstr(c.err.message, "no trusted CA"), nullptr) << c.err.message;
  EXPECT_EQ(c.tcp.open_count(), 0);
}

TEST_F(TlsHandshake, SkipVerifyConnectsAndWarnsEveryTime) {
  Server s;
  SERVE(s, "-cert expired.pem -key ecc.key -www");
  tls::Options o;
  o.insecure_skip_verify = true;
  Client c;
  ASSERT_TRUE(c.init(o, nullptr)) << c.err.message;
  for (int i = 1; i <= 2; i++) {
    ASSERT_EQ(c.connect(s.port, "wrong.example"), Step::kDone) << c.err.message;
    c.conn.close();
    EXPECT_EQ(c.log.count, i);
  }
  EXPECT_NE(c.log.warnings.find("verification is OFF for 'wrong.example'"), std::string::npos) << c.log.warnings;
}

TEST_F(TlsHandshake, NoWallClockRefusesUnlessAllowed) {
  Server s;
  SERVE(s, std::string(kEcc) + " -www");
  NoWallClock clock;
  {
    Client c(&clock);
    ASSERT_TRUE(c.init()) << c.err.message;
    EXPECT_FALSE(c.start(s.port, "localhost"));
    EXPECT_EQ(c.err.code, tls::Code::kClockNotSet);
    EXPECT_NE(strstr(c.err.message, "no wall clock"), nullptr) << c.err.message;
  }
  tls::Options o;
  o.insecure_no_wall_clock = true;
  Client c(&clock);
  ASSERT_TRUE(c.init(o)) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kDone) << c.err.message;
  EXPECT_EQ(c.log.count, 1);
  EXPECT_NE(c.log.warnings.find("NOT checked"), std::string::npos) << c.log.warnings;
}

TEST_F(TlsHandshake, NoCommonCipherSuite) {
  Server s;
  SERVE(s, std::string(kRsa) + " -tls1_2 -cipher ECDHE-RSA-AES128-SHA -www");  // CBC only
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kHandshakeFailure) << c.err.message;
  EXPECT_NE(strstr(c.err.message, "handshake_failure"), nullptr) << c.err.message;
}

TEST_F(TlsHandshake, OldProtocolVersion) {
  Server s;
  if (!s.start(std::string(kRsa) + " -tls1_1 -cipher DEFAULT@SECLEVEL=0 -www"))
    GTEST_SKIP() << "this openssl cannot serve TLS 1.1";
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  EXPECT_EQ(c.connect(s.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kProtocolVersion) << c.err.message;
}

TEST_F(TlsHandshake, SilentServerTimesOut) {
  RawListener l;  // accepts (kernel backlog) but never answers
  tls::Options o;
  o.handshake_timeout_ms = 300;
  Client c;
  ASSERT_TRUE(c.init(o)) << c.err.message;
  uint64_t t0 = now_ms();
  EXPECT_EQ(c.connect(l.port, "localhost"), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kHandshakeTimeout) << c.err.message;
  EXPECT_GE(now_ms() - t0, 290u);
  EXPECT_LT(now_ms() - t0, 5000u);
}

TEST_F(TlsHandshake, ResetDuringHandshake) {
  RawListener l;
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  ASSERT_TRUE(c.start(l.port, "localhost")) << c.err.message;
  EXPECT_EQ(c.conn.handshake(&c.err), Step::kInProgress);  // ClientHello sent
  int peer = l.accept_one();
  ASSERT_GE(peer, 0);
  linger lg{1, 0};  // close with RST
  setsockopt(peer, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  usleep(50 * 1000);  // let the ClientHello arrive unread, so close() resets
  close(peer);
  EXPECT_EQ(c.handshake(), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kConnectionReset) << c.err.message;
}

TEST_F(TlsHandshake, ServerClosingDuringHandshake) {
  RawListener l;
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  ASSERT_TRUE(c.start(l.port, "localhost")) << c.err.message;
  EXPECT_EQ(c.conn.handshake(&c.err), Step::kInProgress);
  int peer = l.accept_one();
  ASSERT_GE(peer, 0);
  char buf[4096];
  pollfd p{peer, POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 3000), 1);
  ASSERT_GT(read(peer, buf, sizeof buf), 0);  // consume the ClientHello: a clean FIN follows
  shutdown(peer, SHUT_WR);
  EXPECT_EQ(c.handshake(), Step::kFailed);
  EXPECT_EQ(c.err.code, tls::Code::kHandshakeFailure) << c.err.message;
  EXPECT_NE(strstr(c.err.message, "closed the connection"), nullptr) << c.err.message;
  close(peer);
}

TEST_F(TlsHandshake, EndOfStreamWithoutCloseNotifyIsTruncated) {
  Server s;
  SERVE(s, kEcc);  // prints what it receives
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  ASSERT_EQ(c.connect(s.port, "localhost"), Step::kDone) << c.err.message;
  // Once the server has printed our line it has read everything we sent, so
  // killing it makes the kernel close with FIN (not RST), and no close_notify.
  ASSERT_TRUE(c.write_all("ping\n")) << c.err.message;
  for (int i = 0; i < 200 && s.output().find("ping") == std::string::npos; i++) usleep(10 * 1000);
  s.stop(SIGKILL);
  std::string body;
  EXPECT_EQ(c.read_all(&body), tls::TlsConnection::kError);
  EXPECT_EQ(c.err.code, tls::Code::kTruncated) << c.err.message;
}

TEST_F(TlsHandshake, LargeWritesArriveIntact) {
  Server s;
  SERVE(s, kRsa);  // prints what it receives
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  ASSERT_EQ(c.connect(s.port, "localhost"), Step::kDone) << c.err.message;
  std::string data;
  for (int i = 0; data.size() < 100000; i++) data += "line " + std::to_string(i) + " of the large write test\n";
  ASSERT_TRUE(c.write_all(data)) << c.err.message;
  c.conn.close();
  std::string out;
  for (int i = 0; i < 500 && out.size() < data.size(); i++) {  // up to 10 s
    usleep(20 * 1000);
    out = s.output();
  }
  EXPECT_NE(out.find(data), std::string::npos) << "server got " << out.size() << " bytes: " << out.substr(0, 300);
}

// Connections hold a reference on their context's shared state.
TEST_F(TlsHandshake, ConnectionOutlivesItsContext) {
  Server s;
  SERVE(s, std::string(kRsa) + " -www");
  Client c;
  auto* ctx = new tls::TlsContext;
  ASSERT_TRUE(ctx->init(c.platform, tls::Options{}, &c.err)) << c.err.message;
  std::string pem = slurp(g_dir + "/root.pem");
  ASSERT_EQ(ctx->add_ca_pem(pem.data(), pem.size(), &c.err), 1);
  port::SocketId sock;
  ASSERT_EQ(c.tcp.connect("127.0.0.1", s.port, &sock), port::kOk);
  for (int i = 0; i < 300 && c.tcp.state(sock, nullptr) == port::ConnectState::kPending; i++) c.tcp.wait(10);
  ASSERT_TRUE(c.conn.start(*ctx, sock, "localhost", &c.err)) << c.err.message;
  delete ctx;
  ASSERT_EQ(c.handshake(), Step::kDone) << c.err.message;
  ASSERT_TRUE(c.write_all("GET / HTTP/1.0\r\n\r\n"));
  std::string body;
  EXPECT_EQ(c.read_all(&body), 0) << c.err.message;
  c.conn.close();
}

TEST_F(TlsHandshake, MisuseIsReportedNotFatal) {
  Server s;
  SERVE(s, std::string(kEcc) + " -www");
  Client c;
  ASSERT_TRUE(c.init()) << c.err.message;
  uint8_t buf[8] = {};
  EXPECT_EQ(c.conn.handshake(&c.err), Step::kFailed);  // not started
  EXPECT_EQ(c.conn.read(buf, sizeof buf, &c.err), tls::TlsConnection::kError);
  EXPECT_STREQ(c.conn.protocol(), "");
  tls::PeerCert pc;
  EXPECT_FALSE(c.conn.peer_cert(&pc));
  ASSERT_TRUE(c.start(s.port, "localhost")) << c.err.message;
  EXPECT_FALSE(c.conn.start(c.ctx, 0, "localhost", &c.err));  // already started
  EXPECT_EQ(c.err.code, tls::Code::kBadInput);
  EXPECT_EQ(c.conn.write(buf, sizeof buf, &c.err), tls::TlsConnection::kError);  // handshake not done
  EXPECT_EQ(c.handshake(), Step::kDone) << c.err.message;
  EXPECT_EQ(c.conn.handshake(&c.err), Step::kDone);  // idempotent
  tls::TlsConnection other;
  EXPECT_FALSE(other.start(c.ctx, 0, "", &c.err));
  EXPECT_EQ(c.err.code, tls::Code::kBadInput);
}

// Full 16 KB records from the server (s_server -WWW sends a file in large
// records): the input buffer must hold them, in both versions.
TEST_F(TlsHandshake, LargeReadsInFullRecords) {
  std::string file;
  for (int i = 0; file.size() < 70000; i++) file += "record test line " + std::to_string(i) + "\n";
  std::ofstream(g_dir + "/big.txt") << file;
  for (const char* version : {"-tls1_3", "-tls1_2"}) {
    Server s;
    SERVE(s, std::string(kEcc) + " -WWW " + version);
    Client c;
    ASSERT_TRUE(c.init()) << c.err.message;
    ASSERT_EQ(c.connect(s.port, "localhost"), Step::kDone) << c.err.message;
    ASSERT_TRUE(c.write_all("GET /big.txt HTTP/1.0\r\n\r\n")) << c.err.message;
    std::string body;
    EXPECT_EQ(c.read_all(&body), 0) << version << ": " << c.err.message;
    EXPECT_NE(body.find(file), std::string::npos) << version << ": got " << body.size() << " bytes";
  }
}

// ---------------------------------------------------------------- memory
// Counts Mbed TLS heap use through MBEDTLS_PLATFORM_MEMORY. The numbers are
// printed (and recorded in docs/tls.md); the bounds only catch regressions.
namespace {
size_t g_live = 0, g_peak = 0;
void* counting_calloc(size_t n, size_t size) {
  if (size && n > (SIZE_MAX - 16) / size) return nullptr;
  size_t bytes = n * size;
  auto* p = static_cast<size_t*>(calloc(1, bytes + 16));
  if (!p) return nullptr;
  *p = bytes;
  g_live += bytes;
  if (g_live > g_peak) g_peak = g_live;
  return reinterpret_cast<char*>(p) + 16;
}
void counting_free(void* ptr) {
  if (!ptr) return;
  auto* p = reinterpret_cast<size_t*>(static_cast<char*>(ptr) - 16);
  g_live -= *p;
  free(p);
}
}  // namespace

uint64_t thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

// Heap peak (Mbed TLS allocations) and client CPU time per handshake, three
// handshakes per case: the largest peak, the fastest time.
TEST_F(TlsHandshake, HeapPerHandshake) {
  struct Case {
    const char* name;
    std::string args;
  } const cases[] = {
      {"tls13-ecdsa", std::string(kEcc) + " -tls1_3 -www"},
      {"tls13-rsa2048", std::string(kRsa) + " -tls1_3 -www"},
      {"tls12-ecdsa", std::string(kEcc) + " -tls1_2 -www"},
      {"tls12-rsa2048", std::string(kRsa) + " -tls1_2 -www"},
  };
  ASSERT_EQ(mbedtls_platform_set_calloc_free(counting_calloc, counting_free), 0);
  for (const Case& k : cases) {
    Server s;
    SERVE(s, k.args);
    size_t ctx_live = 0, hs_peak = 0, open_live = 0;
    uint64_t cpu = UINT64_MAX;
    {
      Client c;
      g_live = g_peak = 0;
      ASSERT_TRUE(c.init()) << c.err.message;
      ctx_live = g_live;  // context + CA store (one root)
      for (int round = 0; round < 3; round++) {
        g_peak = g_live;
        uint64_t t0 = thread_cpu_us();
        ASSERT_EQ(c.connect(s.port, "localhost"), Step::kDone) << c.err.message;
        uint64_t t = thread_cpu_us() - t0;
        cpu = t < cpu ? t : cpu;
        hs_peak = std::max(hs_peak, g_peak - ctx_live);
        open_live = g_live - ctx_live;
        c.conn.close();
      }
    }
    EXPECT_EQ(g_live, 0u) << k.name << ": Mbed TLS memory left after everything was freed";
    printf("[ HEAP ] %-14s context %6zu  handshake peak %6zu  open connection %6zu  client cpu %5llu us\n",
           k.name, ctx_live, hs_peak, open_live, static_cast<unsigned long long>(cpu));
    RecordProperty(std::string(k.name) + "_handshake_peak", static_cast<int>(hs_peak));
    EXPECT_LT(hs_peak, 64u * 1024) << k.name;
  }
  mbedtls_platform_set_calloc_free(calloc, free);
}
