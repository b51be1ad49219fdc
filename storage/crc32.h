// CRC-32 (IEEE 802.3, reflected, the zlib one): the flash store's record
// check and the outbox's record check.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::storage {

// crc: the value of the bytes before (0 to start), so data can come in pieces.
uint32_t crc32(const uint8_t* data, size_t len, uint32_t crc = 0);

}  // namespace mcujs::storage
