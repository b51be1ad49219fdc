# The front door. Each target installs what it needs (Debian packages,
# pinned third-party sources), so they work from a clean clone.
#   make build   - build the host CLI at build/host/mcujs
#   make test    - build and run all tests, then again under ASan + UBSan, then the firmware under QEMU
#   make demo    - run the demo (sensor hub -> receiver -> dashboard)
#   make demo-tls - the article's request to a local openssl s_server
#   make firmware - the Cortex-M3 runtime image, build/mps2-an385/mcujs-runtime.elf
#   make qemu     - run it under QEMU (mps2-an385) and print the budget report
#                   (BOARD=mps2-an505: the same on the Cortex-M33 board)
#                   (QEMU_ICOUNT=1: deterministic instruction counting)
#   make test-firmware - boot the firmware test images under QEMU (both boards)
#   make firmware-an505 - the Cortex-M33 runtime image, build/mps2-an505/mcujs-runtime.elf
#   make test-fuzz - the libFuzzer targets (clang-14, ASan + UBSan), each for a bounded time
.PHONY: all setup deps build build-asan test test-host test-asan demo demo-tls clean \
        firmware qemu test-firmware build-fuzz test-fuzz firmware-an505

all: build

setup:
	bash tools/setup.sh

deps: setup
	bash tools/fetch-deps.sh

build: deps
	cmake --preset host >/dev/null
	cmake --build --preset host

build-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan

test-host: build
	ctest --preset host

test-asan: build-asan
	ctest --preset asan

test: test-host test-asan test-firmware test-fuzz

build-fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz

test-fuzz: build-fuzz
	ctest --preset fuzz

demo: build
	bash tools/demo.sh

demo-tls: build
	bash tools/demo-tls.sh

FW_DIR := build/mps2-an385
QEMU_ICOUNT ?= 0

firmware: deps
	cmake --preset mps2-an385 >/dev/null
	cmake --build --preset mps2-an385

# The firmware next to the receiver on the host (tools/fw_qemu.sh): the
# receiver's database is in $(FW_DIR)/run/, the device's flash starts erased
# at each run; `mcujs qemu` ends with the app's exit status.
# BOARD=mps2-an505: that board's image and build tree (build/mps2-an505/).
BOARD ?= mps2-an385
qemu: deps build
	cmake --preset $(BOARD) >/dev/null
	cmake --build --preset $(BOARD)
	bash tools/fw_qemu.sh build/$(BOARD) build/host/mcujs-receiver $(QEMU_ICOUNT)

# The second board (mps2-an505, Cortex-M33): its own build tree; the port
# suite, the app tests (hello, bundle, sensor hub e2e and outage, the full
# API, localStorage) and the crash report. The network, TLS-profile, clock and power-cut
# tests run on the mps2-an385 only: the same drivers and stack, and CI time;
# the headroom probe measures the 128 KB board's budget (issue 11).
FW505_DIR := build/mps2-an505
FW505_SKIP := firmware\.(net|tls|time|hub_power_cuts|hello_icount|headroom)$$

firmware-an505: deps
	cmake --preset mps2-an505 >/dev/null
	cmake --build --preset mps2-an505

test-firmware: firmware firmware-an505 build
	ctest --test-dir $(FW_DIR) -L firmware --output-on-failure
	ctest --test-dir $(FW505_DIR) -L firmware -E '$(FW505_SKIP)' --output-on-failure

clean:
	rm -rf build
