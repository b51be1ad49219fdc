// Test image for the HardFault handler: prints a line, then reads from an
// address with nothing behind it. The handler must print the crash report and
// end the run with status 134 (tests/firmware/fault.expected).
#include <cstdint>
#include <cstdio>

#include "ports/mps2-an385/mps2_port.h"

int main() {
  mcujs::mps2::board_init();
  printf("about to fault\n");
  fflush(stdout);
  // Beyond the 4 MB of the board's RAM block at 0x20000000: a bus fault,
  // escalated to HardFault (the configurable faults are not enabled).
  volatile uint32_t* bad = reinterpret_cast<volatile uint32_t*>(0x2FFFFFF0u);
  return static_cast<int>(*bad);
}
