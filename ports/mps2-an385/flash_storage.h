// The storage partition of the board's flash (flash_layout.h) as a NOR
// flash, and the key-value store the firmware keeps there (the outbox, the
// app's localStorage). QEMU maps the flash as RAM, so reads are loads and
// programs are stores; the NOR rules (erase to 0xFF, program only clears
// bits, no rewrite without erase) are enforced here by storage::MemNor. A
// Photon's STM32F2 would program through its flash controller instead
// (FLASH_CR/FLASH_SR): the same interface, another driver.
#pragma once

#include "storage/flash_kv.h"
#include "storage/nor_flash.h"

namespace mcujs::mps2 {

class StorageFlash final : public storage::MemNor {
 public:
  StorageFlash();
};

}  // namespace mcujs::mps2
