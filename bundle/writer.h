// Builds an app bundle (bundle/format.h) in memory: `mcujs bundle` on the
// host adds the compiled modules and the data files, then writes the bytes
// that the runtime image's Reader checks. Entries keep the order given.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bundle/format.h"

namespace mcujs::bundle {

class Writer {
 public:
  Writer(const char* board, const char* quickjs_version, uint8_t bytecode_version);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Copies data. False (with a reason in err) on a name that does not fit,
  // a duplicate name, too many entries or no memory.
  bool add(Kind kind, const char* name, const uint8_t* data, size_t size, char* err, size_t err_len);
  void set_features(uint32_t features) { features_ = features; }
  // The bundle in malloc'ed memory (the caller frees it), or nullptr (err says why).
  uint8_t* finish(size_t* len, char* err, size_t err_len) const;

 private:
  struct Item {
    Kind kind;
    char name[kNameLen];
    uint8_t* data;
    uint32_t size;
  };
  char board_[kBoardLen + 1] = {};
  char quickjs_[kQuickJsLen + 1] = {};
  uint8_t bytecode_version_;
  uint32_t features_ = 0;
  Item items_[kMaxEntries] = {};
  uint32_t count_ = 0;
};

}  // namespace mcujs::bundle
