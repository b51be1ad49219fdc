// SMSC LAN9118 Ethernet controller of the MPS2 boards (mps2-an385 at
// 0x40200000, IRQ 13; mps2-an505 at 0x52000000, IRQ 48: each board's board.h
// says where), as QEMU 7.2 emulates it: 32-bit PIO through the RX/TX data FIFOs,
// MAC registers reached indirectly through MAC_CSR_CMD/DATA. No lwIP types
// here: net.cpp moves frames between the FIFOs and pbufs.
//
// Interrupts: the chip raises its line when a received frame's status is in
// the RX status FIFO (RSFL). No handler runs: LwipNet::wait() enables its IRQ
// in the NVIC only while it sleeps in WFI with interrupts masked (PRIMASK),
// so the line wakes the core as soon as a frame arrives, and disables it
// again before unmasking. The frames themselves are read by polling.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::mps2 {

class Lan9118 {
 public:
  static constexpr size_t kMaxFrame = 1514;  // without the CRC

  // The chip's registers at base; its line is the NVIC's IRQ irq.
  constexpr Lan9118(uintptr_t base, unsigned irq) : base_(base), irq_(irq) {}
  uintptr_t base() const { return base_; }
  unsigned irq() const { return irq_; }

  // Soft reset, checks the chip (BYTE_TEST, ID_REV), sets the MAC address,
  // enables TX and RX (full duplex, own address + broadcast), and the RX
  // interrupt (IRQ_CFG active-high push-pull: after reset the line is active
  // low, i.e. asserted, until set). False if no LAN9118 answers.
  bool init(const uint8_t mac[6]);

  // Frames waiting in the RX FIFO (RX status FIFO entries).
  uint32_t rx_frames() const;
  // Starts reading the next frame: its length without the CRC, or -1 if none
  // is waiting. A frame the chip flagged as bad, or longer than kMaxFrame,
  // is skipped (counted in rx_errors) and the next one is tried.
  int32_t rx_begin();
  // Copies the next len bytes of the current frame (any split is allowed).
  void rx_read(uint8_t* dst, size_t len);
  // Discards the rest of the current frame (also its CRC). Call once per
  // successful rx_begin(), whether or not everything was read.
  void rx_end();

  // Sends a frame given as pieces (an lwIP pbuf chain): tx_begin(total),
  // tx_write() per piece, tx_end(). tx_begin fails when the TX FIFO lacks room
  // or the length is out of range.
  bool tx_begin(size_t len);
  void tx_write(const uint8_t* src, size_t len);
  void tx_end();

  // Clears the latched RX interrupt so that the line drops until the next
  // frame arrives (before sleeping).
  void ack_rx_irq();

  uint32_t rx_errors() const { return rx_errors_; }

 private:
  volatile uint32_t& r(uintptr_t off) const;
  void pop(uintptr_t off);
  void mac_write(uint32_t reg, uint32_t value);
  uint32_t mac_read(uint32_t reg);
  void skip_words(uint32_t words);

  uint32_t rx_words_left_ = 0;  // FIFO words of the current frame not read yet
  uint32_t rx_word_ = 0;        // partly consumed word
  uint32_t rx_word_bytes_ = 0;  // bytes of rx_word_ not consumed yet
  uint32_t tx_word_ = 0;        // bytes collected for the next TX word
  uint32_t tx_word_bytes_ = 0;
  uint32_t rx_errors_ = 0;
  uintptr_t base_;
  unsigned irq_;
};

}  // namespace mcujs::mps2
