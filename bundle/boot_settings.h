// The device's boot settings: what the runtime image needs before the app
// runs (the NTP server, the log level). They come with the app, in its
// bundle: `mcujs bundle --config FILE` checks the "device" section of
// FILE and compiles it into the data file "boot.cfg", one line of
// key=value words, e.g. "ntp=10.0.2.2:12300 log=trace" (docs/firmware.md,
// "Boot settings"). One parser for both sides: the CLI checks with it what
// it writes, the image reads with it what it boots with.
//
// The word walker (next_setting) is the format's lexer, also used by the
// firmware test images for their parameters (tests/firmware).
#pragma once

#include <cstddef>
#include <cstdint>

#include "port/port.h"

namespace mcujs::bundle {

inline constexpr char kBootSettingsFile[] = "boot.cfg";
inline constexpr size_t kBootSettingsMax = 128;  // bytes of boot.cfg (its longest line is ~40)

// One "key=value" word of a settings text (pointers into the text, not
// NUL-terminated).
struct Setting {
  const char* key;
  size_t key_len;
  const char* value;
  size_t value_len;
};

enum class Next : uint8_t {
  kSetting,  // *out is the next word
  kEnd,      // no more words
  kBad,      // the word at *out.key (key_len long) has no '=', or an empty key or value
};

// Words are separated by spaces, tabs, CR or LF. *pos starts at 0 and moves
// past each word.
Next next_setting(const char* text, size_t len, size_t* pos, Setting* out);

// A decimal number of n characters (no sign, no leading zero, at most 9
// digits) that is at most max; false otherwise.
bool parse_decimal(const char* p, size_t n, uint32_t max, uint32_t* out);

// The keys set_boot_setting knows, in this order.
inline constexpr const char* kBootSettingKeys[] = {"ntp", "log"};
inline constexpr size_t kBootSettingCount = sizeof kBootSettingKeys / sizeof kBootSettingKeys[0];
// Its index in kBootSettingKeys, or -1.
int boot_setting_index(const char* key, size_t key_len);

struct BootSettings {
  char ntp_ip[16] = {};  // dotted IPv4; empty: the DHCP gateway
  uint16_t ntp_port = 123;
  port::LogLevel log_level = port::LogLevel::kInfo;
};

// Sets one setting from its key and value (lengths given; no NUL needed).
// False, with err saying what is wrong (the caller names the key), for an
// unknown key or a malformed value: ntp=A.B.C.D[:PORT] (PORT 1..65535), log=trace|info|warn|
// error|none.
bool set_boot_setting(BootSettings* s, const char* key, size_t key_len, const char* value, size_t value_len,
                      char* err, size_t err_len);

// Parses a whole boot.cfg (len bytes, no NUL needed) over the defaults.
// False with err ("key: why", or the bad word) on anything
// unknown, malformed, repeated or longer than kBootSettingsMax.
bool parse_boot_settings(const char* text, size_t len, BootSettings* out, char* err, size_t err_len);

}  // namespace mcujs::bundle
