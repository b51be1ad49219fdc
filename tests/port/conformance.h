// The port conformance suite: what port/port.h promises, checked through
// the interface only, so that every backend (ports/linux, the MPS2 boards)
// runs the very same checks (docs/porting.md). A runner per backend builds
// its Platform and calls these; each check prints one line
//   "port: ok   <group>: <what>"  or  "port: FAIL <group>: <what> (<detail>)"
// and the runner ends with summary() ("port: N passed, M failed").
#pragma once

#include <cstddef>
#include <cstdint>

#include "port/port.h"

namespace mcujs::port_test {

// The loopback peer (tests/port/peer.py): on echo_port a connection that
// starts with 'E' gets back everything it sends after that; one that starts
// with 'C' gets "bye\n" and then the peer's orderly close. Nothing listens
// on closed_port.
struct Peer {
  const char* host;
  uint16_t echo_port;
  uint16_t closed_port;
};

class Suite {
 public:
  // clock and poller drive every wait; every wait is bounded.
  Suite(port::Clock& clock, port::Poller& poller) : clock_(clock), poller_(poller) {}

  void clock_checks();
  void entropy_checks(port::Entropy& entropy);
  // path holds exactly the len bytes of want; missing names no file.
  void files_checks(port::Files& files, const char* path, const uint8_t* want, size_t len, const char* missing);
  // A store with room for at least 8 KB of values. label names the backend.
  void kv_checks(port::KvStore& kv, const char* label);
  void tcp_checks(port::Tcp& tcp, const Peer& peer);

  // Prints the summary line; true if nothing failed and something ran.
  bool summary() const;
  int failed() const { return failed_; }

 private:
  bool check(bool ok, const char* group, const char* what, long detail = 0);
  // Connects (bounded); the socket id or -1.
  port::SocketId connect(port::Tcp& tcp, const char* host, uint16_t port, int32_t* err);
  // Moves len bytes through op(offset) (a read or a write), bounded.
  template <typename Op>
  size_t transfer(size_t len, Op op);
  // Writes all of buf, waiting while the socket answers kWouldBlock (bounded).
  bool write_all(port::Tcp& tcp, port::SocketId s, const uint8_t* buf, size_t len);
  // Reads exactly len bytes (bounded); the count read.
  size_t read_exactly(port::Tcp& tcp, port::SocketId s, uint8_t* buf, size_t len);
  // The next read result that is not kWouldBlock (bounded: kTimeout).
  int32_t read_settled(port::Tcp& tcp, port::SocketId s, uint8_t* buf, size_t len);

  port::Clock& clock_;
  port::Poller& poller_;
  int passed_ = 0;
  int failed_ = 0;
};

}  // namespace mcujs::port_test
