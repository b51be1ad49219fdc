#include "bundle/writer.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bundle/reader.h"

namespace mcujs::bundle {

namespace {
uint32_t align4(uint64_t v) { return static_cast<uint32_t>((v + 3) & ~uint64_t{3}); }
}  // namespace

Writer::Writer(const char* board, const char* quickjs_version, uint8_t bytecode_version)
    : bytecode_version_(bytecode_version) {
  snprintf(board_, sizeof board_, "%s", board);
  snprintf(quickjs_, sizeof quickjs_, "%s", quickjs_version);
}

Writer::~Writer() {
  for (uint32_t i = 0; i < count_; i++) free(items_[i].data);
}

bool Writer::add(Kind kind, const char* name, const uint8_t* data, size_t size, char* err, size_t err_len) {
  size_t n = strlen(name);
  if (n == 0 || n >= kNameLen) {
    snprintf(err, err_len, "bundle entry name '%s' must have 1 to %u characters", name,
             static_cast<unsigned>(kNameLen - 1));
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    if (name[i] < 0x20 || name[i] > 0x7e) {
      snprintf(err, err_len, "bundle entry name '%s': only printable ASCII", name);
      return false;
    }
  }
  for (uint32_t i = 0; i < count_; i++) {
    if (strcmp(items_[i].name, name) == 0) {
      snprintf(err, err_len, "bundle entry '%s' twice", name);
      return false;
    }
  }
  if (count_ == kMaxEntries) {
    snprintf(err, err_len, "more than %u entries in one bundle", static_cast<unsigned>(kMaxEntries));
    return false;
  }
  if (size > UINT32_MAX / 2) {
    snprintf(err, err_len, "bundle entry '%s' is too large", name);
    return false;
  }
  Item& it = items_[count_];
  it.data = static_cast<uint8_t*>(malloc(size ? size : 1));
  if (!it.data) {
    snprintf(err, err_len, "out of memory for bundle entry '%s'", name);
    return false;
  }
  if (size) memcpy(it.data, data, size);
  it.kind = kind;
  it.size = static_cast<uint32_t>(size);
  memcpy(it.name, name, n + 1);
  count_++;
  return true;
}

uint8_t* Writer::finish(size_t* len, char* err, size_t err_len) const {
  uint64_t total = kHeaderSize + uint64_t{count_} * kEntrySize;
  for (uint32_t i = 0; i < count_; i++) total = align4(total) + items_[i].size;
  total = align4(total);
  if (total > UINT32_MAX) {
    snprintf(err, err_len, "the bundle would exceed 4 GB");
    return nullptr;
  }
  auto* out = static_cast<uint8_t*>(calloc(1, static_cast<size_t>(total)));
  if (!out) {
    snprintf(err, err_len, "out of memory for a %lu-byte bundle", static_cast<unsigned long>(total));
    return nullptr;
  }
  memcpy(out + kOffMagic, kMagic, sizeof kMagic);
  put_u16(out + kOffFormat, kFormatVersion);
  put_u16(out + kOffHeaderSize, kHeaderSize);
  put_u32(out + kOffLength, static_cast<uint32_t>(total));
  memcpy(out + kOffBoard, board_, strlen(board_));
  memcpy(out + kOffQuickJs, quickjs_, strlen(quickjs_));
  out[kOffBytecode] = bytecode_version_;
  put_u32(out + kOffFeatures, features_);
  put_u32(out + kOffEntryCount, count_);
  uint32_t off = kHeaderSize + count_ * kEntrySize;
  for (uint32_t i = 0; i < count_; i++) {
    const Item& it = items_[i];
    off = align4(off);
    uint8_t* e = out + kHeaderSize + i * kEntrySize;
    put_u32(e + kEntKind, static_cast<uint32_t>(it.kind));
    put_u32(e + kEntOffset, off);
    put_u32(e + kEntSize, it.size);
    memcpy(e + kEntName, it.name, strlen(it.name));
    memcpy(out + off, it.data, it.size);
    off += it.size;
  }
  if (!digest(out, static_cast<uint32_t>(total), out + kOffSha256)) {
    free(out);
    snprintf(err, err_len, "SHA-256 failed");
    return nullptr;
  }
  *len = static_cast<size_t>(total);
  return out;
}

}  // namespace mcujs::bundle
