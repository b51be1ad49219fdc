// net/http_request: request serialisation and its validation.
#include "net/http/request.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace mcujs::net::http;

namespace {

Field f(const char* n, const char* v) { return Field{n, strlen(n), v, strlen(v)}; }

std::string write(const RequestHead& r, WriteError* err = nullptr) {
  size_t need = 0;
  WriteError e = write_request_head(r, nullptr, 0, &need);
  if (err) *err = e;
  if (e != WriteError::kTooSmall) return "";
  std::string out(need, '\0');
  size_t len = 0;
  e = write_request_head(r, out.data(), out.size(), &len);
  if (err) *err = e;
  EXPECT_EQ(len, need);
  return e == WriteError::kOk ? out : "";
}

}  // namespace

TEST(HttpRequest, MinimalGet) {
  RequestHead r;
  r.authority = "example.com";
  EXPECT_EQ(write(r), "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
}

TEST(HttpRequest, FieldsLengthAndClose) {
  Field fs[] = {f("User-Agent", "mcujs"), f("x-empty", ""), f("Accept", "*/*")};
  RequestHead r;
  r.method = "POST";
  r.target = "/api/v1?x=1";
  r.authority = "[::1]:8080";
  r.fields = fs;
  r.field_count = 3;
  r.has_length = true;
  r.content_length = 18446744073709551615ull;
  r.close = true;
  EXPECT_EQ(write(r),
            "POST /api/v1?x=1 HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: mcujs\r\nx-empty: \r\n"
            "Accept: */*\r\nContent-Length: 18446744073709551615\r\nConnection: close\r\n\r\n");
  r.content_length = 0;
  r.close = false;
  r.field_count = 0;
  EXPECT_EQ(write(r), "POST /api/v1?x=1 HTTP/1.1\r\nHost: [::1]:8080\r\nContent-Length: 0\r\n\r\n");
}

TEST(HttpRequest, CallerHostReplacesAuthority) {
  Field fs[] = {f("host", "virtual.example")};
  RequestHead r;
  r.authority = "10.0.0.1";
  r.fields = fs;
  r.field_count = 1;
  EXPECT_EQ(write(r), "GET / HTTP/1.1\r\nhost: virtual.example\r\n\r\n");
  r.authority = nullptr;  // not needed then
  EXPECT_EQ(write(r), "GET / HTTP/1.1\r\nhost: virtual.example\r\n\r\n");
  Field two[] = {f("Host", "a"), f("HOST", "b")};
  r.fields = two;
  r.field_count = 2;
  WriteError e;
  write(r, &e);
  EXPECT_EQ(e, WriteError::kBadAuthority);
}

TEST(HttpRequest, TooSmallReportsNeededLength) {
  RequestHead r;
  r.authority = "h";
  char buf[8];
  size_t len = 0;
  EXPECT_EQ(write_request_head(r, buf, sizeof buf, &len), WriteError::kTooSmall);
  EXPECT_EQ(len, strlen("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  std::vector<char> exact(len);
  size_t len2 = 0;
  EXPECT_EQ(write_request_head(r, exact.data(), exact.size(), &len2), WriteError::kOk);
  EXPECT_EQ(len2, len);
}

TEST(HttpRequest, RejectsInjection) {
  WriteError e;
  RequestHead r;
  r.authority = "h";
  r.method = "GET /evil HTTP/1.1\r\n";
  write(r, &e);
  EXPECT_EQ(e, WriteError::kBadMethod);
  r.method = "";
  write(r, &e);
  EXPECT_EQ(e, WriteError::kBadMethod);
  r.method = "GET";
  r.target = "/a b";
  write(r, &e);
  EXPECT_EQ(e, WriteError::kBadTarget);
  r.target = "relative";
  write(r, &e);
  EXPECT_EQ(e, WriteError::kBadTarget);
  r.target = "/";
  r.authority = "h\r\nX: y";
  write(r, &e);
  EXPECT_EQ(e, WriteError::kBadAuthority);
  r.authority = nullptr;
  write(r, &e);
  EXPECT_EQ(e, WriteError::kBadAuthority);
  r.authority = "h";

  const Field bad_values[] = {f("X", "a\r\nInjected: 1"), f("X", "a\nb"), f("X", " lead"), f("X", "trail\t"),
                              Field{"X", 1, "a\0b", 3}, f("X", "\x7f")};
  for (const Field& bf : bad_values) {
    r.fields = &bf;
    r.field_count = 1;
    write(r, &e);
    EXPECT_EQ(e, WriteError::kBadFieldValue) << std::string(bf.value, bf.value_len);
  }
  const Field bad_names[] = {f("", "v"), f("Bad Name", "v"), f("X:", "v"), f("X\r\n", "v"), f("caf\xc3\xa9", "v")};
  for (const Field& bf : bad_names) {
    r.fields = &bf;
    r.field_count = 1;
    write(r, &e);
    EXPECT_EQ(e, WriteError::kBadFieldName) << bf.name;
  }
  const Field ok_value = f("X-Obs", "caf\xc3\xa9 \t ok");
  r.fields = &ok_value;
  EXPECT_NE(write(r), "");
}

TEST(HttpRequest, ReservedFields) {
  for (const char* n : {"Content-Length", "transfer-encoding", "CONNECTION", "Keep-Alive", "Upgrade", "TE",
                        "Trailer", "Expect"}) {
    Field fs[] = {f(n, "x")};
    RequestHead r;
    r.authority = "h";
    r.fields = fs;
    r.field_count = 1;
    WriteError e;
    write(r, &e);
    EXPECT_EQ(e, WriteError::kReservedField) << n;
    EXPECT_TRUE(is_reserved_field(n, strlen(n)));
  }
  EXPECT_FALSE(is_reserved_field("Content-Type", 12));
  EXPECT_FALSE(is_reserved_field("t", 1));
}

TEST(HttpCommon, Helpers) {
  EXPECT_TRUE(is_token("X-Custom_1.2~!", 14));
  EXPECT_FALSE(is_token("a b", 3));
  EXPECT_FALSE(is_token("", 0));
  EXPECT_TRUE(equals_ci("Content-TYPE", 12, "content-type"));
  EXPECT_FALSE(equals_ci("Content", 7, "content-type"));
  EXPECT_FALSE(equals_ci("content-typex", 13, "content-type"));
  EXPECT_TRUE(list_has_token("keep-alive, Close", 17, "close"));
  EXPECT_TRUE(list_has_token(" ,close ,", 9, "close"));
  EXPECT_FALSE(list_has_token("closed, notclose", 16, "close"));
  EXPECT_FALSE(list_has_token("", 0, "close"));
}
