// libFuzzer target for the boot settings' parser (bundle/boot_settings.h):
// the runtime image runs it on its bundle's boot.cfg before anything else.
// The input is copied into a buffer of exactly its size (no NUL after it:
// in flash there is none), so ASan catches any read past its end. Accepted
// settings must be well formed, and a text written back from them must
// parse to the same settings; the word walker must move forward inside the
// text.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bundle/boot_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mcujs::bundle;
  char* text = static_cast<char*>(malloc(size ? size : 1));
  if (!text) return 0;
  if (size) memcpy(text, data, size);

  size_t pos = 0, words = 0;
  Setting w;
  for (Next n; (n = next_setting(text, size, &pos, &w)) != Next::kEnd; words++) {
    if (pos > size || w.key < text || w.key + w.key_len > text + size || words > size) abort();
    if (n == Next::kSetting && (w.value != w.key + w.key_len + 1 || w.value + w.value_len > text + pos)) abort();
  }

  BootSettings s;
  char err[160];
  if (parse_boot_settings(text, size, &s, err, sizeof err)) {
    size_t ip_len = strnlen(s.ntp_ip, sizeof s.ntp_ip);
    if (ip_len == sizeof s.ntp_ip || s.ntp_port == 0 || static_cast<unsigned>(s.log_level) > 4) abort();
    static const char* const kLevels[] = {"trace", "info", "warn", "error", "none"};
    char again[kBootSettingsMax];
    int n = snprintf(again, sizeof again, "log=%s", kLevels[static_cast<unsigned>(s.log_level)]);
    if (ip_len) n += snprintf(again + n, sizeof again - static_cast<size_t>(n), " ntp=%s:%u", s.ntp_ip, s.ntp_port);
    BootSettings t;
    if (!parse_boot_settings(again, static_cast<size_t>(n), &t, err, sizeof err) ||
        strcmp(t.ntp_ip, s.ntp_ip) != 0 || t.ntp_port != s.ntp_port || t.log_level != s.log_level)
      abort();
  } else if (strnlen(err, sizeof err) == 0 || strnlen(err, sizeof err) == sizeof err) {
    abort();  // a refusal always says why, NUL-terminated
  }
  free(text);
  return 0;
}
