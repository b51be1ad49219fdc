// The TLS layer without a network: error codes, the entropy gate, options,
// the CA store (all-or-nothing PEM loading) and our gmtime.
#include <mbedtls/platform_util.h>

#include <gtest/gtest.h>

#include <cstring>
#include <ctime>
#include <iterator>
#include <string>

#include "ports/linux/linux_port.h"
#include "tls/tls.h"

using namespace mcujs;

namespace {

// Two self-signed roots: P-256/ECDSA-SHA256, and RSA-2048 signed with SHA-1
// (like many real roots, e.g. DigiCert Global Root CA).
const char kRootA[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBjjCCATWgAwIBAgIUEBXe5IH0K/Vu85wRuRLl4P+IBb4wCgYIKoZIzj0EAwIw\n"
    "HDEaMBgGA1UEAwwRbWN1anMgVW5pdCBSb290IEEwIBcNMjYxMTI0MTkyNzA5WhgP\n"
    "MjEyNjEwMzExOTI3MDlaMBwxGjAYBgNVBAMMEW1jdWpzIFVuaXQgUm9vdCBBMFkw\n"
    "EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAELi9+fMz2uK75SuxjByU6OraeUkLuJHzD\n"
    "ValdIAR5/L97AoY2KK8z+tjNY/XsB1OfufiYEgjtaTz07w/QJbDWuaNTMFEwHQYD\n"
    "VR0OBBYEFBBzTHpagGn14FUGUFbq7S8rlU0xMB8GA1UdIwQYMBaAFBBzTHpagGn1\n"
    "4FUGUFbq7S8rlU0xMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIg\n"
    "P1fCS0sHO1q+0LarELk8HWdp9Xn5rNt7tQjg1p1jUeUCIErF7RjuXlZW3YiWfH9W\n"
    "tk2hqUYNNTVhnyhgBrJO98tL\n"
    "-----END CERTIFICATE-----\n";
const char kRootSha1[] =
    "-----BEGIN CERTIFICATE-----\r\n"
    "MIIDGTCCAgGgAwIBAgIUA6J1Jx+okVYPK+i65GupKoGU1s8wDQYJKoZIhvcNAQEF\r\n"
    "BQAwGzEZMBcGA1UEAwwQbWN1anMgU0hBLTEgUm9vdDAgFw0yNjExMjQxOTI3MTBa\r\n"
    "GA8yMTI2MTAzMTE5MjcxMFowGzEZMBcGA1UEAwwQbWN1anMgU0hBLTEgUm9vdDCC\r\n"
    "ASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKjaT3WhdnKJYfCJ4cAUqycZ\r\n"
    "vvAucW0sJxeTGjDqHr4DsXCnwYMPScsBhE9VSy7Ila8MO43BuuErybqfAzzSSKj3\r\n"
    "GoaE/2WC3WYN6uiOir6cNjdsIJVLZjcfxqKsP/eMm73Sq+99WvzGwgFW4XVPpXcX\r\n"
    "tNBwDeiWtiRgl3s9ADnVQlwqduvMgXM1/RcxVJKiIYUA2ulpbCDiYLrMX64MFmbR\r\n"
    "LIreqPq44PwxX60nTfIuw5gZoP0v8LZhnnS0++DYcqVQLdod8cNeDavzX9eZ8cp/\r\n"
    "dbo2+680gOOwLq4LPfAjsTLafsvTqQqzJ7dDRsAYm5xIjOLxSI9bUDiNZ8c3UMcC\r\n"
    "AwEAAaNTMFEwHQYDVR0OBBYEFM9Quw/jMM7vCCSio4HNdEGL7Fd2MB8GA1UdIwQY\r\n"
    "MBaAFM9Quw/jMM7vCCSio4HNdEGL7Fd2MA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZI\r\n"
    "hvcNAQEFBQADggEBACcXQp6eMbZGd/EUOyUWVPG1fHMC6/umofzrjJzkmNDbYija\r\n"
    "f2yq1lInRfx4CmcSUfB7I5QbFdXcGkfg+EtySCkSXsL3ler50f96jhI8RnIj6fKH\r\n"
    "sMwHafdYKkIxF+qobxBl7i90YuUGlKd2Usulx4UgnoGux9ZCR2UkSwukjhc3Untw\r\n"
    "1lrnyWWiSPtYVtLJsmFrEIzo7ZIlYMP0ULHYJKOnkSjeqzznZm4qlLLHXecDZXFD\r\n"
    "XcDSfZj1AQJsBXRfFlTaoFc9cYPq1jizdsPAzmsnCo2+a9b/wCKoEyZxByq3xDBO\r\n"
    "KcK1uIfl+eDQ7QEnhli6vNOlAtwlK9Xe0IXw14U=\r\n"
    "-----END CERTIFICATE-----\r\n";

// A valid certificate this configuration cannot use (P-521 key).
const char kRootP521[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIICFDCCAXagAwIBAgIUSDRCe1f3XCCe0DSS8DlsDJhM8T0wCgYIKoZIzj0EAwIw\n"
    "GzEZMBcGA1UEAwwQbWN1anMgUC01MjEgUm9vdDAgFw0yNjExMjQxOTU0MzJaGA8y\n"
    "MTI2MTAzMTE5NTQzMlowGzEZMBcGA1UEAwwQbWN1anMgUC01MjEgUm9vdDCBmzAQ\n"
    "BgcqhkjOPQIBBgUrgQQAIwOBhgAEAQO1YpbJwXfKNfo0MkBRYNePmpbh0ItP/gHn\n"
    "FnkS6zmeZ/EJx/avqZmPGNuyNAcERQaRCIHt25qcthrZ+A2B3kFnAIAQnC8IN/WX\n"
    "XmsMcVyMghTgeLb/PwOmE+w/uNE2cclgGrB4zzC9trdOgdIyfUGysakms3auEel5\n"
    "ZeGXw0oY6G1Wo1MwUTAdBgNVHQ4EFgQUAmxtWQ3iLR4bd1A4bqUdvqbDeJ4wHwYD\n"
    "VR0jBBgwFoAUAmxtWQ3iLR4bd1A4bqUdvqbDeJ4wDwYDVR0TAQH/BAUwAwEB/zAK\n"
    "BggqhkjOPQQDAgOBiwAwgYcCQSeoKMJWD49tCw7KtNWTKHa/t5WGsuQLXpwZioTO\n"
    "0VpMp2oZDMT7Lqg4OEWsrDCKV8N8RpbDX3DiASTxWn4TLsYTAkIAjlL2cSHBxCHt\n"
    "cwUHfh+4S4Dco/+N0EL0rU72uYKvymSyW3ipaYA4fwZJLkVjt8yrd+HLeYo1mkl9\n"
    "Ea9Dgc2gzKk=\n"
    "-----END CERTIFICATE-----\n";

// A PRNG-backed port entropy: must be refused unless explicitly allowed.
class WeakEntropy final : public port::Entropy {
 public:
  bool strong() const override { return false; }
  int32_t fill(uint8_t* buf, size_t len) override {
    for (size_t i = 0; i < len; i++) buf[i] = static_cast<uint8_t>(state_ = state_ * 1103515245u + 12345u);
    return port::kOk;
  }
  const char* name() const override { return "lcg"; }

 private:
  uint32_t state_ = 1;
};

class FailingEntropy final : public port::Entropy {
 public:
  bool strong() const override { return true; }
  int32_t fill(uint8_t*, size_t) override { return port::kIo; }
  const char* name() const override { return "broken-trng"; }
};

class CaptureLog final : public port::LogSink {
 public:
  void write(port::LogLevel level, const char* msg, size_t len) override {
    if (level >= port::LogLevel::kWarn) warnings.append(msg, len).append("\n");
  }
  std::string warnings;
};

struct Fixture {
  linux_port::LinuxClock clock;
  linux_port::LinuxEntropy entropy;
  CaptureLog log;
  port::Platform platform{};
  Fixture() {
    platform.clock = &clock;
    platform.entropy = &entropy;
    platform.log = &log;
  }
};

int add(tls::TlsContext& ctx, const std::string& pem, tls::Error* err) {
  return ctx.add_ca_pem(pem.data(), pem.size(), err);
}

}  // namespace

TEST(TlsErrors, EveryCodeHasAStableName) {
  struct {
    tls::Code code;
    const char* name;
  } const kNames[] = {
      {tls::Code::kNone, "NONE"},
      {tls::Code::kCertExpired, "CERT_EXPIRED"},
      {tls::Code::kCertNotYetValid, "CERT_NOT_YET_VALID"},
      {tls::Code::kCertHostnameMismatch, "CERT_HOSTNAME_MISMATCH"},
      {tls::Code::kCertUntrusted, "CERT_UNTRUSTED"},
      {tls::Code::kCertInvalid, "CERT_INVALID"},
      {tls::Code::kHandshakeTimeout, "HANDSHAKE_TIMEOUT"},
      {tls::Code::kProtocolVersion, "PROTOCOL_VERSION"},
      {tls::Code::kHandshakeFailure, "HANDSHAKE_FAILURE"},
      {tls::Code::kConnectionReset, "CONNECTION_RESET"},
      {tls::Code::kTruncated, "TRUNCATED"},
      {tls::Code::kEntropy, "ENTROPY"},
      {tls::Code::kNoMemory, "NO_MEMORY"},
      {tls::Code::kBadInput, "BAD_INPUT"},
      {tls::Code::kInternal, "INTERNAL"},
      {tls::Code::kClockNotSet, "CLOCK_NOT_SET"},
      {tls::Code::kProtocolError, "PROTOCOL_ERROR"},
  };
  // The table covers the enum up to its last value.
  EXPECT_EQ(static_cast<int>(tls::Code::kProtocolError) + 1, static_cast<int>(std::size(kNames)));
  for (const auto& n : kNames) EXPECT_STREQ(tls::code_name(n.code), n.name);
}

TEST(TlsErrors, SetFormatsAndResets) {
  tls::Error e;
  e.port_error = -3;
  e.verify_flags = 8;
  e.set(tls::Code::kBadInput, -0x2180, "certificate %d: %s", 2, "broken");
  EXPECT_EQ(e.code, tls::Code::kBadInput);
  EXPECT_EQ(e.mbedtls_error, -0x2180);
  EXPECT_EQ(e.port_error, 0);
  EXPECT_EQ(e.verify_flags, 0u);
  EXPECT_STREQ(e.message, "certificate 2: broken");
  std::string longer(400, 'x');
  e.set(tls::Code::kInternal, 0, "%s", longer.c_str());
  EXPECT_EQ(strlen(e.message), sizeof e.message - 1);  // truncated, terminated
}

TEST(TlsContext, RefusesWeakEntropy) {
  Fixture f;
  WeakEntropy weak;
  f.platform.entropy = &weak;
  tls::TlsContext ctx;
  tls::Error err;
  EXPECT_FALSE(ctx.init(f.platform, tls::Options{}, &err));
  EXPECT_FALSE(ctx.ready());
  EXPECT_EQ(err.code, tls::Code::kEntropy);
  EXPECT_NE(strstr(err.message, "no strong entropy source"), nullptr) << err.message;
  EXPECT_NE(strstr(err.message, "lcg"), nullptr) << err.message;
}

TEST(TlsContext, RefusesMissingEntropy) {
  Fixture f;
  f.platform.entropy = nullptr;
  tls::TlsContext ctx;
  tls::Error err;
  EXPECT_FALSE(ctx.init(f.platform, tls::Options{}, &err));
  EXPECT_EQ(err.code, tls::Code::kEntropy);
}

TEST(TlsContext, InsecureEntropyWorksButWarnsLoudly) {
  Fixture f;
  WeakEntropy weak;
  f.platform.entropy = &weak;
  tls::Options o;
  o.insecure_entropy = true;
  tls::TlsContext ctx;
  tls::Error err;
  ASSERT_TRUE(ctx.init(f.platform, o, &err)) << err.message;
  EXPECT_TRUE(ctx.ready());
  EXPECT_NE(f.log.warnings.find("WARNING"), std::string::npos);
  EXPECT_NE(f.log.warnings.find("lcg"), std::string::npos) << f.log.warnings;
}

TEST(TlsContext, StrongEntropyDoesNotWarn) {
  Fixture f;
  tls::TlsContext ctx;
  tls::Error err;
  ASSERT_TRUE(ctx.init(f.platform, tls::Options{}, &err)) << err.message;
  EXPECT_TRUE(f.log.warnings.empty()) << f.log.warnings;
  EXPECT_FALSE(ctx.init(f.platform, tls::Options{}, &err));  // once only
  EXPECT_EQ(err.code, tls::Code::kBadInput);
}

TEST(TlsContext, FailingEntropySourceIsReported) {
  Fixture f;
  FailingEntropy broken;
  f.platform.entropy = &broken;
  tls::TlsContext ctx;
  tls::Error err;
  EXPECT_FALSE(ctx.init(f.platform, tls::Options{}, &err));
  EXPECT_EQ(err.code, tls::Code::kEntropy);
  EXPECT_NE(strstr(err.message, "broken-trng"), nullptr) << err.message;
}

TEST(TlsContext, RejectsInvalidMaxFragment) {
  Fixture f;
  tls::Options o;
  o.max_fragment = 3000;
  tls::TlsContext ctx;
  tls::Error err;
  EXPECT_FALSE(ctx.init(f.platform, o, &err));
  EXPECT_EQ(err.code, tls::Code::kBadInput);
  o.max_fragment = 2048;
  EXPECT_TRUE(ctx.init(f.platform, o, &err)) << err.message;
  EXPECT_EQ(ctx.options().max_fragment, 2048);
}

TEST(TlsCaStore, AddsSeveralCertificatesFromOneString) {
  Fixture f;
  tls::TlsContext ctx;
  tls::Error err;
  ASSERT_TRUE(ctx.init(f.platform, tls::Options{}, &err));
  // Comments between blocks are allowed, as in CA bundles; CRLF too.
  std::string bundle = std::string("# Root A\n") + kRootA + "\nSHA-1 root\n==========\n" + kRootSha1;
  EXPECT_EQ(add(ctx, bundle, &err), 2) << err.message;
  EXPECT_EQ(ctx.ca_count(), 2);
  EXPECT_EQ(add(ctx, kRootA, &err), 1) << err.message;
  EXPECT_EQ(ctx.ca_count(), 3);
}

TEST(TlsCaStore, IsAllOrNothing) {
  Fixture f;
  tls::TlsContext ctx;
  tls::Error err;
  ASSERT_TRUE(ctx.init(f.platform, tls::Options{}, &err));
  ASSERT_EQ(add(ctx, kRootA, &err), 1);

  // Valid certificate + a block whose body is garbage: nothing is added.
  std::string garbage = std::string(kRootSha1) +
                        "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(add(ctx, garbage, &err), -1);
  EXPECT_EQ(err.code, tls::Code::kBadInput);
  EXPECT_NE(strstr(err.message, "certificate 2"), nullptr) << err.message;
  EXPECT_NE(strstr(err.message, "base64"), nullptr) << err.message;
  EXPECT_EQ(ctx.ca_count(), 1);

  // Valid base64 that is not a certificate.
  std::string not_cert = std::string(kRootSha1) +
                         "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(add(ctx, not_cert, &err), -1);
  EXPECT_NE(strstr(err.message, "certificate 2"), nullptr) << err.message;
  EXPECT_NE(err.mbedtls_error, 0);
  EXPECT_EQ(ctx.ca_count(), 1);

  // A truncated bundle: BEGIN without END.
  std::string cut = std::string(kRootSha1) + std::string(kRootA).substr(0, 200);
  EXPECT_EQ(add(ctx, cut, &err), -1);
  EXPECT_NE(strstr(err.message, "missing '-----END CERTIFICATE-----'"), nullptr) << err.message;
  EXPECT_EQ(ctx.ca_count(), 1);

  // A private key is not a certificate.
  std::string key = std::string(kRootSha1) + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  EXPECT_EQ(add(ctx, key, &err), -1);
  EXPECT_NE(strstr(err.message, "'PRIVATE KEY'"), nullptr) << err.message;
  EXPECT_EQ(ctx.ca_count(), 1);

  // A well-formed certificate with a key we do not support.
  std::string p521 = std::string(kRootSha1) + kRootP521;
  EXPECT_EQ(add(ctx, p521, &err), -1);
  EXPECT_STREQ(err.message, "certificate 2: unsupported curve (P-256 and P-384 only) (-0x3A00)");
  EXPECT_EQ(ctx.ca_count(), 1);

  // The store still works after all that.
  EXPECT_EQ(add(ctx, kRootSha1, &err), 1) << err.message;
  EXPECT_EQ(ctx.ca_count(), 2);
}

TEST(TlsCaStore, RollsBackIntoAnEmptyStore) {
  Fixture f;
  tls::TlsContext ctx;
  tls::Error err;
  ASSERT_TRUE(ctx.init(f.platform, tls::Options{}, &err));
  std::string bad = std::string(kRootA) + kRootSha1 + "-----BEGIN CERTIFICATE-----\n@@\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(add(ctx, bad, &err), -1);
  EXPECT_NE(strstr(err.message, "certificate 3"), nullptr) << err.message;
  EXPECT_EQ(ctx.ca_count(), 0);
  EXPECT_EQ(add(ctx, kRootA, &err), 1);
  EXPECT_EQ(ctx.ca_count(), 1);
}

TEST(TlsCaStore, RejectsInputWithoutCertificates) {
  Fixture f;
  tls::TlsContext ctx;
  tls::Error err;
  EXPECT_EQ(ctx.add_ca_pem("x", 1, &err), -1);  // before init
  EXPECT_EQ(err.code, tls::Code::kInternal);
  ASSERT_TRUE(ctx.init(f.platform, tls::Options{}, &err));
  EXPECT_EQ(add(ctx, "not a pem", &err), -1);
  EXPECT_EQ(err.code, tls::Code::kBadInput);
  EXPECT_NE(strstr(err.message, "no PEM certificate"), nullptr) << err.message;
  EXPECT_EQ(add(ctx, "", &err), -1);
  // Length-bounded: a certificate after len is not seen.
  std::string s = std::string("junk") + kRootA;
  EXPECT_EQ(ctx.add_ca_pem(s.data(), 4, &err), -1);
  EXPECT_EQ(ctx.ca_count(), 0);
}

TEST(TlsClock, GmtimeMatchesLibc) {
  const int64_t samples[] = {0, 951782400 /* 2000-02-29 */, 1735689599, 4102444800 /* 2100-01-01 */,
                             253402300799 /* 9999-12-31 23:59:59 */, 1234567890};
  for (int64_t s : samples) {
    mbedtls_time_t t = static_cast<mbedtls_time_t>(s);
    time_t lt = static_cast<time_t>(s);
    struct tm ours {}, libc {};
    ASSERT_NE(mbedtls_platform_gmtime_r(&t, &ours), nullptr) << s;
    ASSERT_NE(gmtime_r(&lt, &libc), nullptr);
    EXPECT_EQ(ours.tm_year, libc.tm_year) << s;
    EXPECT_EQ(ours.tm_mon, libc.tm_mon) << s;
    EXPECT_EQ(ours.tm_mday, libc.tm_mday) << s;
    EXPECT_EQ(ours.tm_hour, libc.tm_hour) << s;
    EXPECT_EQ(ours.tm_min, libc.tm_min) << s;
    EXPECT_EQ(ours.tm_sec, libc.tm_sec) << s;
  }
}
