#include "bundle/reader.h"

#include <cstring>

#include "mbedtls/sha256.h"

namespace mcujs::bundle {

const char* status_text(Status s) {
  switch (s) {
    case Status::kOk: return "ok";
    case Status::kMissing: return "no bundle (the partition is empty)";
    case Status::kBadMagic: return "not a bundle (bad magic)";
    case Status::kBadFormat: return "unknown bundle format version";
    case Status::kTruncated: return "truncated (its length runs past the partition)";
    case Status::kBadChecksum: return "corrupt (SHA-256 mismatch)";
    case Status::kOtherBoard: return "built for another board";
    case Status::kOtherQuickJs: return "built with another QuickJS";
    case Status::kBadLayout: return "bad entry table";
    case Status::kUnknownFeature: return "needs a feature this runtime does not know";
  }
  return "?";
}

bool digest(const uint8_t* data, uint32_t length, uint8_t out[32]) {
  if (length < kHeaderSize) return false;
  mbedtls_sha256_context c;
  mbedtls_sha256_init(&c);
  bool ok = mbedtls_sha256_starts(&c, 0) == 0 && mbedtls_sha256_update(&c, data, kOffSha256) == 0 &&
            mbedtls_sha256_update(&c, data + kHeaderSize, length - kHeaderSize) == 0 &&
            mbedtls_sha256_finish(&c, out) == 0;
  mbedtls_sha256_free(&c);
  return ok;
}

namespace {

// A NUL-padded text field: copied NUL-terminated into out (cap len + 1).
void copy_field(const uint8_t* p, size_t len, char* out) {
  size_t n = 0;
  while (n < len && p[n]) n++;
  memcpy(out, p, n);
  out[n] = 0;
}

bool all_bytes(const uint8_t* p, size_t n, uint8_t v) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != v) return false;
  return true;
}

// A name: non-empty, NUL-terminated inside its field, printable ASCII.
bool valid_name(const uint8_t* p) {
  size_t n = 0;
  while (n < kNameLen && p[n]) {
    if (p[n] < 0x20 || p[n] > 0x7e) return false;
    n++;
  }
  return n > 0 && n < kNameLen;
}

}  // namespace

Status Reader::open(const uint8_t* data, size_t cap, const Expect& expect) {
  *this = Reader{};
  if (!data || cap < kHeaderSize) return cap == 0 ? Status::kMissing : Status::kTruncated;
  if (all_bytes(data, kHeaderSize, 0xFF) || all_bytes(data, kHeaderSize, 0)) return Status::kMissing;
  if (memcmp(data + kOffMagic, kMagic, sizeof kMagic) != 0) return Status::kBadMagic;
  if (get_u16(data + kOffFormat) != kFormatVersion || get_u16(data + kOffHeaderSize) != kHeaderSize)
    return Status::kBadFormat;
  uint32_t length = get_u32(data + kOffLength);
  if (length > cap) return Status::kTruncated;
  uint32_t count = get_u32(data + kOffEntryCount);
  if (length < kHeaderSize || count > kMaxEntries || length < kHeaderSize + count * kEntrySize)
    return Status::kBadLayout;
  uint8_t sha[32];
  if (!digest(data, length, sha) || memcmp(sha, data + kOffSha256, sizeof sha) != 0) return Status::kBadChecksum;
  copy_field(data + kOffBoard, kBoardLen, board_);
  copy_field(data + kOffQuickJs, kQuickJsLen, quickjs_);
  bytecode_ = data[kOffBytecode];
  if (strcmp(board_, expect.board) != 0) return Status::kOtherBoard;
  if (strcmp(quickjs_, expect.quickjs_version) != 0 || data[kOffBytecode] != expect.bytecode_version)
    return Status::kOtherQuickJs;
  uint32_t features = get_u32(data + kOffFeatures);
  if (features & ~kFeatureAll) return Status::kUnknownFeature;
  // Entries: known kinds, good names, data inside [table end, length), one main module.
  const uint32_t data_start = kHeaderSize + count * kEntrySize;
  int mains = 0;
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t* e = data + kHeaderSize + i * kEntrySize;
    uint32_t kind = get_u32(e + kEntKind), off = get_u32(e + kEntOffset), size = get_u32(e + kEntSize);
    if (kind < static_cast<uint32_t>(Kind::kModule) || kind > static_cast<uint32_t>(Kind::kJsText))
      return Status::kBadLayout;
    if (off < data_start || off > length || size > length - off || !valid_name(e + kEntName))
      return Status::kBadLayout;
    if (kind != static_cast<uint32_t>(Kind::kFile) && size == 0) return Status::kBadLayout;
    if (kind == static_cast<uint32_t>(Kind::kMainModule)) mains++;
  }
  if (mains != 1) return Status::kBadLayout;
  data_ = data;
  length_ = length;
  features_ = features;
  count_ = count;
  return Status::kOk;
}

Entry Reader::entry(uint32_t i) const {
  if (i >= count_) return Entry{Kind::kFile, "", nullptr, 0};
  const uint8_t* e = data_ + kHeaderSize + i * kEntrySize;
  return Entry{static_cast<Kind>(get_u32(e + kEntKind)), reinterpret_cast<const char*>(e + kEntName),
               data_ + get_u32(e + kEntOffset), get_u32(e + kEntSize)};
}

bool Reader::find(Kind kind, const char* name, Entry* out) const {
  for (uint32_t i = 0; i < count_; i++) {
    Entry e = entry(i);
    if (e.kind == kind && strcmp(e.name, name) == 0) {
      *out = e;
      return true;
    }
  }
  return false;
}

}  // namespace mcujs::bundle
