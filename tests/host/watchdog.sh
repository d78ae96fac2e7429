#!/usr/bin/env bash
# The watchdog limits' order (kernel/watchdog.h) is checked at compile time: the default
# compiles, moving the world's limit alone keeps the order (the lock and poke limits
# follow it), and a setting that inverts the order is a build error.
set -uo pipefail
cd "$(dirname "$0")/../.."
CC=${HOST_CC:-cc}
check() {   # want (ok|fail), description, flags...
    local want=$1 what=$2; shift 2
    if echo '#include "watchdog.h"' | "$CC" -fsyntax-only -x c -Ikernel "$@" - 2>/dev/null; then got=ok; else got=fail; fi
    if [ "$got" = "$want" ]; then echo "ok - host watchdog: $what"; else echo "not ok - host watchdog: $what (compiled: $got, want $want)"; fi
}
check ok   "the default limits are ordered"
check ok   "GORO_WATCHDOG_NS=500 ms alone keeps the order" -DGORO_WATCHDOG_NS=500000000LL
check fail "a lock limit above the world's is an error" -DWATCHDOG_LOCK_NS=3000000000LL
check fail "a world limit above the boot limit is an error" -DGORO_WATCHDOG_NS=20000000000LL
check fail "a poke limit above the lock limit is an error" -DWATCHDOG_POKE_NS=1500000000LL
