#include "storage/nor_flash.h"

#include <cstring>

namespace mcujs::storage {

int32_t nor_check_program(uint32_t size, uint32_t addr, const uint8_t* old, const uint8_t* data, size_t len) {
  if (addr % kNorWord || len % kNorWord || addr > size || len > size - addr) return port::kInvalid;
  for (size_t i = 0; i < len; i++)
    if ((old[i] & data[i]) != data[i]) return port::kInvalid;  // would set a bit: needs an erase
  return port::kOk;
}

int32_t MemNor::read(uint32_t addr, void* buf, size_t len) {
  if (addr > size_ || len > size_ - addr) return port::kInvalid;
  memcpy(buf, base_ + addr, len);
  return port::kOk;
}

int32_t MemNor::program(uint32_t addr, const void* data, size_t len) {
  const uint8_t* src = static_cast<const uint8_t*>(data);
  if (addr > size_ || len > size_ - addr) return port::kInvalid;
  int32_t rc = nor_check_program(size_, addr, base_ + addr, src, len);
  if (rc != port::kOk) return rc;
  for (size_t i = 0; i < len; i++) base_[addr + i] &= src[i];  // as the cells do: only clears
  return port::kOk;
}

int32_t MemNor::erase(uint32_t sector) {
  if (sector >= size_ / sector_) return port::kInvalid;
  memset(base_ + static_cast<size_t>(sector) * sector_, 0xFF, sector_);
  return port::kOk;
}

}  // namespace mcujs::storage
