#include "ports/mps2-an385/flash_storage.h"

#include <board.h>  // this board's flash layout (see board.h)

namespace mcujs::mps2 {

// The partition's address is a fixed bus address on this board.
StorageFlash::StorageFlash()
    : MemNor(reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(kStorageBase)), kStorageSize, kFlashSectorSize) {}

}  // namespace mcujs::mps2
