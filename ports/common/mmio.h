// Memory-mapped registers, for the drivers shared by the boards
// (ports/common/) and each board's own code.
#pragma once

#include <cstdint>

namespace mcujs::mps2 {

inline volatile uint32_t& reg(uintptr_t addr) { return *reinterpret_cast<volatile uint32_t*>(addr); }

}  // namespace mcujs::mps2
