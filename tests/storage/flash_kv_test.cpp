// The flash store on the simulated NOR flash and on MemNor (the driver the
// emulated board uses): NOR rules, reads and writes, replace and remove,
// garbage collection, wear, a full partition, damaged flash, RAM size.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "storage/crc32.h"
#include "storage/flash_kv.h"
#include "storage/sim_nor.h"

namespace {

using namespace mcujs;
using storage::FlashKvStore;
using storage::SimNor;

constexpr uint32_t kSector = 4096;

std::string get(FlashKvStore& kv, const char* key) {
  std::vector<uint8_t> buf(4096);
  int32_t n = kv.get(key, buf.data(), buf.size());
  if (n < 0) return "<" + std::string(port::error_name(n)) + ">";
  return std::string(reinterpret_cast<const char*>(buf.data()), static_cast<size_t>(n));
}

int32_t put(FlashKvStore& kv, const char* key, const std::string& v) {
  return kv.put(key, reinterpret_cast<const uint8_t*>(v.data()), v.size());
}

TEST(NorFlash, ProgramOnlyClearsBitsAndEraseSetsThem) {
  std::vector<uint8_t> mem(3 * kSector, 0xFF);
  storage::MemNor nor(mem.data(), static_cast<uint32_t>(mem.size()), kSector);
  const uint8_t a[4] = {0xF0, 0x0F, 0xFF, 0x00};
  EXPECT_EQ(nor.program(8, a, 4), port::kOk);
  const uint8_t b[4] = {0xF0, 0x0F, 0x7F, 0x00};  // clears one more bit: allowed
  EXPECT_EQ(nor.program(8, b, 4), port::kOk);
  const uint8_t c[4] = {0xF8, 0x0F, 0x7F, 0x00};  // would set a bit: refused, nothing changes
  EXPECT_EQ(nor.program(8, c, 4), port::kInvalid);
  EXPECT_EQ(mem[8], 0xF0);
  EXPECT_EQ(mem[10], 0x7F);
  EXPECT_EQ(nor.program(9, a, 4), port::kInvalid);      // misaligned
  EXPECT_EQ(nor.program(8, a, 3), port::kInvalid);      // not a whole word
  EXPECT_EQ(nor.program(3 * kSector, a, 4), port::kInvalid);  // outside
  EXPECT_EQ(nor.erase(0), port::kOk);
  EXPECT_EQ(mem[8], 0xFF);
  EXPECT_EQ(nor.erase(3), port::kInvalid);
  EXPECT_EQ(nor.program(8, c, 4), port::kOk);  // after the erase

  SimNor sim(3, kSector);  // the simulated chip applies the same rules
  EXPECT_EQ(sim.program(0, a, 4), port::kOk);
  EXPECT_EQ(sim.program(0, c, 4), port::kInvalid);
  EXPECT_EQ(sim.program(2, a, 4), port::kInvalid);
}

TEST(NorFlash, SimulatedCutLeavesAHalfProgrammedWordAndAHalfErasedSector) {
  SimNor sim(3, kSector);
  std::vector<uint8_t> zeros(64, 0);
  sim.cut_at(1);
  EXPECT_EQ(sim.program(0, zeros.data(), zeros.size()), port::kIo);
  EXPECT_TRUE(sim.off());
  size_t zero = 0, ff = 0, partial = 0;
  for (size_t i = 0; i < 64; i++) {
    uint8_t v = sim.bytes()[i];
    (v == 0 ? zero : v == 0xFF ? ff : partial)++;
  }
  EXPECT_EQ(partial, 4u);  // one word half-programmed
  EXPECT_EQ(zero + ff + partial, 64u);
  uint8_t x;
  EXPECT_EQ(sim.read(0, &x, 1), port::kIo);  // no power
  sim.power_on();
  EXPECT_EQ(sim.read(0, &x, 1), port::kOk);
  std::vector<uint8_t> ones(kSector, 0xFF), sector0(kSector, 0);
  ASSERT_EQ(sim.program(0, ones.data(), kSector), port::kInvalid);  // bits back to 1: needs an erase
  ASSERT_EQ(sim.erase(0), port::kOk);
  ASSERT_EQ(sim.program(0, sector0.data(), kSector), port::kOk);
  sim.cut_at(1);
  EXPECT_EQ(sim.erase(0), port::kIo);
  size_t erased = 0;
  for (size_t i = 0; i < kSector; i++) erased += sim.bytes()[i] == 0xFF;
  EXPECT_EQ(erased, kSector / 2);
}

TEST(FlashKv, PutGetReplaceRemoveAndRemount) {
  SimNor nor(4, kSector);
  FlashKvStore kv(nor);
  EXPECT_EQ(kv.get("a", nullptr, 0), port::kIo);  // not mounted
  ASSERT_EQ(kv.mount(), port::kOk);
  EXPECT_EQ(get(kv, "a"), "<NOT_FOUND>");
  EXPECT_EQ(put(kv, "a", "one"), port::kOk);
  EXPECT_EQ(put(kv, "b", ""), port::kOk);
  EXPECT_EQ(get(kv, "a"), "one");
  EXPECT_EQ(get(kv, "b"), "");
  EXPECT_EQ(put(kv, "a", "two!"), port::kOk);
  EXPECT_EQ(get(kv, "a"), "two!");
  uint8_t small[2];
  EXPECT_EQ(kv.get("a", small, sizeof small), 4);  // full length, copies what fits
  EXPECT_EQ(memcmp(small, "tw", 2), 0);
  EXPECT_EQ(kv.remove("b"), port::kOk);
  EXPECT_EQ(kv.remove("b"), port::kNotFound);
  EXPECT_EQ(kv.remove("zz"), port::kNotFound);
  EXPECT_EQ(get(kv, "b"), "<NOT_FOUND>");
  EXPECT_EQ(put(kv, "b", "back"), port::kOk);

  FlashKvStore again(nor);  // a reboot
  ASSERT_EQ(again.mount(), port::kOk);
  EXPECT_EQ(get(again, "a"), "two!");
  EXPECT_EQ(get(again, "b"), "back");
  EXPECT_EQ(again.stats().repaired, 0u);
}

TEST(FlashKv, RefusesBadKeysAndTooLargeValues) {
  SimNor nor(3, kSector);
  FlashKvStore kv(nor);
  ASSERT_EQ(kv.mount(), port::kOk);
  std::string long_key(FlashKvStore::kMaxKey + 1, 'k');
  EXPECT_EQ(put(kv, "", "x"), port::kInvalid);
  EXPECT_EQ(put(kv, long_key.c_str(), "x"), port::kInvalid);
  EXPECT_EQ(kv.put(nullptr, nullptr, 0), port::kInvalid);
  EXPECT_EQ(kv.put("k", nullptr, 3), port::kInvalid);
  long_key.pop_back();
  EXPECT_EQ(put(kv, long_key.c_str(), "max key"), port::kOk);
  size_t max = kv.max_value(1);
  EXPECT_EQ(max, kSector - FlashKvStore::kSectorHead - FlashKvStore::kRecordHead - 1 - FlashKvStore::kReserve);
  EXPECT_EQ(put(kv, "v", std::string(max + 1, 'x')), port::kInvalid);
  EXPECT_EQ(put(kv, "v", std::string(max, 'x')), port::kOk);  // a whole sector
  EXPECT_EQ(get(kv, "v").size(), max);
  EXPECT_EQ(get(kv, long_key.c_str()), "max key");
}

TEST(FlashKv, RefusesGeometryItCannotUse) {
  SimNor two(2, kSector);  // no spare for garbage collection
  FlashKvStore kv(two);
  EXPECT_EQ(kv.mount(), port::kInvalid);
  SimNor many(FlashKvStore::kMaxSectors + 1, 256);
  FlashKvStore kv2(many);
  EXPECT_EQ(kv2.mount(), port::kInvalid);
}

TEST(FlashKv, UnchangedValueIsNotWrittenAgain) {
  SimNor nor(3, kSector);
  FlashKvStore kv(nor);
  ASSERT_EQ(kv.mount(), port::kOk);
  ASSERT_EQ(put(kv, "k", "same"), port::kOk);
  uint64_t steps = nor.steps();
  ASSERT_EQ(put(kv, "k", "same"), port::kOk);
  EXPECT_EQ(nor.steps(), steps);
  EXPECT_EQ(kv.stats().puts, 1u);
}

// Many times the partition's size of replaces: the collector keeps the live
// values, every sector takes its turn being erased (wear moves round the
// ring), and a remount sees the same.
TEST(FlashKv, GarbageCollectionKeepsLiveValuesAndSpreadsWear) {
  constexpr uint32_t kSectors = 8;
  SimNor nor(kSectors, kSector);
  FlashKvStore kv(nor);
  ASSERT_EQ(kv.mount(), port::kOk);
  std::vector<std::string> want(20);
  size_t written = 0;
  for (int k = 0; k < 4; k++) {  // written once: every collection must carry them over
    char key[32];
    snprintf(key, sizeof key, "fixed%d", k);
    ASSERT_EQ(put(kv, key, std::string(300, static_cast<char>('A' + k))), port::kOk);
  }
  for (int i = 0; i < 2000; i++) {
    size_t k = static_cast<size_t>(i * 7) % want.size();
    std::string v = "v" + std::to_string(i) + std::string(static_cast<size_t>(i * 37 % 500), static_cast<char>('a' + i % 26));
    char key[32];
    snprintf(key, sizeof key, "key%zu", k);
    ASSERT_EQ(put(kv, key, v), port::kOk) << i;
    want[k] = v;
    written += v.size();
    if (i % 97 == 0) {
      ASSERT_EQ(kv.remove(key), port::kOk);
      want[k].clear();
    }
  }
  FlashKvStore::Stats st = kv.stats();
  EXPECT_GT(written, 10u * kSectors * kSector);
  EXPECT_GE(st.gc_copied, 4 * (st.gc_runs / kSectors));  // the fixed keys, each turn of the ring
  EXPECT_GT(st.gc_runs, 50u);
  EXPECT_GE(st.free_sectors, 1u);
  uint32_t lo = ~0u, hi = 0;
  for (uint32_t s = 0; s < kSectors; s++) {
    lo = std::min(lo, nor.erase_count(s));
    hi = std::max(hi, nor.erase_count(s));
  }
  EXPECT_GE(lo, 1u);
  EXPECT_LE(hi - lo, 2u) << "erases should move round the ring";
  printf("[ measured ] %zu bytes of values in %u puts: %u collections copied %u records, %u erases, "
         "per sector %u..%u\n",
         written, st.puts, st.gc_runs, st.gc_copied, st.erases, lo, hi);
  FlashKvStore again(nor);
  ASSERT_EQ(again.mount(), port::kOk);
  for (int k = 0; k < 4; k++) {
    char key[32];
    snprintf(key, sizeof key, "fixed%d", k);
    EXPECT_EQ(get(again, key), std::string(300, static_cast<char>('A' + k)));
  }
  for (size_t k = 0; k < want.size(); k++) {
    char key[32];
    snprintf(key, sizeof key, "key%zu", k);
    EXPECT_EQ(get(again, key), want[k].empty() ? "<NOT_FOUND>" : want[k]) << key;
  }
}

// Live data up to the brim: a put that cannot fit says so (kNoMemory),
// loses nothing, and the store keeps working: a remove still fits (values
// leave room for a tombstone) and makes room.
TEST(FlashKv, FullPartitionRefusesAndRecovers) {
  SimNor nor(4, kSector);
  FlashKvStore kv(nor);
  ASSERT_EQ(kv.mount(), port::kOk);
  std::string v(1000, 'x');
  int stored = 0;
  int32_t rc = port::kOk;
  for (int i = 0; i < 100 && rc == port::kOk; i++) {
    char key[32];
    snprintf(key, sizeof key, "k%d", i);
    rc = put(kv, key, v);
    if (rc == port::kOk) stored++;
  }
  EXPECT_EQ(rc, port::kNoMemory);
  EXPECT_GE(stored, 9);  // 3 data sectors of 4 x 1 KB records (one sector is the spare)
  EXPECT_TRUE(kv.mounted());
  for (int i = 0; i < stored; i++) {
    char key[32];
    snprintf(key, sizeof key, "k%d", i);
    EXPECT_EQ(get(kv, key), v) << key;
  }
  ASSERT_EQ(kv.remove("k0"), port::kOk);
  ASSERT_EQ(kv.remove("k1"), port::kOk);
  EXPECT_EQ(put(kv, "new", v), port::kOk);
  FlashKvStore again(nor);
  ASSERT_EQ(again.mount(), port::kOk);
  EXPECT_EQ(get(again, "new"), v);
  EXPECT_EQ(get(again, "k0"), "<NOT_FOUND>");
}

// A partition that was never formatted (zeros, noise, as a fresh board's
// RAM-backed flash may hold) is erased at mount and then works.
TEST(FlashKv, DamagedPartitionIsErasedAtMount) {
  SimNor nor(4, kSector);
  uint32_t x = 12345;
  for (auto& b : nor.bytes()) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 16);
  }
  std::fill(nor.bytes().begin(), nor.bytes().begin() + kSector, 0);
  FlashKvStore kv(nor);
  ASSERT_EQ(kv.mount(), port::kOk);
  EXPECT_EQ(kv.stats().repaired, 4u);
  EXPECT_EQ(put(kv, "k", "v"), port::kOk);
  EXPECT_EQ(get(kv, "k"), "v");
}

// Two collections left unfinished (the store never leaves more than one;
// damaged flash can): both copies are erased at mount, so that nothing new
// is appended to a sector the next mount would erase (found by the fuzzer).
TEST(FlashKv, EveryUnfinishedCollectionIsUndoneAtMount) {
  SimNor nor(4, kSector);
  auto header = [&](uint32_t sector, uint32_t seq, uint32_t victim) {
    uint8_t h[FlashKvStore::kSectorHead];
    memcpy(h, "MKV1", 4);
    for (int i = 0; i < 4; i++) {
      h[4 + i] = static_cast<uint8_t>(seq >> (8 * i));
      h[8 + i] = static_cast<uint8_t>(victim >> (8 * i));
    }
    uint32_t crc = storage::crc32(h, 12);
    for (int i = 0; i < 4; i++) h[12 + i] = static_cast<uint8_t>(crc >> (8 * i));
    memset(h + 16, 0xFF, 4);  // not done
    ASSERT_EQ(nor.program(sector * kSector, h, sizeof h), port::kOk);
  };
  header(0, 9, 6);
  header(1, 10, 7);
  FlashKvStore kv(nor);
  ASSERT_EQ(kv.mount(), port::kOk);
  EXPECT_EQ(kv.stats().repaired, 2u);
  EXPECT_EQ(kv.stats().free_sectors, 4u);
  ASSERT_EQ(put(kv, "a", "kept"), port::kOk);
  FlashKvStore again(nor);
  ASSERT_EQ(again.mount(), port::kOk);
  EXPECT_EQ(get(again, "a"), "kept");
}

// The last sequence number before the erased word's value: the store
// refuses to open another sector rather than write one that reads as erased.
TEST(FlashKv, SequenceNumbersDoNotWrapIntoErased) {
  SimNor nor(3, kSector);
  uint8_t h[FlashKvStore::kSectorHead];
  memcpy(h, "MKV1", 4);
  const uint32_t words[2] = {0xFFFFFFFEu, 0xFFFFFFFFu};  // seq, victim (none)
  memcpy(h + 4, words, 8);
  uint32_t crc = storage::crc32(h, 12);
  memcpy(h + 12, &crc, 4);
  memset(h + 16, 0, 4);
  ASSERT_EQ(nor.program(0, h, sizeof h), port::kOk);
  FlashKvStore kv(nor);
  ASSERT_EQ(kv.mount(), port::kOk);
  EXPECT_EQ(put(kv, "a", "fits in the open sector"), port::kOk);
  EXPECT_EQ(put(kv, "b", std::string(kv.max_value(1), 'x')), port::kNoMemory);
  FlashKvStore again(nor);
  ASSERT_EQ(again.mount(), port::kOk);
  EXPECT_EQ(get(again, "a"), "fits in the open sector");
}

TEST(FlashKv, RamCost) {
  // The store's whole RAM: the sector table and counters (no key index);
  // calls use under 300 bytes of stack (64-byte buffers).
  printf("[ measured ] sizeof(FlashKvStore) = %zu bytes for up to %u sectors\n", sizeof(FlashKvStore),
         FlashKvStore::kMaxSectors);
  EXPECT_LE(sizeof(FlashKvStore), 320u);
}

}  // namespace
