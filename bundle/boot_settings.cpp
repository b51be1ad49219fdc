#include "bundle/boot_settings.h"

#include <cstdio>
#include <cstring>

namespace mcujs::bundle {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// "A.B.C.D[:PORT]": four octets 0..255, PORT 1..65535.
bool parse_ntp(const char* v, size_t n, BootSettings* s) {
  const char* colon = static_cast<const char*>(memchr(v, ':', n));
  size_t host_len = colon ? static_cast<size_t>(colon - v) : n;
  uint32_t port = 123;
  if (colon && (!parse_decimal(colon + 1, n - host_len - 1, 65535, &port) || port == 0)) return false;
  const char* p = v;
  const char* end = v + host_len;
  for (int octet = 0; octet < 4; octet++) {
    const char* dot = octet < 3 ? static_cast<const char*>(memchr(p, '.', static_cast<size_t>(end - p))) : end;
    uint32_t x = 0;
    if (!dot || !parse_decimal(p, static_cast<size_t>(dot - p), 255, &x)) return false;
    p = dot + 1;
  }
  if (host_len >= sizeof s->ntp_ip) return false;
  memcpy(s->ntp_ip, v, host_len);
  s->ntp_ip[host_len] = '\0';
  s->ntp_port = static_cast<uint16_t>(port);
  return true;
}

int clip(size_t n) { return static_cast<int>(n < 40 ? n : 40); }

}  // namespace

bool parse_decimal(const char* p, size_t n, uint32_t max, uint32_t* out) {
  if (n == 0 || n > 9 || (n > 1 && p[0] == '0')) return false;
  uint32_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!digit(p[i])) return false;
    v = v * 10 + static_cast<uint32_t>(p[i] - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

Next next_setting(const char* text, size_t len, size_t* pos, Setting* out) {
  size_t i = *pos;
  while (i < len && space(text[i])) i++;
  if (i >= len) {
    *pos = len;
    return Next::kEnd;
  }
  size_t start = i;
  while (i < len && !space(text[i])) i++;
  *pos = i;
  const char* w = text + start;
  size_t n = i - start;
  const char* eq = static_cast<const char*>(memchr(w, '=', n));
  *out = Setting{w, n, nullptr, 0};
  if (!eq || eq == w || eq == w + n - 1) return Next::kBad;
  out->key_len = static_cast<size_t>(eq - w);
  out->value = eq + 1;
  out->value_len = n - out->key_len - 1;
  return Next::kSetting;
}

int boot_setting_index(const char* key, size_t key_len) {
  for (size_t i = 0; i < kBootSettingCount; i++)
    if (strlen(kBootSettingKeys[i]) == key_len && memcmp(kBootSettingKeys[i], key, key_len) == 0)
      return static_cast<int>(i);
  return -1;
}

bool set_boot_setting(BootSettings* s, const char* key, size_t key_len, const char* value, size_t value_len,
                      char* err, size_t err_len) {
  switch (boot_setting_index(key, key_len)) {
    case 0:  // ntp
      if (parse_ntp(value, value_len, s)) return true;
      snprintf(err, err_len, "'%.*s' is not an IPv4 address with an optional port 1..65535 (A.B.C.D[:PORT])",
               clip(value_len), value);
      return false;
    case 1: {  // log
      char name[8];
      if (value_len < sizeof name) {
        memcpy(name, value, value_len);
        name[value_len] = '\0';
        if (port::log_level_from_name(name, &s->log_level)) return true;
      }
      snprintf(err, err_len, "unknown level '%.*s' (trace, info, warn, error, none)", clip(value_len), value);
      return false;
    }
    default:
      snprintf(err, err_len, "unknown setting (known: ntp, log)");
      return false;
  }
}

bool parse_boot_settings(const char* text, size_t len, BootSettings* out, char* err, size_t err_len) {
  *out = BootSettings{};
  if (len > kBootSettingsMax) {
    snprintf(err, err_len, "%lu bytes, more than %lu", static_cast<unsigned long>(len),
             static_cast<unsigned long>(kBootSettingsMax));
    return false;
  }
  bool seen[kBootSettingCount] = {};
  size_t pos = 0;
  Setting w;
  for (Next n; (n = next_setting(text, len, &pos, &w)) != Next::kEnd;) {
    if (n == Next::kBad) {
      snprintf(err, err_len, "'%.*s' is not a key=value word", clip(w.key_len), w.key);
      return false;
    }
    int k = boot_setting_index(w.key, w.key_len);
    if (k >= 0 && seen[k]) {
      snprintf(err, err_len, "%.*s: given twice", clip(w.key_len), w.key);
      return false;
    }
    char why[120];
    if (!set_boot_setting(out, w.key, w.key_len, w.value, w.value_len, why, sizeof why)) {
      snprintf(err, err_len, "%.*s: %s", clip(w.key_len), w.key, why);
      return false;
    }
    if (k >= 0) seen[k] = true;
  }
  return true;
}

}  // namespace mcujs::bundle
