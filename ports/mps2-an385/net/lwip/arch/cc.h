// lwIP's compiler/platform glue for the mps2-an385 firmware (arm-none-eabi
// GCC, newlib-nano, little-endian Cortex-M3).
#ifndef MCUJS_MPS2_LWIP_ARCH_CC_H
#define MCUJS_MPS2_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

// The M3 is little-endian; lwIP swaps network-order fields with its own
// lwip_htons/htonl (GCC turns them into REV16/REV).
#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

// Diagnostics go to the UART (newlib's stdout). An lwIP assertion is a bug:
// report it and end the run like a fault (status 134), never continue.
#ifdef __cplusplus
extern "C" {
#endif
void mcujs_lwip_assert(const char* msg, int line, const char* file) __attribute__((noreturn));
#ifdef __cplusplus
}
#endif
#define LWIP_PLATFORM_DIAG(x) \
  do {                        \
    printf x;                 \
  } while (0)
#define LWIP_PLATFORM_ASSERT(x) mcujs_lwip_assert((x), __LINE__, __FILE__)

#endif  // MCUJS_MPS2_LWIP_ARCH_CC_H
