"""The scheduler's regression guard: `make test` (or TEST=bench_guard) runs the scheduler
benchmarks under `-icount shift=0,sleep=off` on one board per architecture and fails
when a figure rises more than 5% above tests/bench/baseline.

Under icount the figures are instruction counts and deterministic on a given build
(two runs of the same image print the same numbers), so a rise is a change in the code,
not noise. A change that moves a figure on purpose updates tests/bench/baseline in the
same commit, and says why in its message:
    python3 tests/bench_guard.py --update      (reruns the benchmarks, rewrites the file)
A figure that fell more than 5% is reported (`# ... fell`) but passes: lower the
baseline so that the gain is kept.

The benchmarks guarded (GUARDED): sched_costs at one core and chan_pingpong_cross at
two, on qemu-virt-riscv64 and qemu-virt-arm (those of TEST_BOARDS, when given). Their
cost in make test: two links and three QEMU runs per board, about 20 s in all.

Negative control (run by hand; it builds a whole library, so it is not part of make
test): BENCH_GUARD_SLOW=1 builds the images with -DGORO_SLOW_SWITCH=1 in their own
BUILD_ROOT (build/slowswitch): execute() in runtime/sched.c then burns 64 extra
instructions per switch, and the guard must fail naming gosched_switch, chan_pingpong
and the others that switch:
    BENCH_GUARD_SLOW=1 make test TEST=bench_guard TEST_BOARDS=qemu-virt-riscv64"""
import os
import re
import sys

BOARDS = ["qemu-virt-riscv64", "qemu-virt-arm"]       # one per architecture
GUARDED = [("sched_costs.c", 1), ("chan_pingpong_cross.c", 2)]
TOLERANCE = 0.05
BASELINE = os.path.join("tests", "bench", "baseline")
SLOW_ROOT = os.path.join("build", "slowswitch")


def read_baseline(root):
    """{(board, name): value} from tests/bench/baseline (`board name value` lines, # comments)."""
    base = {}
    with open(os.path.join(root, BASELINE)) as f:
        for line in f:
            line = line.split("#")[0].split()
            if line:
                base[(line[0], line[1])] = float(line[2])
    return base


def measure(run, board, slow=False):
    """Runs the guarded benchmarks on board: ({name: value}, None) or (None, why)."""
    import bench
    figures = {}
    saved = os.environ.get("BUILD_ROOT")
    if slow:
        os.environ["BUILD_ROOT"] = SLOW_ROOT
        os.environ["EXTRA_CFLAGS"] = "-DGORO_SLOW_SWITCH=1"
    try:
        for src, smp in GUARDED:
            meta = run.parse_meta(os.path.join(run.ROOT, "tests", "bench", src))
            res = bench.run_one(run, board, src, smp, meta)
            if res is None:
                return None, f"{src[:-2]} did not run (see above)"
            figures.update({name: value for name, (value, unit) in res[0].items()})
    finally:
        if slow:
            os.environ.pop("EXTRA_CFLAGS", None)
            if saved is None:
                os.environ.pop("BUILD_ROOT", None)
            else:
                os.environ["BUILD_ROOT"] = saved
    return figures, None


def check(run, boards):
    """make test's part: (passed, failed), printing one ok/not ok line per board."""
    root = run.ROOT
    base = read_baseline(root)
    slow = os.environ.get("BENCH_GUARD_SLOW") == "1"
    passed = failed = 0
    for board in [b for b in BOARDS if b in boards]:
        figures, why = measure(run, board, slow)
        if figures is None:
            print(f"not ok - {board} bench_guard: {why}", flush=True)
            failed += 1
            continue
        rose, lines = [], []
        for (b, name), want in sorted(base.items()):
            if b != board:
                continue
            got = figures.get(name)
            if got is None:
                rose.append(f"{name} not measured")
                continue
            change = (got - want) / want
            lines.append(f"#   {board} {name} {got:.1f} (baseline {want:.1f}, {100 * change:+.1f}%)")
            if change > TOLERANCE:
                rose.append(f"{name} rose {100 * change:.1f}% above tests/bench/baseline ({got:.1f}, baseline {want:.1f})")
            elif change < -TOLERANCE:
                lines.append(f"#   {name} fell {-100 * change:.1f}%: lower tests/bench/baseline to keep the gain")
        if rose:
            print(f"not ok - {board} bench_guard: " + "; ".join(rose), flush=True)
            failed += 1
        else:
            n = sum(1 for (b, _) in base if b == board)
            print(f"ok - {board} bench_guard ({n} figures within 5% of tests/bench/baseline)", flush=True)
            passed += 1
        for l in lines:
            print(l, flush=True)
    return passed, failed


def update(run):
    """Reruns the guarded benchmarks and rewrites tests/bench/baseline."""
    root = run.ROOT
    with open(os.path.join(root, BASELINE)) as f:
        header = [l for l in f if l.startswith("#")]
    out = list(header)
    for board in BOARDS:
        figures, why = measure(run, board)
        if figures is None:
            sys.exit(f"bench_guard --update: {board}: {why}")
        for name in sorted(figures):
            out.append(f"{board} {name} {figures[name]:.1f}\n")
    with open(os.path.join(root, BASELINE), "w") as f:
        f.writelines(out)
    print("".join(out), end="")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run as runmod
    if sys.argv[1:] == ["--update"]:
        update(runmod)
    elif not sys.argv[1:]:
        p, f = check(runmod, BOARDS)
        sys.exit(1 if f else 0)
    else:
        sys.exit("usage: python3 tests/bench_guard.py [--update]")
