// The MPS2 boards' network: lwIP 2.2.1 (NO_SYS, raw API; configuration in
// lwip/lwipopts.h) on the board's LAN9118 (ports/common/lan9118.h), behind
// port::Tcp and port::Poller as port/port.h specifies them (checked on every
// backend by the port conformance suite, tests/port/).
//
// One instance at a time (lwIP keeps global state). Everything runs in the caller's
// thread: lwIP only makes progress inside wait() (and up()), which polls the
// driver, runs lwIP's timers and sleeps in WFI until the next SysTick (1 ms)
// or a received frame (the LAN9118 IRQ wakes the core; see lan9118.h).
//
// Client sockets only: listen()/accept() keep port::Tcp's defaults
// (kUnsupported; port/port.h makes them optional).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/limits.h"
#include "port/port.h"
#include <board.h>  // this board's LAN9118 (see board.h)
#include "ports/common/lan9118.h"

struct pbuf;
struct tcp_pcb;

namespace mcujs::mps2 {

class LwipNet final : public port::Tcp, public port::Poller {
 public:
  // Sockets open at once (each is an lwIP TCP pcb: MEMP_NUM_TCP_PCB).
  static constexpr int kMaxSockets = MCUJS_MPS2_MAX_SOCKETS;  // core/limits.h

  // entropy (optional) seeds lwIP's PRNG (DNS query ids and source ports).
  explicit LwipNet(port::Clock& clock, port::Entropy* entropy = nullptr);
  ~LwipNet() override;
  LwipNet(const LwipNet&) = delete;
  LwipNet& operator=(const LwipNet&) = delete;

  // Brings the interface up and waits up to timeout_ms for a DHCP lease;
  // prints "net: DHCP lease <ip> gw <gw>" on success. False if there is no
  // LAN9118 or no lease in time (the stack keeps trying in later wait()s).
  bool up(uint32_t timeout_ms);
  bool has_address() const;
  // Starts SNTP (lwIP apps/sntp) against server (an IPv4 literal; null: the
  // DHCP gateway) and port, after up(). Its first answer at or after the time floor sets the wall
  // clock (set_wall_clock; "time: set by SNTP ..."), later ones hourly;
  // earlier ones are not believed. False on a bad address.
  bool start_sntp(const char* server, uint16_t port);
  // Runs the network until the wall clock is set or timeout_ms passed.
  bool wait_for_time(uint32_t timeout_ms);

  int32_t connect(const char* host, uint16_t port, port::SocketId* out) override;
  port::ConnectState state(port::SocketId s, int32_t* err) override;
  int32_t read(port::SocketId s, uint8_t* buf, size_t len) override;
  int32_t write(port::SocketId s, const uint8_t* buf, size_t len) override;
  int32_t pending(port::SocketId s) override;
  void close(port::SocketId s) override;
  void wait(uint32_t timeout_ms) override;

  // Frames dropped: bad frames from the chip, and frames for which no pool
  // buffer was free (PBUF_POOL_SIZE).
  uint32_t rx_dropped() const { return rx_no_pbuf_ + eth_.rx_errors(); }

  // One socket's state (net.cpp); lwIP's callbacks reach it through their arg.
  struct Slot;

 private:
  Slot* slot(port::SocketId s);
  // Moves received frames into lwIP and runs its timers; true if a frame came.
  bool poll_once();
  // Sleeps until the next SysTick or received frame.
  void sleep();

  port::Clock& clock_;
  port::Entropy* entropy_;
  Lan9118 eth_{kLan9118Base, kLan9118Irq};
  Slot* slots_;
  bool started_ = false;
  uint32_t rx_no_pbuf_ = 0;
};

}  // namespace mcujs::mps2
