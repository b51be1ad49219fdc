// NOR flash, as the flash store sees it: a partition of equal sectors.
// Erasing a sector sets all its bytes to 0xFF; programming can only clear
// bits (1 -> 0), a word (4 bytes, aligned) at a time. A program that would
// set a bit is refused (kInvalid) and changes nothing: there is no rewrite
// without an erase. Drivers enforce these rules even where the hardware (or
// the emulator's RAM) would let them be broken, so that code which works on
// the emulated board works on real flash.
#pragma once

#include <cstddef>
#include <cstdint>

#include "port/port.h"

namespace mcujs::storage {

inline constexpr uint32_t kNorWord = 4;  // program granularity

class NorFlash {
 public:
  virtual ~NorFlash() = default;
  virtual uint32_t size() const = 0;         // bytes, a multiple of sector_size()
  virtual uint32_t sector_size() const = 0;  // bytes, a multiple of kNorWord
  // Copies len bytes from addr (a partition offset). kOk or a PortError.
  virtual int32_t read(uint32_t addr, void* buf, size_t len) = 0;
  // Programs len bytes at addr; both multiples of kNorWord. kOk, kInvalid
  // (misaligned, out of range, or a bit would go from 0 to 1) or kIo.
  virtual int32_t program(uint32_t addr, const void* data, size_t len) = 0;
  // Erases one sector (index) to 0xFF.
  virtual int32_t erase(uint32_t sector) = 0;
};

// The checks every driver makes before touching the medium: kOk if
// [addr, addr+len) is word-aligned and inside size, and programming data over
// old (the bytes there now) only clears bits.
int32_t nor_check_program(uint32_t size, uint32_t addr, const uint8_t* old, const uint8_t* data, size_t len);

// A NOR partition that the CPU reads and writes like RAM: the emulated
// board's storage partition (QEMU backs its flash with RAM), or a buffer in
// host tests. It applies the NOR rules itself.
class MemNor : public NorFlash {
 public:
  MemNor(uint8_t* base, uint32_t size, uint32_t sector_size) : base_(base), size_(size), sector_(sector_size) {}
  uint32_t size() const override { return size_; }
  uint32_t sector_size() const override { return sector_; }
  int32_t read(uint32_t addr, void* buf, size_t len) override;
  int32_t program(uint32_t addr, const void* data, size_t len) override;
  int32_t erase(uint32_t sector) override;

 protected:
  uint8_t* base_;
  uint32_t size_;
  uint32_t sector_;
};

}  // namespace mcujs::storage
