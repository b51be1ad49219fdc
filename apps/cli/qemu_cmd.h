// `mcujs qemu`: runs a board's runtime image under QEMU with a bundle in its
// flash partition, prints the UART and exits with the app's status
// (docs/firmware.md, "Running a bundle").
#pragma once

namespace mcujs::cli {

int qemu_main(int argc, char** argv, const char* self);  // argv[0] == "qemu"; self: this program's path

}  // namespace mcujs::cli
