// A simulated NOR flash in RAM for host tests, with power cuts: it counts
// every program and erase call ("step") and can lose power during a chosen
// one. A cut program leaves the words before one word of the call complete,
// that word half-programmed (some of the bits it clears cleared) and the rest
// untouched; a cut erase leaves the sector half-erased (the front half or
// the back half at 0xFF, the rest as it was). After a cut every call fails
// with kIo until power_on(); the contents stay, as they would on a chip.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/nor_flash.h"

namespace mcujs::storage {

class SimNor final : public NorFlash {
 public:
  SimNor(uint32_t sectors, uint32_t sector_size);  // starts erased

  uint32_t size() const override { return static_cast<uint32_t>(mem_.size()); }
  uint32_t sector_size() const override { return sector_; }
  int32_t read(uint32_t addr, void* buf, size_t len) override;
  int32_t program(uint32_t addr, const void* data, size_t len) override;
  int32_t erase(uint32_t sector) override;

  // Power is lost during the step-th call from now (1: the next one); 0: never.
  void cut_at(uint64_t step) { cut_at_ = step ? steps_ + step : 0; }
  void power_on() { off_ = false; cut_at_ = 0; }
  bool off() const { return off_; }
  uint64_t steps() const { return steps_; }       // program + erase calls so far
  uint32_t erase_count(uint32_t sector) const { return erases_[sector]; }
  std::vector<uint8_t>& bytes() { return mem_; }  // the medium (tests load and save it)

 private:
  bool cutting();
  uint32_t sector_;
  std::vector<uint8_t> mem_;
  std::vector<uint32_t> erases_;
  uint64_t steps_ = 0;
  uint64_t cut_at_ = 0;
  bool off_ = false;
};

}  // namespace mcujs::storage
