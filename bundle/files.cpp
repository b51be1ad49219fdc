#include "bundle/files.h"

#include <cstring>

namespace mcujs::bundle {

namespace {
const char* plain(const char* path) {
  return path[0] == '.' && path[1] == '/' ? path + 2 : path;  // "./ca.pem" names "ca.pem"
}
}  // namespace

bool BundleFiles::contains(const char* path) const {
  Entry e;
  return path && bundle_.find(Kind::kFile, plain(path), &e);
}

int32_t BundleFiles::read(const char* path, AllocFn alloc, void* opaque, uint8_t** out) {
  if (!path || !out) return port::kInvalid;
  Entry e;
  if (!bundle_.find(Kind::kFile, plain(path), &e)) return port::kNotFound;
  if (e.size > INT32_MAX) return port::kInvalid;
  uint8_t* buf = alloc(opaque, e.size);
  if (!buf) return port::kNoMemory;
  if (e.size) memcpy(buf, e.data, e.size);
  *out = buf;
  return static_cast<int32_t>(e.size);
}

}  // namespace mcujs::bundle
