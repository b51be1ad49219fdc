#include "storage/flash_kv.h"

#include <cstring>

#include "storage/crc32.h"

namespace mcujs::storage {

namespace {

// Sector header: "MKV1", seq, victim seq (kNone: opened for new records),
// CRC of those 12 bytes, then the done word: programmed to 0 when a garbage
// collection has copied everything out of its victim (a normal open writes
// it at once).
constexpr uint8_t kMagic[4] = {'M', 'K', 'V', '1'};
constexpr uint32_t kNone = 0xFFFFFFFFu;
constexpr uint8_t kValue = 0xA5;  // record kinds (any other byte is damage)
constexpr uint8_t kTomb = 0x5A;
constexpr size_t kChunk = 64;     // bytes moved per flash call (stack buffer)

uint32_t le32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t align(uint32_t n) { return (n + kNorWord - 1) & ~(kNorWord - 1); }

bool all_ff(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != 0xFF) return false;
  return true;
}

// Gathers pieces (header, key, value) into word-multiple program calls.
class Writer {
 public:
  Writer(NorFlash& f, uint32_t addr) : f_(f), addr_(addr) {}
  void add(const uint8_t* p, size_t n) {
    while (n && rc_ == port::kOk) {
      size_t take = n < kChunk - fill_ ? n : kChunk - fill_;
      memcpy(buf_ + fill_, p, take);
      fill_ += take;
      p += take;
      n -= take;
      if (fill_ == kChunk) flush();
    }
  }
  int32_t finish() {
    if (fill_ && rc_ == port::kOk) {
      size_t padded = align(static_cast<uint32_t>(fill_));
      memset(buf_ + fill_, 0xFF, padded - fill_);  // padding stays erased
      fill_ = padded;
      flush();
    }
    return rc_;
  }

 private:
  void flush() {
    rc_ = f_.program(addr_, buf_, fill_);
    addr_ += static_cast<uint32_t>(fill_);
    fill_ = 0;
  }
  NorFlash& f_;
  uint32_t addr_;
  uint8_t buf_[kChunk];
  size_t fill_ = 0;
  int32_t rc_ = port::kOk;
};

}  // namespace

uint32_t FlashKvStore::Record::size() const { return align(kRecordHead + key_len + value_len); }

size_t FlashKvStore::max_value(size_t key_len) const {
  size_t room = (sector_size_ - kSectorHead) & ~static_cast<size_t>(kNorWord - 1);
  size_t v = room - kRecordHead - key_len - kReserve;
  return v > 0xFFFF ? 0xFFFF : v;
}

FlashKvStore::Stats FlashKvStore::stats() const {
  Stats s = stats_;
  s.sectors = sectors_;
  s.free_sectors = free_count();
  return s;
}

int32_t FlashKvStore::fail(int32_t rc) {
  mounted_ = false;  // the RAM view may no longer match the flash: mount again
  return rc;
}

// ------------------------------------------------------------ reading

// A record header at off whose own CRC holds and whose sizes fit; false at
// the end of the records (erased space, damage, or the sector's end).
bool FlashKvStore::read_record(uint32_t sector, uint32_t off, Record* r) {
  uint8_t h[kRecordHead];
  if (off + kRecordHead > sector_size_ || flash_.read(addr(sector, off), h, sizeof h) != port::kOk) return false;
  if (le32(h + 8) != crc32(h, 8)) return false;
  r->sector = static_cast<uint8_t>(sector);
  r->off = static_cast<uint16_t>(off);
  r->key_len = h[0];
  r->kind = h[1];
  r->value_len = static_cast<uint16_t>(h[2] | (h[3] << 8));
  r->data_crc = le32(h + 4);
  return r->key_len >= 1 && r->key_len <= kMaxKey && (r->kind == kValue || r->kind == kTomb) &&
         (r->kind == kValue || r->value_len == 0) && off + r->size() <= sector_size_;
}

// The key and value are whole (a cut while they were programmed fails this).
bool FlashKvStore::data_ok(const Record& r) {
  uint8_t buf[kChunk];
  uint32_t crc = 0;
  uint32_t at = addr(r.sector, r.off + kRecordHead);
  for (uint32_t left = r.key_len + r.value_len; left;) {
    uint32_t n = left < kChunk ? left : kChunk;
    if (flash_.read(at, buf, n) != port::kOk) return false;
    crc = crc32(buf, n, crc);
    at += n;
    left -= n;
  }
  return crc == r.data_crc;
}

bool FlashKvStore::key_is(const Record& r, const char* key, size_t key_len) {
  uint8_t buf[kMaxKey];
  return r.key_len == key_len && flash_.read(addr(r.sector, r.off + kRecordHead), buf, key_len) == port::kOk &&
         memcmp(buf, key, key_len) == 0;
}

uint32_t FlashKvStore::scan_end(uint32_t sector) {
  uint32_t off = kSectorHead;
  Record r;
  while (read_record(sector, off, &r)) off += r.size();
  return off;
}

bool FlashKvStore::erased(uint32_t sector, uint32_t from) {
  uint8_t buf[kChunk];
  for (uint32_t off = from; off < sector_size_;) {
    uint32_t n = sector_size_ - off < kChunk ? sector_size_ - off : kChunk;
    if (flash_.read(addr(sector, off), buf, n) != port::kOk || !all_ff(buf, n)) return false;
    off += n;
  }
  return true;
}

// Sectors in age order: by sequence number, then (two equal numbers exist
// only in damaged flash) by index, so that every walk agrees on the order.
uint64_t FlashKvStore::age(uint32_t sector) const { return (static_cast<uint64_t>(table_[sector].seq) << 8) | sector; }

// The used sector with the largest age below `below` (newest(): any), or -1.
int FlashKvStore::newest(uint64_t below) const {
  int best = -1;
  for (uint32_t i = 0; i < sectors_; i++)
    if (table_[i].state == kUsed && age(i) < below && (best < 0 || age(i) > age(static_cast<uint32_t>(best))))
      best = static_cast<int>(i);
  return best;
}

int FlashKvStore::oldest() const {
  int best = -1;
  for (uint32_t i = 0; i < sectors_; i++)
    if (table_[i].state == kUsed && (best < 0 || age(i) < age(static_cast<uint32_t>(best)))) best = static_cast<int>(i);
  return best;
}

uint32_t FlashKvStore::free_count() const {
  uint32_t n = 0;
  for (uint32_t i = 0; i < sectors_; i++) n += table_[i].state == kFree;
  return n;
}

// Sectors from the newest back; in a sector the last whole record of the key
// wins. A record whose data CRC fails was cut short: the one before stands.
bool FlashKvStore::find(const char* key, size_t key_len, Record* out) {
  for (int s = newest(); s >= 0; s = newest(age(static_cast<uint32_t>(s)))) {
    bool found = false;
    Record r;
    for (uint32_t off = kSectorHead; off < table_[s].end && read_record(static_cast<uint32_t>(s), off, &r);
         off += r.size()) {
      if (key_is(r, key, key_len) && data_ok(r)) {
        *out = r;
        found = true;
      }
    }
    if (found) return true;
  }
  return false;
}

// Any whole record of key outside two sectors (a tombstone must outlive the
// older values it hides).
bool FlashKvStore::exists_elsewhere(const char* key, size_t key_len, uint32_t skip_a, uint32_t skip_b) {
  for (uint32_t s = 0; s < sectors_; s++) {
    if (table_[s].state != kUsed || s == skip_a || s == skip_b) continue;
    Record r;
    for (uint32_t off = kSectorHead; off < table_[s].end && read_record(s, off, &r); off += r.size())
      if (key_is(r, key, key_len) && data_ok(r)) return true;
  }
  return false;
}

bool FlashKvStore::same_value(const Record& r, const uint8_t* val, size_t len) {
  if (r.kind != kValue || r.value_len != len) return false;
  uint8_t buf[kChunk];
  uint32_t at = addr(r.sector, r.off + kRecordHead + r.key_len);
  for (size_t done = 0; done < len;) {
    size_t n = len - done < kChunk ? len - done : kChunk;
    if (flash_.read(at, buf, n) != port::kOk || memcmp(buf, val + done, n) != 0) return false;
    at += static_cast<uint32_t>(n);
    done += n;
  }
  return true;
}

// ------------------------------------------------------------ mount

int32_t FlashKvStore::mount() {
  mounted_ = false;
  stats_ = Stats{};
  sector_size_ = flash_.sector_size();
  if (sector_size_ < 256 || sector_size_ > 0x8000 || sector_size_ % kNorWord || flash_.size() % sector_size_)
    return port::kInvalid;
  sectors_ = flash_.size() / sector_size_;
  if (sectors_ < kMinSectors || sectors_ > kMaxSectors) return port::kInvalid;

  uint32_t max_seq = 0;
  for (uint32_t i = 0; i < sectors_; i++) {
    Sector& s = table_[i];
    s = Sector{};
    uint8_t h[kSectorHead];
    if (flash_.read(addr(i, 0), h, sizeof h) != port::kOk) return port::kIo;
    if (memcmp(h, kMagic, 4) == 0 && le32(h + 12) == crc32(h, 12) && le32(h + 4) != kNone) {
      s.state = kUsed;
      s.seq = le32(h + 4);
      s.end = static_cast<uint16_t>(scan_end(i));
      s.writable = erased(i, s.end);
      if (s.seq > max_seq) max_seq = s.seq;
    } else if (!all_ff(h, sizeof h) || !erased(i, kSectorHead)) {
      // A torn header or a half-erased sector: it holds nothing that counts.
      if (erase(i) != port::kOk) return port::kIo;
      stats_.repaired++;
    }
  }
  next_seq_ = max_seq + 1;

  // An interrupted garbage collection: the newest sector names its victim.
  // (Checked again after an erase: damaged flash may hold more than one.)
  for (int n = newest(); n >= 0; n = newest()) {
    uint8_t h[kSectorHead];
    if (flash_.read(addr(static_cast<uint32_t>(n), 0), h, sizeof h) != port::kOk) return port::kIo;
    uint32_t victim = le32(h + 8);
    bool done = le32(h + 16) == 0;
    if (victim != kNone && !done) {
      // The copy was not finished: the victim still has it all. New records
      // are never appended to such a sector, so it holds nothing else.
      if (erase(static_cast<uint32_t>(n)) != port::kOk) return port::kIo;
      stats_.repaired++;
      continue;
    }
    if (victim != kNone) {
      for (uint32_t i = 0; i < sectors_; i++) {
        if (table_[i].state != kUsed || table_[i].seq != victim) continue;
        // Copied, but its erase was cut: finish it.
        if (erase(i) != port::kOk) return port::kIo;
        stats_.repaired++;
      }
    }
    break;
  }
  if (free_count() < 1) return port::kIo;  // no spare: not a state this store leaves
  mounted_ = true;
  return port::kOk;
}

// ------------------------------------------------------------ writing

int32_t FlashKvStore::erase(uint32_t sector) {
  int32_t rc = flash_.erase(sector);
  stats_.erases++;
  table_[sector] = Sector{};
  if (rc != port::kOk) return rc;
  table_[sector].state = kFree;
  return rc;
}

int32_t FlashKvStore::open_sector(uint32_t sector, uint32_t victim_seq) {
  // kNone is no sequence number (an erased word): 4 billion sector opens, or
  // damaged flash; the store is then full rather than wrong.
  if (next_seq_ == kNone) return port::kNoMemory;
  uint8_t h[kSectorHead];
  memcpy(h, kMagic, 4);
  put32(h + 4, next_seq_);
  put32(h + 8, victim_seq);
  put32(h + 12, crc32(h, 12));
  put32(h + 16, victim_seq == kNone ? 0 : kNone);  // a collection marks done when its copy is
  int32_t rc = flash_.program(addr(sector, 0), h, sizeof h);
  if (rc != port::kOk) return rc;
  table_[sector] = Sector{next_seq_++, static_cast<uint16_t>(kSectorHead), kUsed, 1};
  return port::kOk;
}

// Moves the oldest sector's live records into the spare, then erases it.
int32_t FlashKvStore::collect() {
  int v = oldest();
  int t = -1;
  int cur = newest();
  for (uint32_t k = 1; k <= sectors_ && t < 0; k++) {
    uint32_t i = (static_cast<uint32_t>(cur < 0 ? 0 : cur) + k) % sectors_;
    if (table_[i].state == kFree) t = static_cast<int>(i);
  }
  if (v < 0 || t < 0) return port::kNoMemory;
  uint32_t victim = static_cast<uint32_t>(v), target = static_cast<uint32_t>(t);
  int32_t rc = open_sector(target, table_[victim].seq);
  if (rc != port::kOk) return rc;
  Record r;
  for (uint32_t off = kSectorHead; off < table_[victim].end && read_record(victim, off, &r); off += r.size()) {
    if (!data_ok(r)) continue;
    char key[kMaxKey];
    if (flash_.read(addr(victim, off + kRecordHead), key, r.key_len) != port::kOk) return port::kIo;
    Record latest;
    if (!find(key, r.key_len, &latest) || latest.sector != victim || latest.off != off) continue;  // replaced
    if (r.kind == kTomb && !exists_elsewhere(key, r.key_len, victim, target)) continue;  // hides nothing now
    // Copied as it is, in word-multiple pieces.
    uint8_t buf[kChunk];
    uint32_t size = r.size();
    if (table_[target].end + size > sector_size_) return port::kIo;  // cannot happen: it came from one sector
    for (uint32_t done = 0; done < size;) {
      uint32_t n = size - done < kChunk ? size - done : kChunk;
      rc = flash_.read(addr(victim, off + done), buf, n);
      if (rc == port::kOk) rc = flash_.program(addr(target, table_[target].end + done), buf, n);
      if (rc != port::kOk) return rc;
      done += n;
    }
    table_[target].end = static_cast<uint16_t>(table_[target].end + size);
    stats_.gc_copied++;
  }
  const uint8_t zero[4] = {0, 0, 0, 0};
  rc = flash_.program(addr(target, 16), zero, sizeof zero);
  if (rc == port::kOk) rc = erase(victim);
  if (rc == port::kOk) stats_.gc_runs++;
  return rc;
}

// A sector with need bytes free after its records: the newest one, a newly
// opened one while two erased sectors are left, else one made by collecting.
int32_t FlashKvStore::make_room(uint32_t need, int* sector) {
  for (uint32_t round = 0; round <= sectors_; round++) {
    int a = newest();
    if (a >= 0 && table_[a].writable && sector_size_ - table_[a].end >= need) {
      *sector = a;
      return port::kOk;
    }
    int32_t rc;
    if (free_count() >= 2) {
      int next = -1;  // the next erased sector round the ring: wear moves on
      for (uint32_t k = 1; k <= sectors_ && next < 0; k++) {
        uint32_t i = (static_cast<uint32_t>(a < 0 ? sectors_ - 1 : a) + k) % sectors_;
        if (table_[i].state == kFree) next = static_cast<int>(i);
      }
      rc = open_sector(static_cast<uint32_t>(next), kNone);
    } else {
      rc = collect();
    }
    if (rc != port::kOk) return rc;
  }
  return port::kNoMemory;  // a whole turn of the ring freed too little: full of live data
}

int32_t FlashKvStore::append(uint8_t kind, const char* key, size_t key_len, const uint8_t* val, size_t len) {
  uint32_t need = align(static_cast<uint32_t>(kRecordHead + key_len + len));
  int s = -1;
  int32_t rc = make_room(need + (kind == kValue ? kReserve : 0), &s);
  if (rc == port::kNoMemory) return rc;  // nothing written: the store stays usable
  if (rc != port::kOk) return fail(rc);
  uint8_t h[kRecordHead];
  h[0] = static_cast<uint8_t>(key_len);
  h[1] = kind;
  h[2] = static_cast<uint8_t>(len);
  h[3] = static_cast<uint8_t>(len >> 8);
  put32(h + 4, crc32(val, len, crc32(reinterpret_cast<const uint8_t*>(key), key_len)));
  put32(h + 8, crc32(h, 8));
  Writer w(flash_, addr(static_cast<uint32_t>(s), table_[s].end));
  w.add(h, sizeof h);
  w.add(reinterpret_cast<const uint8_t*>(key), key_len);
  w.add(val, len);
  rc = w.finish();
  if (rc != port::kOk) return fail(rc);
  table_[s].end = static_cast<uint16_t>(table_[s].end + need);
  stats_.puts++;
  return port::kOk;
}

// ------------------------------------------------------------ KvStore

namespace {
// port::valid_key (port/port.h): the same keys as every other backend.
bool key_ok(const char* key, size_t* len) {
  if (!port::valid_key(key)) return false;
  *len = strlen(key);
  return true;
}
}  // namespace

int32_t FlashKvStore::get(const char* key, uint8_t* buf, size_t cap) {
  size_t klen;
  if (!mounted_) return port::kIo;
  if (!key_ok(key, &klen)) return port::kInvalid;
  Record r;
  if (!find(key, klen, &r) || r.kind == kTomb) return port::kNotFound;
  size_t n = r.value_len < cap ? r.value_len : cap;
  if (n && (!buf || flash_.read(addr(r.sector, r.off + kRecordHead + r.key_len), buf, n) != port::kOk))
    return port::kIo;
  return r.value_len;
}

int32_t FlashKvStore::put(const char* key, const uint8_t* val, size_t len) {
  size_t klen;
  if (!mounted_) return port::kIo;
  if (!key_ok(key, &klen) || (len && !val) || len > max_value(klen)) return port::kInvalid;
  Record r;
  if (find(key, klen, &r) && same_value(r, val, len)) return port::kOk;  // spares a write and the wear
  return append(kValue, key, klen, val, len);
}

int32_t FlashKvStore::remove(const char* key) {
  size_t klen;
  if (!mounted_) return port::kIo;
  if (!key_ok(key, &klen)) return port::kInvalid;
  Record r;
  if (!find(key, klen, &r) || r.kind == kTomb) return port::kNotFound;
  return append(kTomb, key, klen, nullptr, 0);
}

}  // namespace mcujs::storage
