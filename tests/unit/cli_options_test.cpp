#include "apps/cli/options.h"

#include <gtest/gtest.h>

#include <vector>

using namespace mcujs::cli;

namespace {
bool parse(std::vector<const char*> args, CliOptions* o, std::string* err) {
  args.insert(args.begin(), "mcujs");
  char buf[256] = {};
  bool ok = parse_options(static_cast<int>(args.size()), const_cast<char**>(args.data()), o, buf, sizeof buf);
  *err = buf;
  return ok;
}
}  // namespace

TEST(CliOptions, RunWithOptions) {
  CliOptions o;
  std::string err;
  ASSERT_TRUE(parse({"run", "--ca", "a.pem", "--ca", "b.pem", "--log-level", "warn", "--memory-limit", "512k",
                     "--handshake-timeout", "1500", "--keep-running", "app.js", "x", "y"}, &o, &err)) << err;
  EXPECT_EQ(o.command, Command::kRun);
  EXPECT_EQ(o.net.ca_file_count, 2);
  EXPECT_STREQ(o.net.ca_files[1], "b.pem");
  EXPECT_EQ(o.runtime.log_level, mcujs::port::LogLevel::kWarn);
  EXPECT_EQ(o.runtime.memory_limit, 512u * 1024);
  EXPECT_EQ(o.net.tls.handshake_timeout_ms, 1500u);
  EXPECT_FALSE(o.runtime.exit_on_uncaught);
  EXPECT_STREQ(o.script, "app.js");
  EXPECT_EQ(o.script_argc, 3);
}

TEST(CliOptions, SecureDefaults) {
  CliOptions o;
  std::string err;
  ASSERT_TRUE(parse({"run", "app.js"}, &o, &err));
  EXPECT_FALSE(o.net.tls.insecure_skip_verify);
  EXPECT_FALSE(o.net.tls.insecure_entropy);
  EXPECT_FALSE(o.net.tls.insecure_no_wall_clock);
  EXPECT_TRUE(o.runtime.exit_on_uncaught);
  EXPECT_EQ(o.net.tls.handshake_timeout_ms, 10000u);
}

TEST(CliOptions, HazardsOnlyWhenNamed) {
  CliOptions o;
  std::string err;
  ASSERT_TRUE(parse({"run", "--insecure-no-wall-clock", "app.js"}, &o, &err)) << err;
  EXPECT_TRUE(o.net.tls.insecure_no_wall_clock);
  EXPECT_FALSE(o.net.tls.insecure_skip_verify);
  EXPECT_FALSE(o.net.tls.insecure_entropy);
}

TEST(CliOptions, ClearErrors) {
  CliOptions o;
  std::string err;
  EXPECT_FALSE(parse({"run"}, &o, &err));
  EXPECT_NE(err.find("missing script"), std::string::npos);
  EXPECT_FALSE(parse({"run", "--log-level", "loud", "a.js"}, &o, &err));
  EXPECT_NE(err.find("--log-level"), std::string::npos);
  EXPECT_FALSE(parse({"run", "--memory-limit", "lots", "a.js"}, &o, &err));
  EXPECT_FALSE(parse({"run", "--handshake-timeout", "0", "a.js"}, &o, &err));
  EXPECT_FALSE(parse({"run", "--bogus", "a.js"}, &o, &err));
  EXPECT_NE(err.find("unknown option"), std::string::npos);
  EXPECT_FALSE(parse({"run", "--ca"}, &o, &err));
  EXPECT_NE(err.find("needs a value"), std::string::npos);
  EXPECT_FALSE(parse({"frobnicate"}, &o, &err));
}

TEST(CliOptions, Sizes) {
  size_t v;
  EXPECT_TRUE(parse_size("64m", &v));
  EXPECT_EQ(v, 64u << 20);
  EXPECT_TRUE(parse_size("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_FALSE(parse_size("-1", &v));
  EXPECT_FALSE(parse_size("12q", &v));
  EXPECT_FALSE(parse_size("99999999999999999999g", &v));
}
