#!/usr/bin/env bash
# Fetches the third-party sources named in deps/deps.lock, verifies each by
# SHA-256 and extracts it into third_party/<name>. Refuses a mismatch. Then
# applies our own patches to it, deps/patches/<name>/*.patch in name order
# (each says why; docs/runtime.md lists them).
#
#   tools/fetch-deps.sh [name...]        default: every entry
#   MCUJS_TARBALLS=dir                   take tarballs from dir (matched by hash)
#   MCUJS_DEPS_CACHE=dir                 download cache (default: .deps-cache)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
lock="$root/deps/deps.lock"
cache="${MCUJS_DEPS_CACHE:-$root/.deps-cache}"
dest="$root/third_party"
mkdir -p "$cache" "$dest"

want=("$@")
wanted() {
  [ ${#want[@]} -eq 0 ] && return 0
  local w; for w in "${want[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

sha_of() { sha256sum "$1" | awk '{print $1}'; }

# Finds a file with the given hash in $MCUJS_TARBALLS.
from_dir() {
  local sha=$1 f
  for f in "$MCUJS_TARBALLS"/*; do
    [ -f "$f" ] && [ "$(sha_of "$f")" = "$sha" ] && { echo "$f"; return 0; }
  done
  return 1
}

# Downloads a Debian source package into the cache (as the _apt user can't
# write everywhere, work in a directory it can write to).
from_apt() {
  local pkg=$1 ver=$2
  (cd "$cache" && chmod 0777 . 2>/dev/null || true
   apt-get source --download-only -qq "$pkg=$ver" >/dev/null 2>&1 ||
   { apt-get update -qq >/dev/null 2>&1 && apt-get source --download-only -qq "$pkg=$ver"; })
}

while read -r name pkg ver tarball sha top; do
  case "$name" in ''|'#'*) continue ;; esac
  wanted "$name" || continue
  stamp="$dest/$name/.mcujs-sha256"
  patches=()
  for p in "$root/deps/patches/$name"/*.patch; do [ -f "$p" ] && patches+=("$p"); done
  # The stamp: the tarball's hash and, per patch, its hash (a changed patch re-extracts).
  want_stamp=$sha
  for p in "${patches[@]+"${patches[@]}"}"; do want_stamp="$want_stamp $(sha_of "$p")"; done
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
    continue
  fi
  if [ -n "${MCUJS_TARBALLS:-}" ]; then
    file=$(from_dir "$sha") || { echo "fetch-deps: no file with SHA-256 $sha ($name) in $MCUJS_TARBALLS" >&2; exit 1; }
  else
    file="$cache/$tarball"
    if [ ! -f "$file" ] || [ "$(sha_of "$file")" != "$sha" ]; then
      echo "fetch-deps: apt-get source $pkg=$ver"
      from_apt "$pkg" "$ver" || {
        echo "fetch-deps: cannot fetch source package $pkg=$ver (run tools/setup.sh to enable deb-src entries)" >&2
        exit 1; }
    fi
  fi
  got=$(sha_of "$file")
  if [ "$got" != "$sha" ]; then
    echo "fetch-deps: SHA-256 mismatch for $name ($file)" >&2
    echo "  expected $sha" >&2
    echo "  got      $got" >&2
    echo "  refusing to use it; check deps/deps.lock and the source of the file" >&2
    exit 1
  fi
  rm -rf "$dest/$name" "$dest/.extract-$name"
  mkdir -p "$dest/.extract-$name"
  tar -xf "$file" -C "$dest/.extract-$name"
  [ -d "$dest/.extract-$name/$top" ] || { echo "fetch-deps: $file has no $top/ directory" >&2; exit 1; }
  mv "$dest/.extract-$name/$top" "$dest/$name"
  rmdir "$dest/.extract-$name"
  for p in "${patches[@]+"${patches[@]}"}"; do
    patch -p1 -s -N -d "$dest/$name" <"$p" || { echo "fetch-deps: $p does not apply to $name" >&2; rm -rf "${dest:?}/$name"; exit 1; }
    echo "fetch-deps: $name: applied $(basename "$p")"
  done
  echo "$want_stamp" > "$stamp"
  echo "fetch-deps: $name ok ($sha)"
done < "$lock"
