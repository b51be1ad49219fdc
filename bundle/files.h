// port::Files over the data files of an opened bundle (config.json,
// ca.pem, ...): the runtime image has no file system; its app's files come
// with the app.
#pragma once

#include "bundle/reader.h"
#include "port/port.h"

namespace mcujs::bundle {

class BundleFiles final : public port::Files {
 public:
  explicit BundleFiles(const Reader& bundle) : bundle_(bundle) {}
  // Copies the file into a buffer from alloc (the caller owns it), as the
  // interface requires of every port.
  int32_t read(const char* path, AllocFn alloc, void* opaque, uint8_t** out) override;
  bool contains(const char* path) const;

 private:
  const Reader& bundle_;
};

}  // namespace mcujs::bundle
