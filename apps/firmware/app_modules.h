// The app's modules as QuickJS bytecode in flash, generated at build time by
// tools/js2bytecode (apps/firmware/CMakeLists.txt). The last one is the main
// module; the others are loaded first so that its imports find them.
#pragma once

#include <cstdint>

extern "C" {
struct McujsBytecodeModule {
  const char* name;
  const uint8_t* data;
  uint32_t len;
};
extern const McujsBytecodeModule mcujs_app_modules[];
extern const uint32_t mcujs_app_module_count;
}
