#!/usr/bin/env python3
"""execprof: instructions per function of a window of a run, from QEMU's exec log.

  tools/execprof/execprof.py BOARD [APP] [N]

Builds APP (default tools/execprof/pingpong.c: N=200 chan_pingpong round trips, the
window between its two prof_mark calls) for BOARD at one core, boots it under
-icount shift=0,sleep=off with -singlestep -d exec,nochain (one log line per
instruction executed), and prints the instructions of the window per function (by the
ELF's symbols: assembly without a size counts for the symbol before it), divided by
N, largest first. EXECPROF_FUNC=name also prints each pc of that function executed in
the window with its count per round trip (to read beside make lst's listing). QEMU 7.2: -singlestep makes each translation block one instruction.

EXECPROF_SMP=2 (tools/execprof/cross.c, spawn.c is SMP 1) boots that many cores and
counts every core's instructions; there the log is per translation block (see below),
and much longer (the boot's waits for the other cores are logged too: minutes).
EXECPROF_KEEP=1 keeps the log; EXECPROF_LOG=path [EXECPROF_ELF=image] reads a kept one
again without building or running."""
import bisect
import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    board = sys.argv[1]
    app = sys.argv[2] if len(sys.argv) > 2 else "tools/execprof/pingpong.c"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    smp = os.environ.get("EXECPROF_SMP", "1")     # cross.c: 2 (every core's instructions count)
    elf = os.path.join(ROOT, "build", board, f"smp{smp}", os.path.basename(app)[:-2] + ".elf")
    if os.environ.get("EXECPROF_LOG"):   # a kept log (EXECPROF_KEEP) read again, with its image
        elf = os.environ.get("EXECPROF_ELF", elf)
    else:
        subprocess.run(["make", "-s", "--no-print-directory", "image", f"APP={app}", f"BOARD={board}",
                        f"SMP={smp}", "-j2"], cwd=ROOT, check=True)
    qemu = subprocess.run(["make", "-s", "--no-print-directory", "print-qemu", f"BOARD={board}", f"SMP={smp}"],
                          cwd=ROOT, text=True, capture_output=True, check=True).stdout.split()
    qemu = [a + ",arg=seed=1,arg=smp=" + smp if a.startswith("enable=on,target=native") else a for a in qemu]
    log = os.path.join(ROOT, "build", board, f"execprof-{os.getpid()}.log")   # beside the image
    # At SMP > 1 -singlestep starves every vCPU but the first (QEMU 7.2's round robin
    # under icount never gets to the second), so there the log is per translation block:
    # in_asm lists each block's instructions when it is translated, exec each run of it.
    tb = smp != "1"
    trace = ["-d", "exec,nochain,in_asm"] if tb else ["-singlestep", "-d", "exec,nochain"]
    if tb:   # the boot's waits for the other cores (kmain, kmain_secondary) left out of the log
        nm_s = subprocess.run(["nm", "-n", "-S", elf], text=True, capture_output=True, check=True).stdout
        holes = sorted((int(w[0], 16), int(w[0], 16) + int(w[1], 16)) for w in (l.split() for l in nm_s.splitlines())
                       if len(w) == 4 and w[3] in ("kmain", "kmain_secondary"))
        ranges, lo = [], 0
        for a, b in holes:
            if a > lo:
                ranges.append(f"0x{lo:x}..0x{a - 1:x}")
            lo = b
        ranges.append(f"0x{lo:x}..0xffffffff")
        trace += ["-dfilter", ",".join(ranges)]
    if os.environ.get("EXECPROF_LOG"):   # a log kept before (EXECPROF_KEEP): read it again
        log = os.environ["EXECPROF_LOG"]
    else:
        subprocess.run(qemu + ["-kernel", elf, "-icount", "shift=0,sleep=off"] + trace + ["-D", log],
                       cwd=ROOT, check=True, capture_output=True)
    nm = subprocess.run(["nm", "-n", elf], text=True, capture_output=True, check=True).stdout
    syms = []
    for line in nm.splitlines():
        w = line.split()
        if len(w) == 3 and w[1] in "tTwW" and not w[2].startswith("$"):
            syms.append((int(w[0], 16), w[2]))
    addrs = [a for a, _ in syms]
    mark = [a for a, s in syms if s == "prof_mark"][0]
    pcre = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    insre = re.compile(r"^0x([0-9a-f]+):")
    counts, marks = collections.Counter(), 0
    pcs, only = collections.Counter(), os.environ.get("EXECPROF_FUNC")
    blocks, block = {}, None    # tb: a block's start pc -> its instructions' pcs (last translation)
    with open(log) as f:
        for line in f:
            if tb:
                if line.startswith("IN:"):
                    block = []
                    continue
                if block is not None:
                    m = insre.match(line)
                    if m:
                        block.append(int(m.group(1), 16))
                        continue
                    if block:           # its end; lines before the first ("Priv: 3") skipped
                        blocks[block[0]] = block
                        block = None
                    continue
            m = pcre.match(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            if pc == mark:
                marks += 1
                if marks == 2:
                    break
                continue
            if marks == 1:
                for ipc in blocks.get(pc, [pc]) if tb else [pc]:
                    sym = syms[bisect.bisect_right(addrs, ipc) - 1][1]
                    counts[sym] += 1
                    if sym == only:
                        pcs[ipc] += 1
    if not os.environ.get("EXECPROF_KEEP") and not os.environ.get("EXECPROF_LOG"):
        os.unlink(log)
    else:
        print("log:", log)
    total = sum(counts.values())
    for pc in sorted(pcs):      # EXECPROF_FUNC=name: that function's instructions, each with its count
        print(f"{pc:x} {pcs[pc] / n:6.2f}")
    for s, c in counts.most_common():
        print(f"{c / n:8.1f}  {s}")
    print(f"{total / n:8.1f}  total per round trip ({total} instructions, {n} round trips)")


if __name__ == "__main__":
    main()
