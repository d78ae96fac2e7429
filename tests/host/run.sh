#!/usr/bin/env bash
# Host unit tests: builds tests/host/test_*.c with the host cc under ASan and UBSan into
# build/host/, each linked with the kernel/runtime files it tests, kernel/spinlock.c
# and the shim, and runs them. Every test prints `ok - host ...` / `not ok - host ...`
# per case; a binary that fails to build, crashes or hangs gets its own `not ok` line.
# Usage: bash tests/host/run.sh (HOST_CC=clang for another compiler; HOST_SEED=N replays
# the seed a failure printed). Expect about 3 s: the run queue's concurrency test runs for
# 1 s, longer (up to 7 s) only if the machine is too busy for its threads to meet.
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT=build/host
mkdir -p "$OUT"
CC=${HOST_CC:-cc}
CFLAGS=(-std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror -pthread -DGORO_TRACE_HOOKS=0
        -fsanitize=address,undefined -fno-sanitize-recover=all
        -DGORO_SMP_MAX=8 -DGORO_UNWRAPPED=0 -DGORO_BARE=0 -D__DYNAMIC_REENT__ -Wmissing-prototypes -Wstrict-prototypes -Itests/host/arch -Itests/host -Ikernel -Iruntime)
COMMON=(tests/host/shim.c kernel/spinlock.c)

# test name and the files under test
TESTS=(
    "fmt kernel/fmt.c"
    "cmdline kernel/cmdline.c kernel/fmt.c"
    "runq runtime/runq.c"
    "timer runtime/timer.c runtime/lock.c"
)

status=0
build() {   # name, files under test
    "$CC" "${CFLAGS[@]}" -o "$OUT/test_$1" "tests/host/test_$1.c" "${@:2}" "${COMMON[@]}" \
        >"$OUT/test_$1.build.log" 2>&1
}

# Build in parallel (two cores), then run one at a time.
pids=()
for t in "${TESTS[@]}"; do
    set -- $t
    build "$@" &
    pids+=($!)
done
built=()
for i in "${!TESTS[@]}"; do
    set -- ${TESTS[$i]}
    if wait "${pids[$i]}"; then
        built+=("$1")
    else
        echo "not ok - host $1: build failed: $(grep -m1 -E 'error|undefined' "$OUT/test_$1.build.log" || true)"
        cat "$OUT/test_$1.build.log" >&2
        status=1
    fi
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
for name in "${built[@]}"; do
    log="$OUT/test_$name.log"
    rc=0
    timeout 60 "$OUT/test_$name" >"$log" 2>&1 || rc=$?
    cat "$log"
    if [ "$rc" -ne 0 ]; then
        status=1
        if ! grep -q '^not ok' "$log"; then
            why=$(grep -m1 -E 'ERROR: AddressSanitizer|runtime error|LeakSanitizer|panic' "$log" || true)
            [ "$rc" -eq 124 ] && why="timed out after 60 s"
            echo "not ok - host $name: exit $rc${why:+: $why}"
        fi
    fi
done
exit $status
