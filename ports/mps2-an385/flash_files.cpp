#include "ports/mps2-an385/flash_files.h"

#include <cstring>

namespace mcujs::mps2 {

const McujsFlashFile* FlashFiles::find(const char* path) {
  if (!path) return nullptr;
  if (path[0] == '.' && path[1] == '/') path += 2;  // "./ca.pem" names "ca.pem"
  for (uint32_t i = 0; i < mcujs_flash_file_count; i++) {
    if (strcmp(mcujs_flash_files[i].name, path) == 0) return &mcujs_flash_files[i];
  }
  return nullptr;
}

int32_t FlashFiles::read(const char* path, AllocFn alloc, void* opaque, uint8_t** out) {
  if (!path || !out) return port::kInvalid;
  const McujsFlashFile* f = find(path);
  if (!f) return port::kNotFound;
  uint8_t* buf = alloc(opaque, f->len);
  if (!buf) return port::kNoMemory;
  memcpy(buf, f->data, f->len);
  *out = buf;
  return static_cast<int32_t>(f->len);
}

}  // namespace mcujs::mps2
