#include "tests/firmware/test_bundle.h"

#include <cstdio>
#include <cstring>

#include "ports/mps2-an385/board/flash_layout.h"

namespace mcujs::fwtest {

bool TestBundle::open(const char* who) {
  const auto* flash = reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(mps2::kBundleBase));
  bundle::Status st =
      reader_.open(flash, mps2::kBundleSize, {"mps2-an385", MCUJS_QUICKJS_VERSION, MCUJS_QUICKJS_BC_VERSION});
  if (st != bundle::Status::kOk) {
    printf("%s: no test bundle in flash: %s (load one with -device loader)\n", who, bundle::status_text(st));
    return false;
  }
  if (!file("params.txt", &params_, &params_len_)) {
    printf("%s: the bundle has no params.txt\n", who);
    return false;
  }
  size_t pos = 0;
  bundle::Setting w;
  for (bundle::Next n; (n = bundle::next_setting(params_, params_len_, &pos, &w)) != bundle::Next::kEnd;) {
    if (n == bundle::Next::kBad) {
      printf("%s: params.txt: '%.*s' is not a key=value word\n", who, static_cast<int>(w.key_len), w.key);
      return false;
    }
  }
  const char* cfg = nullptr;
  size_t cfg_len = 0;
  char err[120];
  if (file(bundle::kBootSettingsFile, &cfg, &cfg_len) &&
      !bundle::parse_boot_settings(cfg, cfg_len, &boot_, err, sizeof err)) {
    printf("%s: %s: %s\n", who, bundle::kBootSettingsFile, err);
    return false;
  }
  return true;
}

bool TestBundle::file(const char* name, const char** data, size_t* size) const {
  bundle::Entry e{};
  if (!reader_.find(bundle::Kind::kFile, name, &e)) return false;
  *data = reinterpret_cast<const char*>(e.data);
  *size = e.size;
  return true;
}

bool TestBundle::find(const char* key, bundle::Setting* out) const {
  size_t pos = 0;
  while (bundle::next_setting(params_, params_len_, &pos, out) == bundle::Next::kSetting) {
    if (out->key_len == strlen(key) && memcmp(out->key, key, out->key_len) == 0) return true;
  }
  return false;
}

long TestBundle::number(const char* key, long max) const {
  bundle::Setting s;
  uint32_t v = 0;
  if (!find(key, &s) || !bundle::parse_decimal(s.value, s.value_len, static_cast<uint32_t>(max), &v)) return -1;
  return static_cast<long>(v);
}

bool TestBundle::word(const char* key, char* out, size_t cap) const {
  bundle::Setting s;
  if (!find(key, &s) || s.value_len >= cap) return false;
  memcpy(out, s.value, s.value_len);
  out[s.value_len] = '\0';
  return true;
}

}  // namespace mcujs::fwtest
