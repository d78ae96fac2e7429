#!/usr/bin/env bash
# make debug: gdb-multiarch with tools/gdb/goro.py on QEMU's GDB stub (qemu) or a board through OpenOCD (openocd).
# Usage: tools/gdb/debug.sh qemu|openocd ELF BOARD PORT PROBE QEMU-COMMAND...
#   qemu     QEMU halted (-S) with its stub on PORT (default 1234); one GDB thread per core
#   openocd  OpenOCD with PROBE (its interface config) and board/BOARD/openocd.cfg, GDB on
#            PORT (default 3333); the image is loaded and every core set at its entry (goro-load)
set -uo pipefail
cd "$(dirname "$0")/../.."
target=$1 elf=$2 board=$3 port=$4 probe=$5
shift 5
gdb=(gdb-multiarch -q -x tools/gdb/goro.py "$elf")
command -v gdb-multiarch >/dev/null || { echo "error: make debug: gdb-multiarch not found; run 'make deps'" >&2; exit 2; }

case "$target" in
qemu)
    port=${port:-1234}
    echo "QEMU halted with a GDB stub on :$port; each core is a GDB thread; info goroutines, goroutine N bt"
    "$@" -kernel "$elf" -S -gdb "tcp:127.0.0.1:$port" &
    qpid=$!
    "${gdb[@]}" -ex "target remote 127.0.0.1:$port"
    kill "$qpid" 2>/dev/null
    wait "$qpid" 2>/dev/null
    exit 0 ;;
openocd)
    port=${port:-3333}
    cfg=board/$board/openocd.cfg
    [ -f "$cfg" ] || { echo "error: make debug TARGET=openocd: $board has no $cfg" >&2; exit 2; }
    [ -n "$probe" ] || { echo "error: make debug TARGET=openocd: no probe; set PROBE= to its OpenOCD interface config" >&2; exit 2; }
    command -v openocd >/dev/null || { echo "error: make debug: openocd not found; run 'make deps'" >&2; exit 2; }
    log=$(mktemp)
    openocd -c "gdb_port $port" -c "telnet_port disabled" -c "tcl_port disabled" -f "$probe" -f "$cfg" >"$log" 2>&1 &
    opid=$!
    for _ in $(seq 50); do                       # up to 15 s for the GDB port
        if ! kill -0 "$opid" 2>/dev/null; then
            echo "error: make debug: openocd exited: is the probe ($probe) plugged in, wired to $board's JTAG pins, and the board powered?" >&2
            tail -5 "$log" | sed 's/^/  /' >&2
            rm -f "$log"
            exit 2
        fi
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.3
    done
    "${gdb[@]}" -ex "target extended-remote 127.0.0.1:$port" -ex "goro-load openocd"
    kill "$opid" 2>/dev/null
    wait "$opid" 2>/dev/null
    rm -f "$log"
    exit 0 ;;
*)
    echo "error: make debug: TARGET must be qemu or openocd, not '$target'" >&2
    exit 2 ;;
esac
