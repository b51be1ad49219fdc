// The port conformance suite on the linux backend (tests/port/port_test.py
// starts the loopback peer and runs this): the LinuxPlatform's clock,
// entropy, files, key-value store and sockets, and the flash store
// (storage::FlashKvStore) on a NOR flash in RAM, as the boards run it.
//   port_conformance_host PEER_HOST ECHO_PORT CLOSED_PORT FILE KV_DIR
// FILE holds the text "port conformance probe\n".
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ports/linux/linux_port.h"
#include "storage/flash_kv.h"
#include "storage/nor_flash.h"
#include "tests/port/conformance.h"

int main(int argc, char** argv) {
  using namespace mcujs;
  if (argc != 6) {
    fprintf(stderr, "usage: %s PEER_HOST ECHO_PORT CLOSED_PORT FILE KV_DIR\n", argv[0]);
    return 2;
  }
  linux_port::LinuxPlatform host(argv[5]);
  port::Platform& p = host.platform();
  port_test::Suite suite(*p.clock, *p.poller);
  suite.clock_checks();
  suite.entropy_checks(*p.entropy);
  static const char kProbe[] = "port conformance probe\n";
  suite.files_checks(*p.files, argv[4], reinterpret_cast<const uint8_t*>(kProbe), sizeof kProbe - 1,
                     "no-such-file.txt");
  suite.kv_checks(*p.kv, "directory");
  // The flash store as the boards have it: 32 sectors of 4 KB.
  std::vector<uint8_t> flash(32 * 4096, 0xFF);
  storage::MemNor nor(flash.data(), flash.size(), 4096);
  storage::FlashKvStore flash_kv(nor);
  if (flash_kv.mount() != port::kOk) {
    printf("port: FAIL kv (flash store): mount\n");
    return 1;
  }
  suite.kv_checks(flash_kv, "flash store");
  const port_test::Peer peer{argv[1], static_cast<uint16_t>(atoi(argv[2])), static_cast<uint16_t>(atoi(argv[3]))};
  suite.tcp_checks(*p.tcp, peer);
  return suite.summary() ? 0 : 1;
}
