#include <cstring>

#include "port/port.h"

namespace mcujs::port {

bool log_level_from_name(const char* name, LogLevel* level) {
  static const char* const kNames[] = {"trace", "info", "warn", "error", "none"};
  for (size_t k = 0; k < sizeof kNames / sizeof kNames[0]; k++) {
    if (!strcmp(name, kNames[k])) {
      *level = static_cast<LogLevel>(k);
      return true;
    }
  }
  return false;
}

}  // namespace mcujs::port
