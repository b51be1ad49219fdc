// The device's boot settings (bundle/boot_settings.h): the parser the
// runtime image boots with and `mcujs bundle` checks with, and the CLI's
// compilation of a config's "device" section into boot.cfg.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "apps/cli/device_section.h"
#include "bundle/boot_settings.h"

using namespace mcujs;
using bundle::BootSettings;

namespace {

bool parse(const std::string& text, BootSettings* s, std::string* err = nullptr) {
  char e[160] = "";
  bool ok = bundle::parse_boot_settings(text.data(), text.size(), s, e, sizeof e);
  if (err) *err = e;
  return ok;
}

// compile_device_section on json; the boot.cfg text, or "ERR: <message>".
std::string compile(const std::string& json) {
  char out[bundle::kBootSettingsMax], err[256] = "";
  size_t len = 99;
  if (!cli::compile_device_section(json.c_str(), json.size(), out, sizeof out, &len, err, sizeof err)) {
    EXPECT_EQ(len, 0u);
    return std::string("ERR: ") + err;
  }
  return std::string(out, len);
}

}  // namespace

TEST(BootSettings, DefaultsWithoutSettings) {
  BootSettings s;
  s.ntp_port = 1;
  ASSERT_TRUE(parse("", &s));
  EXPECT_STREQ(s.ntp_ip, "");  // the DHCP gateway
  EXPECT_EQ(s.ntp_port, 123);
  EXPECT_EQ(s.log_level, port::LogLevel::kInfo);
  ASSERT_TRUE(parse(" \n\t\r\n", &s));
  EXPECT_EQ(s.ntp_port, 123);
}

TEST(BootSettings, ReadsEverySetting) {
  BootSettings s;
  ASSERT_TRUE(parse("ntp=10.0.2.2:12300 log=trace\n", &s));
  EXPECT_STREQ(s.ntp_ip, "10.0.2.2");
  EXPECT_EQ(s.ntp_port, 12300);
  EXPECT_EQ(s.log_level, port::LogLevel::kTrace);
  ASSERT_TRUE(parse("log=none\tntp=255.255.255.255", &s));
  EXPECT_STREQ(s.ntp_ip, "255.255.255.255");
  EXPECT_EQ(s.ntp_port, 123);  // no port: NTP's
  EXPECT_EQ(s.log_level, port::LogLevel::kNone);
  ASSERT_TRUE(parse("ntp=0.0.0.0:65535", &s));
  EXPECT_EQ(s.ntp_port, 65535);
  for (const char* l : {"trace", "info", "warn", "error", "none"})
    EXPECT_TRUE(parse(std::string("log=") + l, &s)) << l;
}

TEST(BootSettings, NotNulTerminated) {
  // boot.cfg lies in flash without a NUL: the length bounds every read.
  const char text[] = "log=warnXXXX";
  BootSettings s;
  char e[100];
  ASSERT_TRUE(bundle::parse_boot_settings(text, 8, &s, e, sizeof e)) << e;
  EXPECT_EQ(s.log_level, port::LogLevel::kWarn);
}

TEST(BootSettings, RefusesWithTheKeyNamed) {
  BootSettings s;
  std::string err;
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"ntp=10.0.2.2:0", "ntp: '10.0.2.2:0' is not an IPv4 address with an optional port 1..65535"},
      {"ntp=10.0.2.2:65536", "ntp: '10.0.2.2:65536' is not"},
      {"ntp=10.0.2.2:", "ntp: '10.0.2.2:' is not"},
      {"ntp=10.0.2.2:+1", "ntp: '10.0.2.2:+1' is not"},
      {"ntp=10.0.2.2:0123", "ntp: '10.0.2.2:0123' is not"},
      {"ntp=10.0.2", "ntp: '10.0.2' is not"},
      {"ntp=10.0.2.2.1", "ntp: '10.0.2.2.1' is not"},
      {"ntp=10.0.2.256", "ntp: '10.0.2.256' is not"},
      {"ntp=10.0.02.2", "ntp: '10.0.02.2' is not"},
      {"ntp=10..2.2", "ntp: '10..2.2' is not"},
      {"ntp=:123", "ntp: ':123' is not"},
      {"ntp=time.example", "ntp: 'time.example' is not"},
      {"log=verbose", "log: unknown level 'verbose' (trace, info, warn, error, none)"},
      {"log=tracex", "log: unknown level 'tracex'"},
      {"log=TRACE", "log: unknown level 'TRACE'"},
      {"hold=1", "hold: unknown setting (known: ntp, log)"},
      {"log=info log=trace", "log: given twice"},
      {"ntp=1.2.3.4 ntp=1.2.3.4", "ntp: given twice"},
      {"log", "'log' is not a key=value word"},
      {"=info", "'=info' is not a key=value word"},
      {"log=", "'log=' is not a key=value word"},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(parse(c.text, &s, &err)) << c.text;
    EXPECT_NE(err.find(c.message), std::string::npos) << c.text << " -> " << err;
  }
  EXPECT_FALSE(parse(std::string(bundle::kBootSettingsMax + 1, ' '), &s, &err));
  EXPECT_NE(err.find("more than"), std::string::npos) << err;
}

TEST(BootSettings, WordWalker) {
  const std::string t = "a=1  bb=x=y\nbad c=";
  size_t pos = 0;
  bundle::Setting w;
  ASSERT_EQ(bundle::next_setting(t.data(), t.size(), &pos, &w), bundle::Next::kSetting);
  EXPECT_EQ(std::string(w.key, w.key_len), "a");
  EXPECT_EQ(std::string(w.value, w.value_len), "1");
  ASSERT_EQ(bundle::next_setting(t.data(), t.size(), &pos, &w), bundle::Next::kSetting);
  EXPECT_EQ(std::string(w.key, w.key_len), "bb");
  EXPECT_EQ(std::string(w.value, w.value_len), "x=y");  // the first '=' splits
  ASSERT_EQ(bundle::next_setting(t.data(), t.size(), &pos, &w), bundle::Next::kBad);
  EXPECT_EQ(std::string(w.key, w.key_len), "bad");
  ASSERT_EQ(bundle::next_setting(t.data(), t.size(), &pos, &w), bundle::Next::kBad);
  EXPECT_EQ(bundle::next_setting(t.data(), t.size(), &pos, &w), bundle::Next::kEnd);
  EXPECT_EQ(bundle::next_setting(t.data(), t.size(), &pos, &w), bundle::Next::kEnd);
}

TEST(BootSettings, Decimal) {
  uint32_t v = 7;
  EXPECT_TRUE(bundle::parse_decimal("0", 1, 5, &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(bundle::parse_decimal("999999999", 9, 999999999, &v));
  EXPECT_FALSE(bundle::parse_decimal("1000000000", 10, 4000000000u, &v));  // more than 9 digits
  EXPECT_FALSE(bundle::parse_decimal("6", 1, 5, &v));
  EXPECT_FALSE(bundle::parse_decimal("", 0, 5, &v));
  EXPECT_FALSE(bundle::parse_decimal("-1", 2, 5, &v));
  EXPECT_FALSE(bundle::parse_decimal("01", 2, 5, &v));
}

TEST(DeviceSection, CompilesToBootCfg) {
  EXPECT_EQ(compile(R"({"device": {"ntp": "10.0.2.2:12345", "log": "trace"}})"), "ntp=10.0.2.2:12345 log=trace\n");
  EXPECT_EQ(compile(R"({"device": {"log": "warn"}, "cloud": {"url": "x"}})"), "log=warn\n");
  // No section (or an empty one): no boot.cfg, the device's defaults.
  EXPECT_EQ(compile(R"({"cloud": {"url": "x"}})"), "");
  EXPECT_EQ(compile(R"({"device": {}})"), "");
  // What it writes, the device reads back.
  std::string cfg = compile(R"({"device": {"ntp": "192.168.1.1", "log": "error"}})");
  BootSettings s;
  ASSERT_TRUE(parse(cfg, &s));
  EXPECT_STREQ(s.ntp_ip, "192.168.1.1");
  EXPECT_EQ(s.ntp_port, 123);
  EXPECT_EQ(s.log_level, port::LogLevel::kError);
}

TEST(DeviceSection, RefusesNamingTheKey) {
  EXPECT_EQ(compile(R"({"device": {"ntp": "10.0.2.2:99999"}})"),
            "ERR: device.ntp: '10.0.2.2:99999' is not an IPv4 address with an optional port 1..65535 "
            "(A.B.C.D[:PORT])");
  EXPECT_EQ(compile(R"({"device": {"log": "loud"}})"),
            "ERR: device.log: unknown level 'loud' (trace, info, warn, error, none)");
  EXPECT_EQ(compile(R"({"device": {"ntp": "10.0.2.2", "hold": "yes"}})"),
            "ERR: device.hold: unknown setting (known: ntp, log)");
  EXPECT_EQ(compile(R"({"device": {"ntp": 123}})"), "ERR: device.ntp: expected a string");
  EXPECT_EQ(compile(R"({"device": {"log": "trace log=info"}})").rfind("ERR: device.log: unknown level", 0), 0u);
  EXPECT_EQ(compile(R"({"device": {"ntp": "1.2.3.4 log=trace"}})").rfind("ERR: device.ntp: ", 0), 0u);
  EXPECT_EQ(compile(R"({"device": "ntp=1.2.3.4"})"), "ERR: device: expected an object of settings (ntp, log)");
  EXPECT_EQ(compile(R"({"device": ["ntp"]})"), "ERR: device: expected an object of settings (ntp, log)");
  EXPECT_EQ(compile(R"({"device": null})"), "ERR: device: expected an object of settings (ntp, log)");
  EXPECT_EQ(compile(R"([1])"), "ERR: expected a JSON object");
  EXPECT_EQ(compile(R"({"device": )").rfind("ERR: not JSON: SyntaxError", 0), 0u);
}
