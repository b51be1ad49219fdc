// The firmware test images' inputs, from the device's own flash: a bundle
// that the test's driver makes with `mcujs bundle` (a trivial entry module,
// tests/firmware/js/test_image.js, never run) and loads into the bundle
// partition (QEMU -device loader, ports/mps2-an385/board/flash_layout.h). Its
// data files: params.txt (the test's parameters, key=value words read with
// the boot settings' lexer, bundle/boot_settings.h), boot.cfg (the device
// section of its --config: the NTP server) and any other file (the TLS
// test's CA and client certificate). Nothing is read from the host.
#pragma once

#include <cstddef>

#include "bundle/boot_settings.h"
#include "bundle/reader.h"

namespace mcujs::fwtest {

class TestBundle {
 public:
  // Opens and checks the bundle partition, its params.txt and boot.cfg;
  // false after printing why, prefixed with who ("tls-test").
  bool open(const char* who);
  // A data file's bytes in flash (not NUL-terminated); false if absent.
  bool file(const char* name, const char** data, size_t* size) const;
  // A decimal parameter of params.txt in [0, max]; -1 if absent or not one.
  long number(const char* key, long max) const;
  // A word parameter, NUL-terminated into out; false if absent or too long.
  bool word(const char* key, char* out, size_t cap) const;
  const bundle::BootSettings& boot() const { return boot_; }

 private:
  bool find(const char* key, bundle::Setting* out) const;

  bundle::Reader reader_;
  const char* params_ = nullptr;
  size_t params_len_ = 0;
  bundle::BootSettings boot_;
};

}  // namespace mcujs::fwtest
