// types/mcujs.d.ts against the error-code tables: its TLSErrorCode union must
// be exactly tls::code_name()'s names, its NetErrorCode union exactly
// net::code_name()'s, and every port::error_name() a socket call can return
// must be a net code (what a NetError.code can carry).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "net/errors.h"
#include "port/port.h"
#include "tls/tls.h"

namespace {

std::string repo_file(const char* rel) {
  std::ifstream in(std::string(MCUJS_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The string literals of `type NAME = ... ;` in the declarations.
std::set<std::string> union_members(const std::string& dts, const std::string& name) {
  std::set<std::string> out;
  size_t at = dts.find("type " + name + " =");
  if (at == std::string::npos) return out;
  size_t end = dts.find(';', at);
  std::string body = dts.substr(at, end - at);
  std::regex lit("'([A-Z0-9_]+)'");
  for (std::sregex_iterator it(body.begin(), body.end(), lit), e; it != e; ++it) out.insert((*it)[1]);
  return out;
}

TEST(ErrorCodes, TlsUnionMatchesTable) {
  std::string dts = repo_file("types/mcujs.d.ts");
  ASSERT_FALSE(dts.empty());
  std::set<std::string> table;
  for (int i = 1; i < 256; i++) {
    const char* n = mcujs::tls::code_name(static_cast<mcujs::tls::Code>(i));
    if (std::string(n) == "INTERNAL" && i != static_cast<int>(mcujs::tls::Code::kInternal)) continue;
    table.insert(n);
  }
  EXPECT_EQ(union_members(dts, "TLSErrorCode"), table);
}

TEST(ErrorCodes, NetUnionMatchesTable) {
  std::string dts = repo_file("types/mcujs.d.ts");
  std::set<std::string> table;
  for (int i = 0; i < mcujs::net::kCodeCount; i++) {
    auto c = static_cast<mcujs::net::Code>(i);
    if (c == mcujs::net::Code::kNone || c == mcujs::net::Code::kTls) continue;
    table.insert(mcujs::net::code_name(c));
    EXPECT_EQ(mcujs::net::code_from_name(mcujs::net::code_name(c)), c) << mcujs::net::code_name(c);
  }
  EXPECT_EQ(union_members(dts, "NetErrorCode"), table);
  EXPECT_EQ(mcujs::net::code_from_name("NO_SUCH_CODE"), mcujs::net::Code::kUnknown);
}

TEST(ErrorCodes, PortNamesAreNetCodes) {
  for (int32_t e = mcujs::port::kAddressInUse; e <= mcujs::port::kClosed; e++) {
    const char* name = mcujs::port::error_name(e);
    mcujs::net::Code c = mcujs::net::code_from_port(e);
    EXPECT_STREQ(mcujs::net::code_name(c), name) << "port error " << e;
  }
}

}  // namespace
