// EMULATION ONLY: the parts of this port that stand in, through semihosting,
// for hardware the emulated board lacks (see mps2_port.h). On a Photon the
// entropy would come from the STM32F2 RNG and the store from a flash driver.
#include <cstdio>
#include <cstring>

#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/semihosting.h"

namespace mcujs::mps2 {

int32_t SemihostEntropy::fill(uint8_t* buf, size_t len) {
  if (handle_ < 0) handle_ = semihost::open("/dev/urandom", semihost::kModeReadBinary);
  if (handle_ < 0) return port::kIo;
  size_t got = 0;
  for (int tries = 0; got < len && tries < 8; tries++) {
    int n = semihost::read(handle_, buf + got, len - got);
    if (n < 0) return port::kIo;
    got += static_cast<size_t>(n);
  }
  return got == len ? port::kOk : port::kIo;
}

// Keys are restricted to [A-Za-z0-9._-] (as on Linux), so they map to host
// file names safely.
bool SemihostKvStore::path_for(const char* key, const char* suffix, char* out, size_t cap) const {
  if (!key || !*key || strlen(key) > kMaxKey || key[0] == '.') return false;
  for (const char* p = key; *p; p++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  int n = snprintf(out, cap, "%s%s%s", prefix_, key, suffix);
  return n > 0 && static_cast<size_t>(n) < cap;
}

int32_t SemihostKvStore::get(const char* key, uint8_t* buf, size_t cap) {
  char path[128];
  if (!path_for(key, "", path, sizeof path)) return port::kInvalid;
  int h = semihost::open(path, semihost::kModeReadBinary);
  if (h < 0) return port::kNotFound;
  int len = semihost::flen(h);
  int32_t rc = len < 0 ? static_cast<int32_t>(port::kIo) : len;
  if (len > 0 && buf && cap > 0) {
    size_t want = static_cast<size_t>(len) < cap ? static_cast<size_t>(len) : cap;
    if (semihost::read(h, buf, want) != static_cast<int>(want)) rc = port::kIo;
  }
  semihost::close(h);
  return rc;
}

int32_t SemihostKvStore::put(const char* key, const uint8_t* val, size_t len) {
  char path[128], tmp[128];
  if (!path_for(key, "", path, sizeof path) || !path_for(key, ".tmp", tmp, sizeof tmp)) return port::kInvalid;
  int h = semihost::open(tmp, semihost::kModeWriteBinary);
  if (h < 0) return port::kIo;
  bool ok = len == 0 || semihost::write(h, val, len) == static_cast<int>(len);
  ok = semihost::close(h) == 0 && ok;
  if (!ok || semihost::rename(tmp, path) != 0) {
    semihost::remove(tmp);
    return port::kIo;
  }
  return port::kOk;
}

int32_t SemihostKvStore::remove(const char* key) {
  char path[128];
  if (!path_for(key, "", path, sizeof path)) return port::kInvalid;
  return semihost::remove(path) == 0 ? port::kOk : port::kNotFound;
}

}  // namespace mcujs::mps2
