#!/usr/bin/env bash
# make deps: install the Debian packages goro needs (as root; otherwise print the
# apt-get command and fail), then build newlib for every board's target into the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs="gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf gcc-arm-none-eabi
binutils-arm-none-eabi qemu-system-misc qemu-system-arm newlib-source openocd
gdb-multiarch spin python3 libc6-dev gcc make"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
t0=$(date +%s)
if [ -n "$missing" ]; then
    cmd="apt-get install -y --no-install-recommends$missing"
    if [ "$(id -u)" != 0 ]; then
        echo "deps: missing Debian packages:$missing" >&2
        echo "deps: run as root:  apt-get update && $cmd" >&2
        exit 1
    fi
    echo "deps: installing$missing"
    mkdir -p build/logs
    { apt-get update && DEBIAN_FRONTEND=noninteractive $cmd; } >build/logs/apt.log 2>&1 ||
        { echo "deps: apt-get failed, see build/logs/apt.log" >&2; tail -20 build/logs/apt.log >&2; exit 1; }
    echo "deps: packages installed ($(( $(date +%s) - t0 )) s)"
fi
for b in board/*/; do
    b=$(basename "$b")
    make -s --no-print-directory newlib BOARD="$b" SMP=1 RAW=0  # any valid SMP (boards differ in SMP_MAX); RAW=1 is raspi2b's only
done
