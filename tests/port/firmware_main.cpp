// The port conformance suite on an MPS2 board (mps2-an385, mps2-an505):
// the board's Platform (mps2::Mps2Platform) with the files of the bundle in
// its flash (bundle::BundleFiles) and the flash store in its storage
// partition, against the loopback peer on the host (10.0.2.2 from QEMU's
// user network). Run by tests/port/port_test.py through `mcujs qemu`; the
// peer's address is the bundle's file peer.txt, "IP:ECHO_PORT:CLOSED_PORT"
// (the board's own flash: semihosting serves only entropy and the exit).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <board.h>  // the board's name and flash layout
#include "bundle/files.h"
#include "bundle/reader.h"
#include "ports/mps2-an385/platform.h"
#include "tests/port/conformance.h"

namespace {

using namespace mcujs;

int run() {
  bundle::Reader app;
  const bundle::Expect expect{mps2::kBoardName, MCUJS_QUICKJS_VERSION, MCUJS_QUICKJS_BC_VERSION};
  if (app.open(reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(mps2::kBundleBase)), mps2::kBundleSize,
               expect) != bundle::Status::kOk) {
    printf("port: no bundle with the probe file at 0x%08lx\n", static_cast<unsigned long>(mps2::kBundleBase));
    return 65;
  }
  bundle::Entry peer{};
  char spec[48] = {};
  char host[16] = {};
  unsigned echo = 0, closed = 0;
  if (app.find(bundle::Kind::kFile, "peer.txt", &peer) && peer.size < sizeof spec) {
    memcpy(spec, peer.data, peer.size);
  }
  if (sscanf(spec, "%15[0-9.]:%u:%u", host, &echo, &closed) != 3 || !echo || !closed || echo > 65535 ||
      closed > 65535) {
    printf("port: the bundle's peer.txt must hold \"IP:ECHO_PORT:CLOSED_PORT\"\n");
    return 2;
  }
  bundle::BundleFiles files(app);
  mps2::Mps2Platform board(&files);
  if (board.mount_storage() != port::kOk) return 74;
  if (!board.net().up(10000)) {
    printf("port: no DHCP lease\n");
    return 1;
  }
  port::Platform& p = board.platform();
  port_test::Suite suite(*p.clock, *p.poller);
  suite.clock_checks();
  suite.entropy_checks(*p.entropy);
  static const char kProbe[] = "port conformance probe\n";
  suite.files_checks(*p.files, "probe.txt", reinterpret_cast<const uint8_t*>(kProbe), sizeof kProbe - 1,
                     "no-such-file.txt");
  suite.kv_checks(*p.kv, "flash store");
  suite.tcp_checks(*p.tcp, port_test::Peer{host, static_cast<uint16_t>(echo), static_cast<uint16_t>(closed)});
  return suite.summary() ? 0 : 1;
}

}  // namespace

int main() { return mcujs::mps2::run_image(run); }
