#include "storage/sim_nor.h"

#include <cstring>

namespace mcujs::storage {

SimNor::SimNor(uint32_t sectors, uint32_t sector_size)
    : sector_(sector_size), mem_(static_cast<size_t>(sectors) * sector_size, 0xFF), erases_(sectors, 0) {}

bool SimNor::cutting() {
  steps_++;
  if (cut_at_ && steps_ == cut_at_) off_ = true;
  return off_;
}

int32_t SimNor::read(uint32_t addr, void* buf, size_t len) {
  if (off_) return port::kIo;
  if (addr > mem_.size() || len > mem_.size() - addr) return port::kInvalid;
  memcpy(buf, mem_.data() + addr, len);
  return port::kOk;
}

int32_t SimNor::program(uint32_t addr, const void* data, size_t len) {
  if (off_) return port::kIo;
  const uint8_t* src = static_cast<const uint8_t*>(data);
  if (addr > mem_.size() || len > mem_.size() - addr) return port::kInvalid;
  int32_t rc = nor_check_program(size(), addr, mem_.data() + addr, src, len);
  if (rc != port::kOk) return rc;
  if (len == 0) return port::kOk;
  uint8_t* dst = mem_.data() + addr;
  if (!cutting()) {
    for (size_t i = 0; i < len; i++) dst[i] &= src[i];
    return port::kOk;
  }
  // Which word the cut hits and how far it got: derived from the step, so a
  // run is reproducible and successive steps hit different words.
  size_t words = len / kNorWord;
  size_t hit = static_cast<size_t>(steps_ * 2654435761u % words);
  for (size_t i = 0; i < hit * kNorWord; i++) dst[i] &= src[i];
  static const uint8_t kHalf[2] = {0x55, 0xAA};
  for (size_t i = hit * kNorWord; i < (hit + 1) * kNorWord; i++) {
    uint8_t clear = static_cast<uint8_t>(dst[i] & ~src[i]);  // bits this word would clear
    dst[i] = static_cast<uint8_t>(dst[i] & ~(clear & kHalf[steps_ & 1]));
  }
  return port::kIo;
}

int32_t SimNor::erase(uint32_t sector) {
  if (off_) return port::kIo;
  if (sector >= erases_.size()) return port::kInvalid;
  uint8_t* p = mem_.data() + static_cast<size_t>(sector) * sector_;
  if (!cutting()) {
    memset(p, 0xFF, sector_);
    erases_[sector]++;
    return port::kOk;
  }
  if (steps_ & 1)
    memset(p + sector_ / 2, 0xFF, sector_ - sector_ / 2);  // the header survives
  else
    memset(p, 0xFF, sector_ / 2);
  return port::kIo;
}

}  // namespace mcujs::storage
