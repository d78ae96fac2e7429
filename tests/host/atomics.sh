#!/usr/bin/env bash
# Releasing compare-and-swaps (kernel/atomic.h says why): gcc 12 drops the release half
# of __atomic_compare_exchange_n on RISC-V, so every CAS whose success order releases
# (release, acq_rel, seq_cst) must be one of atomic.h's, which fence first. Checks:
#   1. no such CAS is written with the builtin in kernel/ or runtime/ (the arch
#      headers' own assembly aside), and the scan finds one in a planted copy (its
#      negative control);
#   2. the compiler still needs it: the builtin's release CAS on RISC-V has no fence
#      and no .rl, and atomic.h's has its fence (compiled with the project's
#      riscv64-unknown-elf-gcc). If a newer gcc maps the builtin right, 2 says so.
# Prints `ok - atomics ...` / `not ok - atomics ...`; exit status 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
failed=0

scan() {     # scan FILE...: prints file:line of each releasing builtin CAS
    python3 - "$@" <<'EOF'
import re, sys
for f in sys.argv[1:]:
    src = open(f).read()
    code = re.sub(r"/\*.*?\*/|//[^\n]*", lambda m: re.sub(r"[^\n]", " ", m.group()), src, flags=re.S)
    for m in re.finditer(r"__atomic_compare_exchange_n\s*\(", code):
        i, depth, args, cur = m.end(), 1, [], ""
        while depth:
            c = code[i]
            depth += c == "("
            depth -= c == ")"
            if c == "," and depth == 1:
                args.append(cur)
                cur = ""
            elif depth:
                cur += c
            i += 1
        args.append(cur)
        if len(args) == 6 and args[4].strip() in ("__ATOMIC_RELEASE", "__ATOMIC_ACQ_REL", "__ATOMIC_SEQ_CST"):
            print(f"{f}:{code.count(chr(10), 0, m.start()) + 1}")
EOF
}

files=$(find kernel runtime -name '*.[ch]' ! -name arch_impl.h ! -name atomic.h | sort)
bad=$(scan $files)
if [ -z "$bad" ]; then
    echo "ok - atomics: no releasing CAS in kernel/ or runtime/ but kernel/atomic.h's ($(echo $files | wc -w) files)"
else
    echo "not ok - atomics: releasing CAS written with the builtin (use kernel/atomic.h): $bad"
    failed=1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp runtime/mutex.c "$tmp/mutex.c"
printf 'static int planted(unsigned *p, unsigned o)\n{\n    return __atomic_compare_exchange_n(p, &o, 0, false,\n                                       __ATOMIC_RELEASE, __ATOMIC_RELAXED);\n}\n' >>"$tmp/mutex.c"
if [ -n "$(scan "$tmp/mutex.c")" ]; then
    echo "ok - atomics: the scan finds a releasing builtin CAS planted in a copy of runtime/mutex.c"
else
    echo "not ok - atomics: the scan misses a releasing builtin CAS planted in a copy of runtime/mutex.c"
    failed=1
fi

cc=riscv64-unknown-elf-gcc
if ! command -v $cc >/dev/null 2>&1; then
    echo "not ok - atomics: $cc is not installed (make deps)"
    exit 1
fi
cat >"$tmp/cas.c" <<'EOF'
#include "atomic.h"
_Bool raw(unsigned *p, unsigned o) { return __atomic_compare_exchange_n(p, &o, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED); }
_Bool fenced(unsigned *p, unsigned o) { return cas_release(p, &o, 0, 0); }
EOF
$cc -O2 -march=rv64gc -mabi=lp64d -ffreestanding -Ikernel -c "$tmp/cas.c" -o "$tmp/cas.o"
riscv64-unknown-elf-objdump -d --no-show-raw-insn "$tmp/cas.o" >"$tmp/cas.lst"
fn() { awk "/<$1>:/,/ret/" "$tmp/cas.lst"; }
if ! fn raw | grep -qE 'fence|\.rl'; then
    echo "ok - atomics: $($cc -dumpversion)'s builtin release CAS on RISC-V has no fence and no .rl (why kernel/atomic.h exists)"
else
    echo "ok - atomics: $($cc -dumpversion)'s builtin release CAS on RISC-V releases: kernel/atomic.h's fence is no longer needed"
fi
if fn fenced | grep -q 'fence'; then
    echo "ok - atomics: kernel/atomic.h's cas_release fences before its LR/SC on RISC-V"
else
    echo "not ok - atomics: kernel/atomic.h's cas_release has no fence on RISC-V"
    failed=1
fi
exit $failed
