// LAN9118 driver (see lan9118.h). Register offsets and bits from the SMSC
// LAN9118 datasheet, checked against QEMU's hw/net/lan9118.c.
#include "ports/common/lan9118.h"

#include "ports/common/mmio.h"

namespace mcujs::mps2 {

namespace {

// Direct registers (offsets from the chip's base address).
constexpr uintptr_t kRxData = 0x00;      // RX data FIFO (any address in 0x00-0x1f)
constexpr uintptr_t kTxData = 0x20;      // TX data FIFO (0x20-0x3f)
constexpr uintptr_t kRxStatus = 0x40;    // RX status FIFO (pops)
constexpr uintptr_t kTxStatus = 0x48;    // TX status FIFO (pops)
constexpr uintptr_t kIdRev = 0x50;
constexpr uintptr_t kIrqCfg = 0x54;
constexpr uintptr_t kIntSts = 0x58;
constexpr uintptr_t kIntEn = 0x5C;
constexpr uintptr_t kByteTest = 0x64;
constexpr uintptr_t kFifoInt = 0x68;
constexpr uintptr_t kRxCfg = 0x6C;
constexpr uintptr_t kTxCfg = 0x70;
constexpr uintptr_t kHwCfg = 0x74;
constexpr uintptr_t kRxFifoInf = 0x7C;
constexpr uintptr_t kTxFifoInf = 0x80;
constexpr uintptr_t kPmtCtrl = 0x84;
constexpr uintptr_t kMacCsrCmd = 0xA4;
constexpr uintptr_t kMacCsrData = 0xA8;

// IRQ_CFG: IRQ_EN | IRQ_POL (active high) | IRQ_TYPE (push-pull).
constexpr uint32_t kIrqCfgEnableHighPushPull = 0x111;
constexpr uint32_t kIntRsfl = 1u << 3;  // RX status FIFO level above FIFO_INT[7:0]
constexpr uint32_t kHwCfgSrst = 1u << 0;
constexpr uint32_t kPmtReady = 1u << 0;
constexpr uint32_t kTxCfgTxOn = 1u << 1;

// MAC_CSR_CMD: busy, read; indirect MAC registers.
constexpr uint32_t kMacBusy = 1u << 31;
constexpr uint32_t kMacRead = 1u << 30;
constexpr uint32_t kMacCr = 1;
constexpr uint32_t kMacAddrH = 2;
constexpr uint32_t kMacAddrL = 3;
// MAC_CR: full duplex, TX enable, RX enable. Promiscuous (the reset value)
// and broadcast-disable stay clear: own address and broadcasts (DHCP, ARP).
constexpr uint32_t kMacCrFdpxTxRx = 0x0010000C;

// RX status word: frame length incl. CRC in [29:16], error summary bit 15.
constexpr uint32_t kRxStsErrorSummary = 1u << 15;

// TX command A: first and last segment (the whole frame is one buffer),
// buffer size in [10:0]. Command B: packet tag [31:16], length [10:0].
constexpr uint32_t kTxCmdAFirst = 1u << 13;
constexpr uint32_t kTxCmdALast = 1u << 12;

// Bounded register polls: the emulated chip is ready at once; real silicon
// within microseconds. A chip that never gets ready is "not there".
constexpr int kPollLimit = 100000;

}  // namespace

volatile uint32_t& Lan9118::r(uintptr_t off) const { return reg(base_ + off); }
// Reads a FIFO register for its side effect (popping a word).
void Lan9118::pop(uintptr_t off) {
  uint32_t v = r(off);
  (void)v;
}

void Lan9118::mac_write(uint32_t reg_no, uint32_t value) {
  for (int i = 0; i < kPollLimit && (r(kMacCsrCmd) & kMacBusy); i++) {
  }
  r(kMacCsrData) = value;
  r(kMacCsrCmd) = kMacBusy | reg_no;
  for (int i = 0; i < kPollLimit && (r(kMacCsrCmd) & kMacBusy); i++) {
  }
}

uint32_t Lan9118::mac_read(uint32_t reg_no) {
  for (int i = 0; i < kPollLimit && (r(kMacCsrCmd) & kMacBusy); i++) {
  }
  r(kMacCsrCmd) = kMacBusy | kMacRead | reg_no;
  for (int i = 0; i < kPollLimit && (r(kMacCsrCmd) & kMacBusy); i++) {
  }
  return r(kMacCsrData);
}

bool Lan9118::init(const uint8_t mac[6]) {
  if (r(kByteTest) != 0x87654321u || (r(kIdRev) >> 16) != 0x0118) return false;
  r(kHwCfg) = kHwCfgSrst;
  int i = 0;
  for (; i < kPollLimit && (r(kHwCfg) & kHwCfgSrst); i++) {
  }
  for (; i < kPollLimit && !(r(kPmtCtrl) & kPmtReady); i++) {
  }
  if (i == kPollLimit) return false;

  mac_write(kMacAddrL, static_cast<uint32_t>(mac[0]) | static_cast<uint32_t>(mac[1]) << 8 |
                           static_cast<uint32_t>(mac[2]) << 16 | static_cast<uint32_t>(mac[3]) << 24);
  mac_write(kMacAddrH, static_cast<uint32_t>(mac[4]) | static_cast<uint32_t>(mac[5]) << 8);
  mac_write(kMacCr, kMacCrFdpxTxRx);
  if (mac_read(kMacCr) != kMacCrFdpxTxRx) return false;

  r(kTxCfg) = kTxCfgTxOn;
  r(kRxCfg) = 0;               // no RX data offset, no end padding
  r(kFifoInt) = 0x48000000;    // the reset value: RSFL when >= 1 status is waiting
  r(kIrqCfg) = kIrqCfgEnableHighPushPull;
  r(kIntSts) = 0xFFFFFFFFu;    // drop anything latched before reset
  r(kIntEn) = kIntRsfl;
  rx_words_left_ = rx_word_bytes_ = tx_word_bytes_ = 0;
  return true;
}

uint32_t Lan9118::rx_frames() const { return (r(kRxFifoInf) >> 16) & 0xFF; }

// Reads and drops FIFO words. The chip's RX fast-forward (RX_DP_CTRL) is
// not used: QEMU's model of it does not update its FIFO fill level.
void Lan9118::skip_words(uint32_t words) {
  while (words--) pop(kRxData);
}

int32_t Lan9118::rx_begin() {
  while (rx_frames() > 0) {
    uint32_t st = r(kRxStatus);
    uint32_t len = (st >> 16) & 0x3FFF;  // with the 4-byte CRC
    uint32_t words = (len + 3) / 4;
    if ((st & kRxStsErrorSummary) || len < 4 + 14 || len - 4 > kMaxFrame) {
      rx_errors_++;
      skip_words(words);
      continue;
    }
    rx_words_left_ = words;
    rx_word_bytes_ = 0;
    return static_cast<int32_t>(len - 4);
  }
  return -1;
}

void Lan9118::rx_read(uint8_t* dst, size_t len) {
  while (len > 0) {
    if (rx_word_bytes_ == 0) {
      if (rx_words_left_ == 0) return;  // caller asked beyond the frame
      // Whole words straight into an aligned destination: the common case.
      if ((reinterpret_cast<uintptr_t>(dst) & 3) == 0) {
        while (len >= 4 && rx_words_left_ > 0) {
          *reinterpret_cast<uint32_t*>(dst) = r(kRxData);
          rx_words_left_--;
          dst += 4;
          len -= 4;
        }
        if (len == 0 || rx_words_left_ == 0) continue;
      }
      rx_word_ = r(kRxData);
      rx_words_left_--;
      rx_word_bytes_ = 4;
    }
    *dst++ = static_cast<uint8_t>(rx_word_);  // the FIFO is little-endian
    rx_word_ >>= 8;
    rx_word_bytes_--;
    len--;
  }
}

void Lan9118::rx_end() {
  skip_words(rx_words_left_);
  rx_words_left_ = 0;
  rx_word_bytes_ = 0;
}

bool Lan9118::tx_begin(size_t len) {
  if (len < 14 || len > kMaxFrame) return false;
  // Free space in the TX data FIFO (bytes) must hold the two command words
  // and the data rounded up to words.
  uint32_t free_bytes = r(kTxFifoInf) & 0xFFFF;
  if (free_bytes < len + 8 + 3) return false;
  r(kTxData) = kTxCmdAFirst | kTxCmdALast | static_cast<uint32_t>(len);
  r(kTxData) = static_cast<uint32_t>(len) << 16 | static_cast<uint32_t>(len);  // tag = length
  tx_word_ = 0;
  tx_word_bytes_ = 0;
  return true;
}

void Lan9118::tx_write(const uint8_t* src, size_t len) {
  while (len > 0) {
    if (tx_word_bytes_ == 0 && (reinterpret_cast<uintptr_t>(src) & 3) == 0) {
      while (len >= 4) {
        r(kTxData) = *reinterpret_cast<const uint32_t*>(src);
        src += 4;
        len -= 4;
      }
      if (len == 0) return;
    }
    tx_word_ |= static_cast<uint32_t>(*src++) << (8 * tx_word_bytes_);
    len--;
    if (++tx_word_bytes_ == 4) {
      r(kTxData) = tx_word_;
      tx_word_ = 0;
      tx_word_bytes_ = 0;
    }
  }
}

void Lan9118::tx_end() {
  if (tx_word_bytes_ > 0) r(kTxData) = tx_word_;  // the chip sends when the last byte is in
  tx_word_ = 0;
  tx_word_bytes_ = 0;
  // Discard TX status words: nothing reads them, and a full status FIFO
  // would stop the transmitter on real silicon.
  for (uint32_t n = (r(kTxFifoInf) >> 16) & 0xFF; n > 0; n--) pop(kTxStatus);
}

void Lan9118::ack_rx_irq() { r(kIntSts) = kIntRsfl; }

}  // namespace mcujs::mps2
