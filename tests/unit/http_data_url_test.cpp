// net/http/data_url: the Fetch standard's data: URL processor and HTML's
// forgiving base64; net/url's serialisation of opaque-path URLs.
#include "net/http/data_url.h"

#include <gtest/gtest.h>

#include <string>

#include "net/url.h"

using namespace mcujs::net;
using namespace mcujs::net::http;

namespace {

struct Data {
  bool ok;
  std::string body, mime;
};
Data process(const std::string& href) {
  std::string body(href.size(), '\0');
  char mime[64];
  size_t n = 0;
  bool ok = process_data_url(href.data(), href.size(), reinterpret_cast<uint8_t*>(body.data()), &n, mime, sizeof mime);
  body.resize(ok ? n : 0);
  return {ok, body, ok ? mime : ""};
}

std::string b64(const std::string& in, bool* ok) {
  std::string out(in.size() * 3 / 4 + 3, '\0');
  size_t n = 0;
  const char* why = nullptr;
  *ok = forgiving_base64(in.data(), in.size(), reinterpret_cast<uint8_t*>(out.data()), &n, &why);
  if (!*ok) {
    EXPECT_NE(why, nullptr);
  }
  out.resize(*ok ? n : 0);
  return out;
}

std::string opaque(const std::string& in, UrlError* e) {
  std::string out(in.size() * 3 + 1, '\0');
  size_t n = 0;
  *e = serialize_opaque_url(in.data(), in.size(), out.data(), out.size(), &n);
  out.resize(*e == UrlError::kOk ? n : 0);
  return out;
}

}  // namespace

TEST(DataUrl, PercentDecodedBodyAndDefaultType) {
  Data d = process("data:,a%20b%2Cc+%zz");
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(d.body, "a b,c+%zz");  // '+' stays, a bad escape stays as is
  EXPECT_EQ(d.mime, "text/plain;charset=US-ASCII");
}

TEST(DataUrl, TypeTrimmedAndCompletedWhenItStartsWithSemicolon) {
  EXPECT_EQ(process("data: text/html ,x").mime, "text/html");
  EXPECT_EQ(process("data:;charset=utf-8,x").mime, "text/plain;charset=utf-8");
}

TEST(DataUrl, Base64AfterSemicolonAnyCase) {
  Data d = process("data:image/gif;BASE64,R0lG ODlh");
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(d.body, "GIF89a");
  EXPECT_EQ(d.mime, "image/gif");
  EXPECT_EQ(process("data:text/plain ; base64,YQ==").body, "a");  // spaces before "base64"
  EXPECT_EQ(process("data:text/plainbase64,YQ==").body, "YQ==");  // no ';': not base64
}

TEST(DataUrl, Refused) {
  EXPECT_FALSE(process("data:text/plain").ok);         // no comma
  EXPECT_FALSE(process("data:;base64,a").ok);           // 1 mod 4
  EXPECT_FALSE(process("data:;base64,ab!d").ok);        // outside the alphabet
}

TEST(ForgivingBase64, WhitespacePaddingAndErrors) {
  bool ok = false;
  EXPECT_EQ(b64(" aGVs\nbG8= ", &ok), "hello");
  EXPECT_TRUE(ok);
  EXPECT_EQ(b64("aGVsbG8", &ok), "hello");  // padding optional
  EXPECT_TRUE(ok);
  EXPECT_EQ(b64("", &ok), "");
  EXPECT_TRUE(ok);
  b64("aGVsbG8=x", &ok);  // '=' not at the end
  EXPECT_FALSE(ok);
  b64("a===", &ok);
  EXPECT_FALSE(ok);
}

TEST(OpaqueUrl, Serialised) {
  UrlError e;
  EXPECT_EQ(opaque("about:blank", &e), "about:blank");
  EXPECT_EQ(opaque("\t DATA:a\nb c?d e#f`\x01g \x01", &e), "data:ab c?d%20e#f%60%01g");  // ends trimmed
  EXPECT_EQ(opaque("mailto:\xC3\xA9@x", &e), "mailto:%C3%A9@x");
  EXPECT_EQ(e, UrlError::kOk);
}

TEST(OpaqueUrl, Refused) {
  UrlError e;
  opaque("https://x/", &e);
  EXPECT_EQ(e, UrlError::kUnsupportedScheme);  // special: parse_url's
  opaque("ws:x", &e);
  EXPECT_EQ(e, UrlError::kUnsupportedScheme);
  opaque("foo://host/", &e);
  EXPECT_EQ(e, UrlError::kUnsupportedScheme);  // an authority
  opaque("/relative", &e);
  EXPECT_EQ(e, UrlError::kRelative);
  opaque("1ab:x", &e);
  EXPECT_EQ(e, UrlError::kRelative);
}
