// net/url: absolute http(s) URLs, normalisation, refusals, bounds, resolution.
#include "net/url.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using mcujs::net::parse_url;
using mcujs::net::resolve_url;
using mcujs::net::Url;
using mcujs::net::UrlError;

namespace {

UrlError parse(const std::string& s, Url* u) { return parse_url(s.data(), s.size(), u); }

std::string href(const Url& u) {
  char buf[Url::kMaxInput + 64];
  u.href(buf, sizeof buf);
  return buf;
}

std::string norm(const std::string& s) {
  Url u;
  UrlError e = parse(s, &u);
  return e == UrlError::kOk ? href(u) : std::string("ERR:") + mcujs::net::url_error_message(e);
}

UrlError err(const std::string& s) {
  Url u;
  return parse(s, &u);
}

std::string resolve(const std::string& base, const std::string& ref) {
  Url b, u;
  EXPECT_EQ(parse(base, &b), UrlError::kOk) << base;
  UrlError e = resolve_url(b, ref.data(), ref.size(), &u);
  return e == UrlError::kOk ? href(u) : std::string("ERR:") + mcujs::net::url_error_message(e);
}

}  // namespace

TEST(Url, ParsesComponents) {
  Url u;
  ASSERT_EQ(parse("https://Example.COM:8443/a/b?x=1#frag", &u), UrlError::kOk);
  EXPECT_TRUE(u.https);
  EXPECT_FALSE(u.ipv6);
  EXPECT_STREQ(u.host, "example.com");
  EXPECT_EQ(u.port, 8443);
  EXPECT_STREQ(u.target, "/a/b?x=1");
  char a[64];
  u.authority(a, sizeof a);
  EXPECT_STREQ(a, "example.com:8443");
}

TEST(Url, DefaultPorts) {
  Url u;
  ASSERT_EQ(parse("http://h", &u), UrlError::kOk);
  EXPECT_EQ(u.port, 80);
  EXPECT_STREQ(u.target, "/");
  ASSERT_EQ(parse("HTTPS://h/", &u), UrlError::kOk);
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(norm("http://h:80/x"), "http://h/x");
  EXPECT_EQ(norm("https://h:443"), "https://h/");
  EXPECT_EQ(norm("http://h:443/"), "http://h:443/");
  EXPECT_EQ(norm("http://h:/"), "http://h/");
  EXPECT_EQ(norm("http://h:00080/"), "http://h/");
}

TEST(Url, Ipv6Literals) {
  Url u;
  ASSERT_EQ(parse("http://[::1]:8080/p", &u), UrlError::kOk);
  EXPECT_TRUE(u.ipv6);
  EXPECT_STREQ(u.host, "::1");
  EXPECT_EQ(u.port, 8080);
  char a[64];
  u.authority(a, sizeof a);
  EXPECT_STREQ(a, "[::1]:8080");
  EXPECT_EQ(norm("https://[2001:DB8::A]/"), "https://[2001:db8::a]/");
  EXPECT_EQ(norm("http://[1:2:3:4:5:6:7:8]/"), "http://[1:2:3:4:5:6:7:8]/");
  EXPECT_EQ(norm("http://[::ffff:192.0.2.1]/"), "http://[::ffff:192.0.2.1]/");
  EXPECT_EQ(norm("http://[1::]/"), "http://[1::]/");
  for (const char* bad : {"http://[::1", "http://[]/", "http://[1:2:3:4:5:6:7:8:9]/", "http://[1::2::3]/",
                          "http://[12345::]/", "http://[::1%25eth0]/", "http://[:1]/", "http://[1:]/",
                          "http://[::1]x/", "http://[g::]/", "http://[1:2:3:4:5:6:7]/",
                          "http://[::ffff:1.2.3]/"})
    EXPECT_EQ(err(bad), UrlError::kBadHost) << bad;
}

TEST(Url, Ipv4AndNames) {
  EXPECT_EQ(norm("http://127.0.0.1:9/"), "http://127.0.0.1:9/");
  EXPECT_EQ(norm("http://my_host-1.local./"), "http://my_host-1.local./");
  for (const char* bad : {"http://256.0.0.1/", "http://1.2.3/", "http://010.0.0.1/", "http://0x7f.0.0.1/",
                          "http://a.0x10/", "http://h%41/", "http://h<t/", "http://h t/",
                          "http://\xc3\xa9t\xc3\xa9.fr/", "http://h^/"})
    EXPECT_EQ(err(bad), UrlError::kBadHost) << bad;
}

TEST(Url, Refusals) {
  EXPECT_EQ(err(""), UrlError::kEmpty);
  EXPECT_EQ(err("   \t "), UrlError::kEmpty);
  EXPECT_EQ(err("/relative/path"), UrlError::kRelative);
  EXPECT_EQ(err("example.com/x"), UrlError::kRelative);
  EXPECT_EQ(err("1http://x/"), UrlError::kRelative);
  EXPECT_EQ(err("ftp://x/"), UrlError::kUnsupportedScheme);
  EXPECT_EQ(err("file:///etc/passwd"), UrlError::kUnsupportedScheme);
  EXPECT_EQ(err("javascript:alert(1)"), UrlError::kUnsupportedScheme);
  EXPECT_EQ(err("http://user:pw@host/"), UrlError::kCredentials);
  EXPECT_EQ(err("http://user@host/"), UrlError::kCredentials);
  EXPECT_EQ(err("http://"), UrlError::kMissingHost);
  EXPECT_EQ(err("http:///"), UrlError::kMissingHost);
  EXPECT_EQ(err("http://:80/"), UrlError::kMissingHost);
  EXPECT_EQ(err("http://h:0/"), UrlError::kBadPort);
  EXPECT_EQ(err("http://h:65536/"), UrlError::kBadPort);
  EXPECT_EQ(err("http://h:123456/"), UrlError::kBadPort);
  EXPECT_EQ(err("http://h:8a/"), UrlError::kBadPort);
  EXPECT_EQ(err("http://h:-1/"), UrlError::kBadPort);
  EXPECT_EQ(norm("http://h:65535/"), "http://h:65535/");
}

TEST(Url, Bounds) {
  std::string host(127, 'a');
  EXPECT_EQ(norm("http://" + host + "/"), "http://" + host + "/");
  EXPECT_EQ(err("http://" + host + "a/"), UrlError::kHostTooLong);
  EXPECT_EQ(err("http://" + std::string(3000, 'a') + "/"), UrlError::kHostTooLong);
  std::string path = "/" + std::string(2046, 'p');
  Url u;
  ASSERT_EQ(parse("http://h" + path, &u), UrlError::kOk);
  EXPECT_EQ(strlen(u.target), 2047u);
  EXPECT_EQ(err("http://h" + path + "p"), UrlError::kTargetTooLong);
  EXPECT_EQ(err("http://h/" + std::string(1000, ' ') + "x"), UrlError::kTargetTooLong);  // %20 x 1000
  EXPECT_EQ(err("http://h/" + std::string(5000, 'x')), UrlError::kTooLong);
}

TEST(Url, PathNormalisation) {
  EXPECT_EQ(norm("http://h/a/./b/../c"), "http://h/a/c");
  EXPECT_EQ(norm("http://h/a/b/.."), "http://h/a/");
  EXPECT_EQ(norm("http://h/a/b/."), "http://h/a/b/");
  EXPECT_EQ(norm("http://h/../../x"), "http://h/x");
  EXPECT_EQ(norm("http://h/.."), "http://h/");
  EXPECT_EQ(norm("http://h/a/%2e%2E/b"), "http://h/b");
  EXPECT_EQ(norm("http://h/a/.%2e/b"), "http://h/b");
  EXPECT_EQ(norm("http://h/a//b/"), "http://h/a//b/");
  EXPECT_EQ(norm("http://h/a/...b"), "http://h/a/...b");
  EXPECT_EQ(norm("http://h\\a\\b"), "http://h/a/b");
  EXPECT_EQ(norm("http:h/x"), "http://h/x");
  EXPECT_EQ(norm("http://h?q"), "http://h/?q");
  EXPECT_EQ(norm("http://h#f"), "http://h/");
  EXPECT_EQ(norm("http://h/p?q=1#f?g"), "http://h/p?q=1");
  EXPECT_EQ(norm("http://h/p?a/../b"), "http://h/p?a/../b");  // the query is left alone
}

TEST(Url, PercentEncoding) {
  EXPECT_EQ(norm("http://h/a b\"<>`{}"), "http://h/a%20b%22%3C%3E%60%7B%7D");
  EXPECT_EQ(norm("http://h/p?a b'\"<>`{}"), "http://h/p?a%20b%27%22%3C%3E`{}");
  EXPECT_EQ(norm("http://h/caf\xc3\xa9"), "http://h/caf%C3%A9");
  EXPECT_EQ(norm("http://h/%41%zz"), "http://h/%41%zz");
  EXPECT_EQ(norm(std::string("http://h/a\x01") + "b"), "http://h/a%01b");
}

TEST(Url, StripsWhitespaceAndNewlines) {
  EXPECT_EQ(norm("  http://h/x  "), "http://h/x");
  EXPECT_EQ(norm("ht\ntp://h\t/x\r\ny"), "http://h/xy");
  EXPECT_EQ(norm("\x01http://h/\x1f"), "http://h/");
}

TEST(Url, SameOrigin) {
  Url a, b;
  ASSERT_EQ(parse("http://h/x", &a), UrlError::kOk);
  ASSERT_EQ(parse("http://H:80/y?z", &b), UrlError::kOk);
  EXPECT_TRUE(a.same_origin(b));
  ASSERT_EQ(parse("https://h/x", &b), UrlError::kOk);
  EXPECT_FALSE(a.same_origin(b));
  ASSERT_EQ(parse("http://h:81/x", &b), UrlError::kOk);
  EXPECT_FALSE(a.same_origin(b));
}

TEST(Url, HrefTruncatesSafely) {
  Url u;
  ASSERT_EQ(parse("http://example.com/abcdef", &u), UrlError::kOk);
  char small[10];
  size_t need = u.href(small, sizeof small);
  EXPECT_EQ(need, strlen("http://example.com/abcdef"));
  EXPECT_STREQ(small, "http://ex");
  EXPECT_EQ(u.href(nullptr, 0), need);
}

TEST(Url, Resolve) {
  const std::string base = "http://h:8080/a/b/c?q=1";
  EXPECT_EQ(resolve(base, "https://other/x"), "https://other/x");
  EXPECT_EQ(resolve(base, "//other:81/y"), "http://other:81/y");
  EXPECT_EQ(resolve(base, "/root?z"), "http://h:8080/root?z");
  EXPECT_EQ(resolve(base, "d"), "http://h:8080/a/b/d");
  EXPECT_EQ(resolve(base, "../d"), "http://h:8080/a/d");
  EXPECT_EQ(resolve(base, "../../../../d"), "http://h:8080/d");
  EXPECT_EQ(resolve(base, "./"), "http://h:8080/a/b/");
  EXPECT_EQ(resolve(base, "?n=2"), "http://h:8080/a/b/c?n=2");
  EXPECT_EQ(resolve(base, "#frag"), "http://h:8080/a/b/c?q=1");
  EXPECT_EQ(resolve(base, ""), "http://h:8080/a/b/c?q=1");
  EXPECT_EQ(resolve(base, "d e"), "http://h:8080/a/b/d%20e");
  EXPECT_EQ(resolve("https://h/", "x"), "https://h/x");
  const std::string err = "ERR:";
  EXPECT_EQ(resolve(base, "ftp://x/"), err + mcujs::net::url_error_message(UrlError::kUnsupportedScheme));
  EXPECT_EQ(resolve(base, "//u@h/"), err + mcujs::net::url_error_message(UrlError::kCredentials));
  // Resolving in place works too.
  Url u;
  ASSERT_EQ(parse(base, &u), UrlError::kOk);
  ASSERT_EQ(resolve_url(u, "z", 1, &u), UrlError::kOk);
  EXPECT_EQ(href(u), "http://h:8080/a/b/z");
}

// fetch keeps an operation's URL as its href and parses it again to start
// each exchange (modules/bindings/fetch.cpp): the serialised form must parse
// to the same URL.
TEST(Url, HrefParsesToTheSameUrl) {
  const std::string inputs[] = {
      "https://Example.COM:8443/a/b?x=1#frag", "http://h", "https://h:443/", "http://[::1]:8080/p?q",
      "http://[2001:db8::1]/", "http://192.168.0.1:80/x", "http://h/a b\"<>`{}", "http://h/p?a b'\"<>`{}",
      "http://h/caf\xc3\xa9", "http://h/%41%zz", "http://h/a/%2e%2E/b", "http://h\\a\\b", "http:h/x",
      "http://h?q", "http://h/p?a/../b", "  http://h/x  ", "http://h/" + std::string(2000, 'x'),
      "http://user:pass@h/p"};
  for (const std::string& in : inputs) {
    Url a, b;
    if (parse(in, &a) != UrlError::kOk) continue;
    std::string once = href(a);
    ASSERT_EQ(parse(once, &b), UrlError::kOk) << in << " -> " << once;
    EXPECT_EQ(href(b), once) << in;
    EXPECT_EQ(a.https, b.https) << in;
    EXPECT_EQ(a.ipv6, b.ipv6) << in;
    EXPECT_EQ(a.port, b.port) << in;
    EXPECT_STREQ(a.host, b.host) << in;
    EXPECT_STREQ(a.target, b.target) << in;
  }
}
