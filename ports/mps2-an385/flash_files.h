// Read-only files linked into flash (tools/files2c.py): the app's
// configuration and CA certificates. There is no file system on the board;
// port::Files reads from this table.
#pragma once

#include <cstdint>

#include "port/port.h"

extern "C" {
struct McujsFlashFile {
  const char* name;
  const uint8_t* data;
  uint32_t len;
};
// Defined by the generated table; an image without files links an empty one
// (apps/firmware/CMakeLists.txt).
extern const McujsFlashFile mcujs_flash_files[];
extern const uint32_t mcujs_flash_file_count;
}

namespace mcujs::mps2 {

class FlashFiles final : public port::Files {
 public:
  // Copies the file into a buffer from alloc (the caller owns it), as the
  // interface requires of every port; the files are small (< 64 KiB).
  int32_t read(const char* path, AllocFn alloc, void* opaque, uint8_t** out) override;
  bool contains(const char* path) const { return find(path) != nullptr; }

 private:
  static const McujsFlashFile* find(const char* path);
};

}  // namespace mcujs::mps2
