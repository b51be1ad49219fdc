// libFuzzer target: the flash store's mount and record parser on arbitrary
// flash contents (tests/fuzz/corpus/flash_store/: images a real store wrote,
// torn and half-erased ones among them). Small sectors (4 x 256 bytes) so
// that inputs cover whole partitions. Whatever the bytes, mount must not
// crash or read out of bounds; if it mounts, the keys read back must be
// bounded and a put must then read back, also after a remount.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "storage/flash_kv.h"
#include "storage/sim_nor.h"

using mcujs::storage::FlashKvStore;
using mcujs::storage::SimNor;
namespace port = mcujs::port;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr uint32_t kSectors = 4, kSector = 256;
  SimNor nor(kSectors, kSector);
  memcpy(nor.bytes().data(), data, size < nor.bytes().size() ? size : nor.bytes().size());
  FlashKvStore kv(nor);
  if (kv.mount() != port::kOk) return 0;
  uint8_t buf[kSector];
  static const char* const kKeys[] = {"a", "b", "k0", "k1", "ob.meta", "localStorage"};
  for (const char* key : kKeys) {
    int32_t n = kv.get(key, buf, sizeof buf);
    if (n != port::kNotFound && (n < 0 || n > static_cast<int32_t>(kSector))) abort();
  }
  static const uint8_t kValue[] = "fuzz";
  int32_t rc = kv.put("a", kValue, sizeof kValue);
  if (rc == port::kNoMemory) return 0;  // full of live records: allowed
  if (rc != port::kOk) abort();
  FlashKvStore again(nor);
  if (again.mount() != port::kOk) abort();
  for (FlashKvStore* s : {&kv, &again})
    if (s->get("a", buf, sizeof buf) != static_cast<int32_t>(sizeof kValue) || memcmp(buf, kValue, sizeof kValue) != 0)
      abort();
  return 0;
}
