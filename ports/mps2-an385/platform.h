// The MPS2 boards' Platform assembler (as linux_port::LinuxPlatform is the
// linux backend's): the board's clock, UART log, entropy, network, the flash
// store in its storage partition and the RAM report, wired into one
// port::Platform. Files come from the caller (the app bundle's:
// bundle::BundleFiles), as do GPIO and sensors (mps2::SimBoard::attach).
// One instance per run (lwIP and the flash partition are the board's).
#pragma once

#include "port/port.h"
#include "ports/mps2-an385/flash_storage.h"
#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/net/net.h"

namespace mcujs::mps2 {

class Mps2Platform {
 public:
  explicit Mps2Platform(port::Files* files);
  Mps2Platform(const Mps2Platform&) = delete;
  Mps2Platform& operator=(const Mps2Platform&) = delete;

  // Mounts the flash store (finishing what a power cut interrupted) and
  // prints its state; kOk or the store's error (the Platform then has no kv).
  int32_t mount_storage();

  port::Platform& platform() { return platform_; }
  SysTickClock& clock() { return clock_; }
  UartLog& log() { return log_; }
  LwipNet& net() { return net_; }
  storage::FlashKvStore& kv() { return kv_; }
  BoardMemory& memory() { return memory_; }

 private:
  SysTickClock clock_;
  UartLog log_;
  SemihostEntropy entropy_;
  LwipNet net_;
  StorageFlash flash_;
  storage::FlashKvStore kv_;
  BoardMemory memory_;
  port::Platform platform_;
};

}  // namespace mcujs::mps2
