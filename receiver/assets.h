// The dashboard files embedded into the binary at build time (embed.cmake
// generates the table from receiver/dashboard/).
#pragma once
#include <cstddef>

namespace mcujs_receiver {

struct Asset {
  const char* name;  // file name, e.g. "app.js"; nullptr ends the table
  const char* data;
  size_t size;
};
extern const Asset kAssets[];

}  // namespace mcujs_receiver
