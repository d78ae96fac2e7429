"""`make bench`: builds tests/bench/*.c for each board and runs each image under
`-icount shift=0,sleep=off`, printing `bench <board> <name> <value> <unit>` lines and a
table. A bench image says `//! smp: N` (default 1) and `//! mode: mttcg` for figures
that need real parallelism (ratios measured within one run)."""
import os
import re

GOALS = {
    "gosched_switch": 120, "chan_pingpong": 400, "spawn_exit": 600, "mutex_uncontended": 30,
    "tick_overhead": 100, "chan_pingpong_cross": 2000, "trace_event": 40, "trace_pingpong_slowdown": 1.5,
}


def main(args, run):
    root = run.ROOT
    bdir = os.path.join(root, "tests", "bench")
    srcs = sorted(f for f in os.listdir(bdir) if f.endswith(".c"))
    if args.test:          # TEST=a,b: only these benchmarks
        srcs = [f for f in srcs if f[:-2] in args.test.split(",")]
    rows, failed = [], 0
    for board in args.boards:
        for src in srcs:
            meta = run.parse_meta(os.path.join(bdir, src))
            smp = int(meta["smp"].split()[0]) if "//! smp" in open(os.path.join(bdir, src)).read() else 1
            name = src[:-2]
            r = run.sh(["make", "-s", "--no-print-directory", "image", f"APP=tests/bench/{src}",
                        f"BOARD={board}", f"SMP={smp}", "-j2"])
            if r.returncode:
                print(f"bench build failed for {board} {src}:\n{r.stdout}{r.stderr}")
                failed += 1
                continue
            qemu = run.qemu_cmd(board, smp, "")
            elf = os.path.join(run.imgdir(board, smp, ""), name + ".elf")
            icount = meta.get("mode", "icount") == "icount"
            status, out, secs = run.run_image(qemu, elf, 1, icount, 600, smp)
            if status != 0:
                print(f"bench {board} {name} failed (exit {status}):\n{out[-2000:]}")
                failed += 1
                continue
            for line in out.splitlines():
                m = re.match(r"bench (\S+) (\S+) (.*)", line)
                if m:
                    rows.append((board, m.group(1), float(m.group(2)), m.group(3)))
                    print(f"bench {board} {m.group(1)} {m.group(2)} {m.group(3)}", flush=True)
                elif line.startswith("#"):
                    print(f"  {line}")
    print()
    print(f"{'board':20} {'benchmark':22} {'value':>10}  {'goal':>6}  unit")
    for board, name, value, unit in rows:
        goal = GOALS.get(name)
        print(f"{board:20} {name:22} {value:10.1f}  {goal if goal else '':>6}  {unit}")
    return 1 if failed else 0
