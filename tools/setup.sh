#!/usr/bin/env bash
# Installs what building and testing mcujs needs on Debian 12 (as root), and
# enables deb-src entries for bookworm and trixie so that tools/fetch-deps.sh can
# fetch the pinned source packages. Idempotent: a second run changes nothing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config   # toolchain
  libgtest-dev googletest                         # C++ unit tests
  dpkg-dev xz-utils bzip2 ca-certificates patch   # apt-get source, tarballs, our patches to them
  openssl gnutls-bin                              # real TLS peers in tests
  procps psmisc iproute2 curl                     # test harness helpers
  libssl-dev nlohmann-json3-dev                   # receiver: TLS (OpenSSL), JSON
  libsqlite3-dev sqlite3 libcurl4-openssl-dev     # receiver: storage, SMTP client
  postfix                                         # smtp-sink: a real SMTP peer in tests
  chromium                                        # dashboard test in headless Chromium
  gcc-arm-none-eabi libnewlib-arm-none-eabi       # firmware toolchain (Cortex-M3)
  libstdc++-arm-none-eabi-newlib qemu-system-arm  # firmware C++ runtime, the board
  valgrind                                        # bench/: instruction counts
  chrony                                          # a real NTP server for the firmware's SNTP tests
  clang-14 libclang-rt-14-dev                     # tests/fuzz: libFuzzer, ASan + UBSan (preset fuzz)
  libboost-dev python3                            # receiver: Asio/Beast HTTP server; test drivers
  wrk                                             # bench/receiver_load.sh: the load client (node + npm: the machine's own)
  postgresql libpq-dev                            # receiver: PostgreSQL store and its test server
)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Source entries: reuse the URI of the Debian archive this machine already uses,
# so no mirror is hard-coded here.
SRC_FILE=/etc/apt/sources.list.d/mcujs-src.sources
need_update=0
if [ ! -f "$SRC_FILE" ]; then
  uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  if [ -z "$uri" ]; then
    echo "setup: cannot find the Debian archive URI in the apt configuration" >&2
    exit 1
  fi
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" | $SUDO tee "$SRC_FILE" >/dev/null
  need_update=1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "$need_update" -eq 1 ] || [ ${#missing[@]} -gt 0 ] || [ -n "${MCUJS_APT_UPDATE:-}" ]; then
  $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  # Postfix is installed only for its smtp-sink test server: no MTA setup.
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup: ok"
