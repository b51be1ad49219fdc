// Reads and checks an app bundle in place (bundle/format.h): the runtime
// image opens the bytes of its flash partition with it; nothing is copied
// and nothing is allocated. Every check runs before anything is used, so a
// missing, corrupt or foreign bundle is refused whole (no partial run).
#pragma once

#include <cstddef>
#include <cstdint>

#include "bundle/format.h"

namespace mcujs::bundle {

enum class Status : uint8_t {
  kOk,
  kMissing,        // erased flash (0xFF) or nothing at all
  kBadMagic,       // not a bundle
  kBadFormat,      // a format version or header size this reader does not know
  kTruncated,      // its length runs past the bytes available
  kBadChecksum,    // SHA-256 mismatch: corrupt or partly written
  kOtherBoard,     // built for another board
  kOtherQuickJs,   // built with another QuickJS (version or bytecode version)
  kBadLayout,      // entries out of bounds, bad names, no single main module
  kUnknownFeature, // its manifest asks for a feature this reader does not know
};

const char* status_text(Status s);

struct Entry {
  Kind kind;
  const char* name;     // NUL-terminated, inside the bundle
  const uint8_t* data;  // inside the bundle
  uint32_t size;
};

// What the runtime is: a bundle for anything else is refused.
struct Expect {
  const char* board;            // e.g. "mps2-an385"
  const char* quickjs_version;  // e.g. "2025-04-26"
  uint8_t bytecode_version;     // QuickJS's BC_VERSION
};

class Reader {
 public:
  // Checks the bytes [data, data + cap) (cap: the partition's size; the
  // bundle may be shorter). On kOk the accessors below are valid while the
  // bytes are.
  Status open(const uint8_t* data, size_t cap, const Expect& expect);

  uint32_t length() const { return length_; }
  uint32_t features() const { return features_; }
  uint32_t entry_count() const { return count_; }
  Entry entry(uint32_t i) const;
  // The first entry of that kind and name; false if none.
  bool find(Kind kind, const char* name, Entry* out) const;
  // The header's board and QuickJS version (NUL-terminated copies), also
  // after kOtherBoard / kOtherQuickJs, for the message.
  const char* board() const { return board_; }
  const char* quickjs_version() const { return quickjs_; }
  uint8_t bytecode_version() const { return bytecode_; }

 private:
  const uint8_t* data_ = nullptr;
  uint32_t length_ = 0;
  uint32_t features_ = 0;
  uint32_t count_ = 0;
  char board_[kBoardLen + 1] = {};
  char quickjs_[kQuickJsLen + 1] = {};
  uint8_t bytecode_ = 0;
};

// SHA-256 of a bundle's bytes less its digest field (writer and reader).
bool digest(const uint8_t* data, uint32_t length, uint8_t out[32]);

}  // namespace mcujs::bundle
