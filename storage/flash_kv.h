// A log-structured key-value store on NOR flash (port::KvStore), power-cut
// safe: after a cut at any instant every key holds its old or its new value
// (docs/storage.md has the format and the argument).
//
// The partition is a ring of sectors. Records (key, value, CRC) are appended
// to the newest sector; a put writes a whole new record, which is valid only
// once its CRC matches, so until then the old record is the value. A remove
// appends a tombstone. When only one erased sector is left, garbage
// collection copies the live records of the oldest sector into it and erases
// the oldest: the spare moves round the ring, and so do the erases (wear).
//
// RAM: a table of sectors (8 bytes each) and counters; no index of keys. A
// lookup reads the sectors from the newest back (they are memory-mapped on a
// microcontroller, so a scan is a few thousand loads).
#pragma once

#include <cstddef>
#include <cstdint>

#include "port/port.h"
#include "storage/nor_flash.h"

namespace mcujs::storage {

class FlashKvStore final : public port::KvStore {
 public:
  static constexpr size_t kMaxKey = port::kMaxKeyLength;  // the keys of port::valid_key
  static constexpr uint32_t kMaxSectors = 32;    // the size of the sector table
  static constexpr uint32_t kMinSectors = 3;     // two for data, one spare
  static constexpr uint32_t kSectorHead = 20;    // magic, seq, victim, crc, done
  static constexpr uint32_t kRecordHead = 12;    // key_len, kind, value_len, data crc, head crc
  // Room a value record leaves in its sector, so that a remove (a tombstone)
  // always fits, even when the partition is full of live data.
  static constexpr uint32_t kReserve = (kRecordHead + kMaxKey + 3) & ~3u;

  struct Stats {
    uint32_t sectors = 0;
    uint32_t free_sectors = 0;
    uint32_t puts = 0;          // records appended by put/remove (unchanged values are not written)
    uint32_t gc_runs = 0;       // sectors collected
    uint32_t gc_copied = 0;     // live records copied by them
    uint32_t erases = 0;        // sector erases (garbage collection and repairs)
    uint32_t repaired = 0;      // sectors erased at mount to finish what a power cut interrupted
  };

  explicit FlashKvStore(NorFlash& flash) : flash_(flash) {}

  // Scans the partition and finishes or undoes what a power cut interrupted.
  // kOk, kInvalid (a geometry the store cannot use) or kIo. Until it
  // succeeds, and after any failed write (call mount() again), the other
  // calls return kIo.
  int32_t mount();
  bool mounted() const { return mounted_; }

  int32_t get(const char* key, uint8_t* buf, size_t cap) override;
  // kOk, kInvalid (bad key, value larger than max_value()), kNoMemory (the
  // partition is full of live data) or kIo.
  int32_t put(const char* key, const uint8_t* val, size_t len) override;
  int32_t remove(const char* key) override;

  // The largest value put() accepts with a key of key_len bytes.
  size_t max_value(size_t key_len) const;
  Stats stats() const;

 private:
  enum : uint8_t { kFree = 0, kUsed = 1 };
  struct Sector {
    uint32_t seq;     // order of opening (newest: highest)
    uint16_t end;     // offset after the last readable record
    uint8_t state;    // kFree / kUsed
    uint8_t writable; // the space after end is erased (appending is allowed)
  };
  struct Record {
    uint8_t sector;
    uint16_t off;
    uint8_t key_len;
    uint8_t kind;
    uint16_t value_len;
    uint32_t data_crc;
    uint32_t size() const;  // in flash, padded to a word
  };

  uint32_t addr(uint32_t sector, uint32_t off) const { return sector * sector_size_ + off; }
  bool read_record(uint32_t sector, uint32_t off, Record* r);
  bool data_ok(const Record& r);
  bool key_is(const Record& r, const char* key, size_t key_len);
  uint32_t scan_end(uint32_t sector);
  bool erased(uint32_t sector, uint32_t from);
  // The newest readable record of key (a value or a tombstone).
  bool find(const char* key, size_t key_len, Record* out);
  bool exists_elsewhere(const char* key, size_t key_len, uint32_t skip_a, uint32_t skip_b);
  bool same_value(const Record& r, const uint8_t* val, size_t len);
  uint64_t age(uint32_t sector) const;
  int newest(uint64_t below = ~0ull) const;
  int oldest() const;
  uint32_t free_count() const;
  int32_t append(uint8_t kind, const char* key, size_t key_len, const uint8_t* val, size_t len);
  int32_t make_room(uint32_t need, int* sector);
  int32_t open_sector(uint32_t sector, uint32_t victim_seq);
  int32_t collect();
  int32_t erase(uint32_t sector);
  int32_t fail(int32_t rc);

  NorFlash& flash_;
  bool mounted_ = false;
  uint32_t sector_size_ = 0;
  uint32_t sectors_ = 0;
  uint32_t next_seq_ = 1;
  Stats stats_;
  Sector table_[kMaxSectors] = {};
};

}  // namespace mcujs::storage
