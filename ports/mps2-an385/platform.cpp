#include "ports/mps2-an385/platform.h"

#include <cstdio>

namespace mcujs::mps2 {

Mps2Platform::Mps2Platform(port::Files* files)
    : net_(clock_, &entropy_),
      kv_(flash_),
      platform_{.clock = &clock_,
                .entropy = &entropy_,
                .log = &log_,
                .tcp = &net_,
                .poller = &net_,
                .files = files,
                .memory = &memory_} {}

int32_t Mps2Platform::mount_storage() {
  int32_t rc = kv_.mount();
  if (rc != port::kOk) {
    printf("storage: cannot mount the flash store: %s\n", port::error_name(rc));
    return rc;
  }
  storage::FlashKvStore::Stats st = kv_.stats();
  printf("storage: %lu of %lu sectors free, %lu repaired at mount\n", static_cast<unsigned long>(st.free_sectors),
         static_cast<unsigned long>(st.sectors), static_cast<unsigned long>(st.repaired));
  platform_.kv = &kv_;
  return port::kOk;
}

}  // namespace mcujs::mps2
