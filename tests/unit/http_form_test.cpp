// net/http/form: application/x-www-form-urlencoded escape, unescape, split.
#include "net/http/form.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace mcujs::net::http;

namespace {

std::string esc(const std::string& s) {
  size_t n = form_escape(reinterpret_cast<const uint8_t*>(s.data()), s.size(), nullptr, 0);
  std::string out(n, '\0');
  form_escape(reinterpret_cast<const uint8_t*>(s.data()), s.size(), out.data(), n);
  return out;
}
std::string unesc(const std::string& s) {
  std::string out(s.size(), '\0');
  out.resize(form_unescape(s.data(), s.size(), reinterpret_cast<uint8_t*>(out.data())));
  return out;
}
std::vector<std::pair<std::string, std::string>> split(const std::string& s) {
  std::vector<std::pair<std::string, std::string>> v;
  form_split(s.data(), s.size(), [](void* o, const char* n, size_t nl, const char* val, size_t vl) {
    static_cast<std::vector<std::pair<std::string, std::string>>*>(o)->emplace_back(std::string(n, nl), std::string(val, vl));
  }, &v);
  return v;
}

TEST(Form, Escape) {
  EXPECT_EQ(esc("aZ09*-._"), "aZ09*-._");
  EXPECT_EQ(esc("a b"), "a+b");
  EXPECT_EQ(esc("&=+%~!'()"), "%26%3D%2B%25%7E%21%27%28%29");
  EXPECT_EQ(esc("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(esc(std::string("\0\xFF", 2)), "%00%FF");
  char small[4];
  EXPECT_EQ(form_escape(reinterpret_cast<const uint8_t*>("&&"), 2, small, sizeof small), 6u);  // bounded write
  EXPECT_EQ(std::string(small, 4), "%26%");
}

TEST(Form, Unescape) {
  EXPECT_EQ(unesc("a+b%20c"), "a b c");
  EXPECT_EQ(unesc("%C3%a9"), "\xC3\xA9");
  EXPECT_EQ(unesc("%"), "%");
  EXPECT_EQ(unesc("%4"), "%4");
  EXPECT_EQ(unesc("%zz%41"), "%zzA");
  EXPECT_EQ(unesc("100%"), "100%");
  EXPECT_EQ(unesc("%2B"), "+");
}

TEST(Form, RoundTrip) {
  std::string all;
  for (int i = 0; i < 256; i++) all += static_cast<char>(i);
  EXPECT_EQ(unesc(esc(all)), all);
}

TEST(Form, Split) {
  using P = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(split("a=1&b=2"), (P{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(split("&&a&=x&b=c=d&"), (P{{"a", ""}, {"", "x"}, {"b", "c=d"}}));
  EXPECT_EQ(split(""), P{});
  EXPECT_EQ(split("="), (P{{"", ""}}));
}

}  // namespace
