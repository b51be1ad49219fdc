// EMULATION ONLY: the parts of this port that stand in, through semihosting,
// for hardware the emulated board lacks (see mps2_port.h). On a Photon the
// entropy would come from the STM32F2 RNG. (The key-value store is in the
// board's own flash: flash_storage.h.)
#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/emulation/semihosting.h"

namespace mcujs::mps2 {

int32_t SemihostEntropy::fill(uint8_t* buf, size_t len) {
  if (handle_ < 0) handle_ = semihost::open("/dev/urandom", semihost::kModeReadBinary);
  if (handle_ < 0) return port::kIo;
  size_t got = 0;
  for (int tries = 0; got < len && tries < 8; tries++) {
    int n = semihost::read(handle_, buf + got, len - got);
    if (n < 0) return port::kIo;
    got += static_cast<size_t>(n);
  }
  return got == len ? port::kOk : port::kIo;
}

}  // namespace mcujs::mps2
