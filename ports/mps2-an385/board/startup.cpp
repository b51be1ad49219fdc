// Reset and fault handling: the vector table, Reset_Handler (copies .data,
// zeroes .bss, paints the main stack, runs static constructors, calls main)
// and a HardFault handler that prints a crash report on UART0.
#include <array>
#include <cstdint>
#include <utility>
#include <cstdio>
#include <cstring>

#include <board.h>  // this board's: its IRQ count (see board.h)
#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/emulation/semihosting.h"

extern "C" {
// From mps2-an385.ld.
extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end;
extern uint32_t __stack_limit, __stack_top;
extern void (*__preinit_array_start[])();
extern void (*__preinit_array_end[])();
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();

int main();
[[noreturn]] void Reset_Handler();
void HardFault_Handler();
void SysTick_Handler();
void Default_Handler();
}

namespace mcujs::mps2 {
// The stack paint pattern, also read by memory_report().
extern const uint32_t kStackPaint;
const uint32_t kStackPaint = 0xC0FFEE5Au;
}  // namespace mcujs::mps2

namespace {

using Handler = void (*)();

// Exception numbers 1..15 then the board's IRQs (kIrqCount: UARTs, timers,
// the LAN9118). Unused ones fall into Default_Handler.
struct VectorTable {
  Handler core[16];
  std::array<Handler, mcujs::mps2::kIrqCount> irq;
};
template <size_t... I>
constexpr std::array<Handler, sizeof...(I)> default_irqs(std::index_sequence<I...>) {
  return {((void)I, Default_Handler)...};
}
__attribute__((section(".isr_vector"), used)) const VectorTable kVectors = {
    {
        reinterpret_cast<Handler>(&__stack_top),
        Reset_Handler,
        Default_Handler,    // NMI
        HardFault_Handler,  // HardFault
        HardFault_Handler,  // MemManage
        HardFault_Handler,  // BusFault
        HardFault_Handler,  // UsageFault
        nullptr, nullptr, nullptr, nullptr,
        Default_Handler,  // SVCall
        Default_Handler,  // DebugMonitor
        nullptr,
        Default_Handler,  // PendSV
        SysTick_Handler,
    },
    default_irqs(std::make_index_sequence<mcujs::mps2::kIrqCount>{}),
};

// Snprintf-free so that it works whatever state the heap is in.
void put(const char* s) { mcujs::mps2::uart_write(s, strlen(s)); }
void put_hex(const char* name, uint32_t v) {
  char buf[20];
  static const char kDigits[] = "0123456789abcdef";
  put(name);
  buf[0] = '=';
  buf[1] = '0';
  buf[2] = 'x';
  for (int i = 0; i < 8; i++) buf[3 + i] = kDigits[(v >> (28 - 4 * i)) & 0xF];
  buf[11] = ' ';
  buf[12] = 0;
  put(buf);
}

}  // namespace

// Called by HardFault_Handler with the exception frame the core pushed:
// r0, r1, r2, r3, r12, lr, pc, xpsr.
extern "C" [[noreturn]] __attribute__((used)) void mcujs_fault_report(const uint32_t* frame, uint32_t exc_return) {
  using namespace mcujs::mps2;
  put("\n*** HARD FAULT ***\n");
  put_hex("r0", frame[0]);
  put_hex("r1", frame[1]);
  put_hex("r2", frame[2]);
  put_hex("r3", frame[3]);
  put("\n");
  put_hex("r12", frame[4]);
  put_hex("lr", frame[5]);
  put_hex("pc", frame[6]);
  put_hex("xpsr", frame[7]);
  put("\n");
  put_hex("CFSR", reg(kScbCfsr));
  put_hex("HFSR", reg(kScbHfsr));
  put_hex("MMFAR", reg(kScbMmfar));
  put_hex("BFAR", reg(kScbBfar));
  put_hex("EXC_RETURN", exc_return);
  put("\n");
  semihost::exit(134);  // like SIGABRT's 128 + 6
}

// Picks the stack the frame was pushed on (MSP or PSP, bit 2 of EXC_RETURN).
extern "C" __attribute__((naked)) void HardFault_Handler() {
  __asm__ volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "mov r1, lr\n"
      "b mcujs_fault_report\n");
}

extern "C" void Default_Handler() {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  put("\n*** unexpected exception ");
  put_hex("IPSR", ipsr);
  put("***\n");
  mcujs::mps2::semihost::exit(134);
}

extern "C" [[noreturn]] void Reset_Handler() {
  memcpy(&__data_start, &__data_load,
         static_cast<size_t>(reinterpret_cast<char*>(&__data_end) - reinterpret_cast<char*>(&__data_start)));
  memset(&__bss_start, 0,
         static_cast<size_t>(reinterpret_cast<char*>(&__bss_end) - reinterpret_cast<char*>(&__bss_start)));
  // Paint the stack below this frame (leaving 64 bytes for it and memset's).
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t* p = &__stack_limit; p < sp - 16; p++) *p = mcujs::mps2::kStackPaint;
  for (auto* f = __preinit_array_start; f < __preinit_array_end; f++) (*f)();
  for (auto* f = __init_array_start; f < __init_array_end; f++) (*f)();
  mcujs::mps2::board_exit(main());
}
