# The front door. Each target installs what it needs (Debian packages,
# pinned third-party sources), so they work from a clean clone.
#   make build   - build the host CLI at build/host/mcujs
#   make test    - build and run all tests, then again under ASan + UBSan
#   make demo    - run the demo (sensor hub -> receiver -> dashboard)
#   make demo-tls - the article's request to a local openssl s_server
.PHONY: all setup deps build build-asan test test-host test-asan demo demo-tls clean

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

test: test-host test-asan

demo: build
	bash tools/demo.sh

demo-tls: build
	bash tools/demo-tls.sh

clean:
	rm -rf build
