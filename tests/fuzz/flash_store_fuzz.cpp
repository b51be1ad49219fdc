// libFuzzer target: the flash store's mount and record parser on arbitrary
// flash contents (tests/fuzz/corpus/flash_store/: images a real store wrote,
// torn and half-erased ones among them). Small sectors (4 x 256 bytes) so
// that inputs cover whole partitions. Whatever the bytes, mount must not
// crash or read out of bounds; if it mounts, the keys read back must be
// bounded, and writes after it (enough to collect garbage) must read back,
// also after a remount.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "storage/flash_kv.h"
#include "storage/sim_nor.h"

using mcujs::storage::FlashKvStore;
using mcujs::storage::SimNor;
namespace port = mcujs::port;

namespace {

constexpr uint32_t kSectors = 4, kSector = 256;

// The value written for step i (0: removed).
size_t value_of(int i, uint8_t* out) {
  size_t len = static_cast<size_t>(20 + i * 23 % 90);
  for (size_t k = 0; k < len; k++) out[k] = static_cast<uint8_t>('a' + (i + k) % 26);
  return len;
}

void expect(FlashKvStore& kv, const char* key, const uint8_t* want, int32_t want_len) {
  uint8_t buf[kSector];
  int32_t n = kv.get(key, buf, sizeof buf);
  if (n != want_len || (n > 0 && memcmp(buf, want, static_cast<size_t>(n)) != 0)) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
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
  // Three keys written in turn (the last write of each is what must stay).
  static const char* const kOwn[] = {"x0", "x1", "x2"};
  uint8_t want[3][kSector];
  int32_t want_len[3];
  for (int k = 0; k < 3; k++) want_len[k] = kv.get(kOwn[k], want[k], kSector);
  for (int i = 1; i <= 12; i++) {
    int k = i % 3;
    int32_t rc;
    if (i % 5 == 0) {
      rc = kv.remove(kOwn[k]);
      if (rc == port::kOk || rc == port::kNotFound) want_len[k] = port::kNotFound;
      if (rc == port::kNotFound) rc = port::kOk;
    } else {
      uint8_t v[kSector];
      size_t len = value_of(i, v);
      rc = kv.put(kOwn[k], v, len);
      if (rc == port::kOk) {
        memcpy(want[k], v, len);
        want_len[k] = static_cast<int32_t>(len);
      }
    }
    if (rc != port::kOk && rc != port::kNoMemory) abort();  // full of live records: allowed
    for (int j = 0; j < 3; j++) expect(kv, kOwn[j], want[j], want_len[j]);
  }
  FlashKvStore again(nor);
  if (again.mount() != port::kOk) abort();
  for (int j = 0; j < 3; j++) expect(again, kOwn[j], want[j], want_len[j]);
  return 0;
}
