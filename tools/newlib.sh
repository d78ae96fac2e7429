#!/usr/bin/env bash
# Build newlib 3.3.0 for one target into the cache, keyed by target and flags.
# usage: tools/newlib.sh [--prefix] TARGET "CFLAGS"
#   --prefix: only print where that build lives (or will live) in the cache.
#   Otherwise build it there unless present; the full log goes to build/logs/.
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL
only_prefix=0
if [ "${1:-}" = --prefix ]; then only_prefix=1; shift; fi
target=$1 cflags=$2 logdir=build/logs
src=/usr/src/newlib/newlib-3.3.0.tar.xz
cache=${GORO_CACHE:-$HOME/.cache/goro}
# io-long-long and io-c99-formats: %lld and %zu are right where long is 32 bits (ARM).
conf="--enable-newlib-retargetable-locking --disable-newlib-supplied-syscalls --disable-multilib
      --enable-newlib-io-long-long --enable-newlib-io-c99-formats"
key=$(printf '%s|%s|%s|v1' "$target" "$cflags" "$conf" | sha256sum | cut -c1-12)
prefix=$cache/newlib-$target-$key
if [ $only_prefix = 1 ] || [ -f "$prefix/.done" ]; then echo "$prefix"; exit 0; fi
[ -f "$src" ] || { echo "newlib: $src missing (apt-get install newlib-source)" >&2; exit 1; }
mkdir -p "$logdir" "$cache"
log=$logdir/newlib-$target.log
work=$(mktemp -d "$cache/build-$target.XXXXXX")
t0=$(date +%s)
phase() { echo "  newlib $target: $1 ($(( $(date +%s) - t0 )) s)" >&2; }
phase "unpacking"
tar -xJf "$src" -C "$work"
mkdir -p "$work/build"
phase "configuring (log: $log)"
( cd "$work/build" && "$work/newlib-salsa/configure" --target="$target" --prefix="$prefix" \
    $conf CFLAGS_FOR_TARGET="$cflags" ) >"$log" 2>&1 || { echo "newlib: configure failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
phase "compiling"
( cd "$work/build" && make -j"$(nproc)" all-target-newlib ) >>"$log" 2>&1 || { echo "newlib: build failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
phase "installing"
( cd "$work/build" && make install-target-newlib ) >>"$log" 2>&1 || { echo "newlib: install failed, see $log" >&2; exit 1; }
rm -rf "$work"
touch "$prefix/.done"
phase "done"
echo "$prefix"
