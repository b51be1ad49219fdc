// Whole-file reads and writes for the CLI's host-side commands.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::cli {

// malloc'ed contents (NUL-terminated, not counted in *len), or nullptr with
// the reason in err.
uint8_t* read_file(const char* path, size_t* len, char* err, size_t err_len);
// Writes path.tmp and renames it over path (a reader sees the old or the new file).
bool write_file(const char* path, const uint8_t* data, size_t len, char* err, size_t err_len);

}  // namespace mcujs::cli
