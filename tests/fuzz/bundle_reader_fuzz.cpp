// libFuzzer target for the bundle reader (bundle/reader.h): the runtime
// image runs it on whatever its flash partition holds. Each input is read
// as is (checksum failures, mostly) and once more with its SHA-256 fixed up,
// so that the entry-table checks behind the checksum are reached too; an
// accepted bundle's entries must lie inside it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "bundle/files.h"
#include "bundle/reader.h"

namespace {

void check(const uint8_t* data, size_t size) {
  using namespace mcujs::bundle;
  Reader r;
  const Expect expect{"mps2-an385", "2025-04-26", 4};
  if (r.open(data, size, expect) != Status::kOk) return;
  if (r.length() > size) abort();
  for (uint32_t i = 0; i < r.entry_count(); i++) {
    Entry e = r.entry(i);
    if (e.data < data || e.data + e.size > data + r.length() || strlen(e.name) >= kNameLen) abort();
  }
  BundleFiles files(r);
  uint8_t* out = nullptr;
  auto alloc = [](void*, size_t n) { return static_cast<uint8_t*>(malloc(n ? n : 1)); };
  if (files.read("config.json", alloc, nullptr, &out) >= 0) free(out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check(data, size);
  if (size < mcujs::bundle::kHeaderSize || size > 256 * 1024) return 0;
  auto* copy = static_cast<uint8_t*>(malloc(size));
  if (!copy) return 0;
  memcpy(copy, data, size);
  uint32_t length = mcujs::bundle::get_u32(copy + mcujs::bundle::kOffLength);
  if (length >= mcujs::bundle::kHeaderSize && length <= size)
    mcujs::bundle::digest(copy, length, copy + mcujs::bundle::kOffSha256);
  check(copy, size);
  free(copy);
  return 0;
}
