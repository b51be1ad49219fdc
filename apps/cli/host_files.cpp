#include "apps/cli/host_files.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mcujs::cli {

uint8_t* read_file(const char* path, size_t* len, char* err, size_t err_len) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
    return nullptr;
  }
  uint8_t* buf = nullptr;
  long n = -1;
  if (fseek(f, 0, SEEK_END) == 0) n = ftell(f);
  if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = static_cast<uint8_t*>(malloc(static_cast<size_t>(n) + 1));
    if (buf && fread(buf, 1, static_cast<size_t>(n), f) == static_cast<size_t>(n)) {
      buf[n] = 0;
      *len = static_cast<size_t>(n);
    } else {
      free(buf);
      buf = nullptr;
    }
  }
  if (!buf) snprintf(err, err_len, "cannot read %s", path);
  fclose(f);
  return buf;
}

bool write_file(const char* path, const uint8_t* data, size_t len, char* err, size_t err_len) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= static_cast<int>(sizeof tmp)) {
    snprintf(err, err_len, "path too long: %s", path);
    return false;
  }
  FILE* f = fopen(tmp, "wb");
  if (!f) {
    snprintf(err, err_len, "cannot create %s: %s", tmp, strerror(errno));
    return false;
  }
  bool ok = fwrite(data, 1, len, f) == len;
  ok = fclose(f) == 0 && ok;
  if (!ok || rename(tmp, path) != 0) {
    snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
    remove(tmp);
    return false;
  }
  return true;
}

}  // namespace mcujs::cli
