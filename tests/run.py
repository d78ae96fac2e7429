#!/usr/bin/env python3
"""goro's test runner: builds every test image for every board, boots each under QEMU
with a timeout, and checks its `ok - name` / `not ok - name: why` lines and exit status.

A test image is tests/<name>.c. Its header may say, in lines starting with `//!`:
  smp: 1 2 4 8          core counts to run it with (default: 1 2 4; 8 only where the board has 8)
  expect: exit 2        the exit status it must end with (default 0)
  output: REGEX         a line of its output must match (expected failures check their message);
                        several output lines: each must match some line
  timeout: 60           seconds of host time before it counts as hung (default 60)
  seeds: 3              run it this many times with seed=1..N (MTTCG interleavings differ)
  icount: yes           also run it once under -icount shift=0,sleep=off (deterministic)
                        (only: that run alone, no MTTCG runs; a check made only under icount)
  alone: yes            its MTTCG runs measure host-clocked board time: run them after
                        the others, one at a time, so no other QEMU competes for the host
  boards: a b           only on these boards
  variant: unwrapped    build with UNWRAPPED=1 (gccheck: GCCHECK=1; hyp: boot with HYP=1;
                        raw: RAW=1, boot the raw image as the board's firmware would)
  soak: yes             one of make soak's torture tests (not a difference to make test)
  raw: yes              also run it once as variant raw, at the board's SMP_MAX cores, on
                        boards that boot a raw image (RAW_LOAD_ADDR in board.mk: raspi2b)
  lockrank: yes         also run once (seed 1, its largest core count) in a LOCKRANK=1 build on
                        one board per architecture (LOCKRANK_BOARDS): every lock taken is
                        checked against kernel/lockrank.h's order
  only: hil             not in this suite: an image for tests/hil/ (hil) or tests/gdb/ (gdb)
                        (long: run only when TEST names it, too long for make test's budget)
  stdin: FILE [N=FILE2] feed tests/data/FILE to the console UART (QEMU's -serial stdio); at
                        N cores feed FILE2 instead (a long stream where a run is cheap)
  stdin_after: REGEX    feed it only once a line of output matches REGEX, and 0.3 s later
                        (input that comes while the test is parked reading the console)
  args: k=v ...         add these to the image's command line (debug knobs of negative controls)
  verify: lines         every `L id seq payload sum` line is intact and counted (printf tests)
  trace: [console] [arg:k=v] [checker options]   run traced (trace= on the command line, or
                        console frames) and add the lines of tools/trace/gorotrace.py check
A timeout or an unexpected status is a failure that shows the image's last lines.
The images are built once per board and variant (`make images TEST=...`, only those the
plan runs), linked for the board's SMP_MAX cores; a run starts `smp=N` of them (the
command line) on a QEMU with -smp N.
After the images, the benchmark guard (tests/bench_guard.py: the scheduler's icount
figures against tests/bench/baseline) runs when TEST is empty or names bench_guard.
Prints one line per run and ends with `N passed, N failed`; exits non-zero on failure.
"""
import argparse
import concurrent.futures
import itertools
import os
import re
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BOARDS = ["qemu-virt-riscv64", "qemu-virt-arm", "raspi2b", "sifive-u"]
LOCKRANK_BOARDS = ["qemu-virt-riscv64", "qemu-virt-arm"]   # one per architecture


def sh(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True, **kw)


def boards_available():
    return [b for b in DEFAULT_BOARDS if os.path.isdir(os.path.join(ROOT, "board", b))]


def board_smp_max(board):
    with open(os.path.join(ROOT, "board", board, "board.mk")) as f:
        m = re.search(r"^SMP_MAX\s*:?=\s*(\d+)", f.read(), re.M)
    return int(m.group(1)) if m else 1


def parse_meta(path):
    meta = {"smp": "1 2 4", "expect": "exit 0", "timeout": "60", "seeds": "1"}
    with open(path) as f:
        for line in f:
            m = re.match(r"//!\s*(\w+):\s*(.*\S)", line)
            if m and m.group(1) == "output":
                meta.setdefault("output", []).append(m.group(2))
            elif m:
                meta[m.group(1)] = m.group(2)
    return meta


def board_raw(board):
    """Whether the board boots a raw image (RAW=1: board.mk's RAW_LOAD_ADDR)."""
    with open(os.path.join(ROOT, "board", board, "board.mk")) as f:
        return re.search(r"^RAW_LOAD_ADDR\s*:?=", f.read(), re.M) is not None


VARIANT_VARS = {"": [], "unwrapped": ["UNWRAPPED=1"], "gccheck": ["GCCHECK=1"], "hyp": ["HYP=1"], "raw": ["RAW=1"],
                "lockrank": ["LOCKRANK=1"]}
BUILD_SUFFIX = {"": "", "unwrapped": "-unwrapped", "gccheck": "-gccheck", "hyp": "", "raw": "-raw", "lockrank": "-lockrank"}


def variant_vars(variant):
    return VARIANT_VARS[variant]


def build_variant(variant):
    """The build a variant's images come from (hyp boots the plain images differently)."""
    return "" if variant == "hyp" else variant


def build(board, variant, tests, jobs):
    """Builds the test images named in tests for one board and variant: None, or the error."""
    cmd = ["make", "-s", "--no-print-directory", f"-j{jobs}", "images", f"BOARD={board}",
           "TEST=" + ",".join(sorted(tests))]
    r = sh(cmd + variant_vars(variant))
    if r.returncode != 0:
        return r.stdout + r.stderr
    return None


def qemu_cmd(board, smp, variant):
    r = sh(["make", "-s", "--no-print-directory", "print-qemu", f"BOARD={board}", f"SMP={smp}"] +
           variant_vars(variant))
    return shlex.split(r.stdout.strip())


def imgdir(board, smp, variant):
    """Where `make image SMP=smp` puts an application image (bench.py)."""
    return os.path.join(ROOT, os.environ.get("BUILD_ROOT", "build"), board + BUILD_SUFFIX[variant], f"smp{smp}")


def test_image(board, variant, t):
    """A test image (make images): the ELF, or for variant raw the raw image QEMU boots."""
    d = os.path.join(ROOT, os.environ.get("BUILD_ROOT", "build"), board + BUILD_SUFFIX[variant], "tests")
    return os.path.join(d, t + (".bin" if variant == "raw" else ".elf"))


def stdin_file(meta, smp):
    """The file under tests/data/ that `stdin: FILE [N=FILE2 ...]` feeds at smp cores, or None."""
    words = meta.get("stdin", "").split()
    pick = words[0] if words else None
    for w in words[1:]:
        n, _, f = w.partition("=")
        if n == str(smp):
            pick = f
    return pick


def run_fed(cmd, path, after, timeout):
    """Runs cmd, writing the file at path to its stdin (through a pipe) once a line of its
    output matches the regex after, and 0.3 s later; returns (status or None, output)."""
    import threading
    p = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    outs, seen = {"out": [], "err": []}, threading.Event()
    want = re.compile(after)

    def pump(f, key):
        for line in iter(f.readline, b""):
            outs[key].append(line)
            if key == "out" and want.search(line.decode(errors="replace").rstrip("\r\n")):
                seen.set()

    def feed():
        if not seen.wait(timeout) or p.poll() is not None:
            return
        time.sleep(0.3)
        try:
            with open(path, "rb") as f:
                p.stdin.write(f.read())
            p.stdin.close()
        except (BrokenPipeError, OSError):
            pass                        # it ended before reading it all

    threads = [threading.Thread(target=pump, args=(p.stdout, "out"), daemon=True),
               threading.Thread(target=pump, args=(p.stderr, "err"), daemon=True),
               threading.Thread(target=feed, daemon=True)]
    for t in threads:
        t.start()
    try:
        status = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        status = None
    seen.set()
    for t in threads[:2]:
        t.join(5)
    return status, b"".join(outs["out"] + outs["err"]).decode(errors="replace")


def run_image(qemu, elf, seed, icount, timeout, smp=0, extra="", stdin=None, stdin_after=None):
    cmd = list(qemu)
    for i, a in enumerate(cmd):
        if a.startswith("enable=on,target=native"):
            cmd[i] = a + f",arg=seed={seed},arg=smp={smp}" + (",arg=icount=1" if icount else "") + extra
    cmd += ["-kernel", elf]
    cmd += ["-icount", "shift=0,sleep=off"] if icount else ["-accel", "tcg,thread=multi"]
    t0 = time.time()
    if stdin and stdin_after:
        status, out = run_fed(cmd, os.path.join(ROOT, "tests", "data", stdin), stdin_after, timeout)
        return status, out.replace("\r", ""), time.time() - t0
    try:
        with open(os.path.join(ROOT, "tests", "data", stdin), "rb") if stdin else open(os.devnull, "rb") as f:
            p = subprocess.run(cmd, cwd=ROOT, stdin=f, capture_output=True, timeout=timeout)
        out = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
        return p.returncode, out.replace("\r", ""), time.time() - t0
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") + (e.stderr or b"").decode(errors="replace")
        return None, out.replace("\r", ""), time.time() - t0


def judge(meta, status, out):
    """Returns None if the run passed, else the reason."""
    want = int(meta["expect"].split()[-1])
    lines = out.splitlines()
    if status is None:
        return "timed out (hung)"
    bad = [l for l in lines if l.startswith("not ok")]
    for want_re in meta.get("output", []):
        if not any(re.search(want_re, l) for l in lines):
            return f"no output line matches /{want_re}/ (exit {status})"
    if status != want:
        return f"exit status {status}, want {want}" + (f"; {bad[0]}" if bad else "")
    if meta.get("verify") == "lines":
        why = verify_lines(lines)
        if why:
            return why
    if want == 0:
        if bad:
            return bad[0]
        if not any(l.startswith("ok ") for l in lines):
            return "no `ok` line"
    return None


def verify_lines(lines):
    """`L id seq payload sum` lines must be intact and as many as `L-count N` says."""
    n, want = 0, None
    for l in lines:
        if l.startswith("L-count "):
            want = int(l.split()[1])
        elif l.startswith("L "):
            f = l.split(" ")
            if len(f) != 5 or sum(f[3].encode()) != int(f[4]):
                return f"mangled line: {l[:100]!r}"
            n += 1
    if want is None or n != want:
        return f"{n} intact lines, want {want}"
    return None


def guard_wanted(args):
    """Whether this make test runs the benchmark guard (tests/bench_guard.py): always, or
    with TEST= when it names bench_guard."""
    return not args.test or "bench_guard" in args.test.split(",")


def host_wanted(args):
    """Whether this make test runs the host scripts (host_tests): always, or with TEST=
    when it names host."""
    return not args.test or "host" in args.test.split(",")


def plan(args):
    tests = sorted(f[:-2] for f in os.listdir(os.path.join(ROOT, "tests")) if f.endswith(".c"))
    if args.test:
        names = [n for n in args.test.split(",") if n not in ("bench_guard", "host")]
        tests = [t for t in tests if t in names]
        if not tests and names:
            sys.exit(f"run.py: no test named {args.test}")
    runs = []
    for board in args.boards:
        smax = board_smp_max(board)
        for t in tests:
            meta = parse_meta(os.path.join(ROOT, "tests", t + ".c"))
            if "boards" in meta and board not in meta["boards"].split():
                continue
            if "only" in meta and not (meta["only"] == "long" and args.test and t in args.test.split(",")):
                continue
            for smp in [int(s) for s in meta["smp"].split()]:
                if smp > smax:
                    continue
                variant = meta.get("variant", "")
                for seed in [] if meta.get("icount") == "only" else args.seeds or range(1, int(meta["seeds"]) + 1):
                    runs.append((board, smp, variant, t, meta, seed, False))
                if meta.get("icount") in ("yes", "only"):
                    runs.append((board, smp, variant, t, meta, 1, True))
            if meta.get("raw") == "yes" and board_raw(board):
                for seed in args.seeds or [1]:
                    runs.append((board, smax, "raw", t, meta, seed, False))
            smps = [int(s) for s in meta["smp"].split() if int(s) <= smax]
            if meta.get("lockrank") == "yes" and board in LOCKRANK_BOARDS and smps and not meta.get("variant"):
                runs.append((board, max(smps), "lockrank", t, meta, 1, False))
    return runs


def parse_seeds(text):
    """TEST_SEEDS: "N" runs seeds 1..N, "A-B" seeds A..B, instead of each test's own count
    (for hunting a rare failure: make test TEST=x TEST_BOARDS=b TEST_SEEDS=200)."""
    if not text:
        return None
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", text.strip())
    if m:
        lo, hi = (int(m.group(1)), int(m.group(2))) if m.group(2) else (1, int(m.group(1)))
    if not m or lo < 1 or hi < lo:
        sys.exit(f"run.py: TEST_SEEDS={text!r}: want N or A-B with 1 <= A <= B")
    return range(lo, hi + 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--boards", default=os.environ.get("TEST_BOARDS") or ",".join(boards_available()))
    ap.add_argument("--test", default=os.environ.get("TEST", ""))
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--seeds", default=os.environ.get("TEST_SEEDS", ""))
    ap.add_argument("--soak", type=int, default=0, metavar="SECONDS")
    args = ap.parse_args()
    args.seeds = parse_seeds(args.seeds)
    args.boards = [b for b in args.boards.replace(",", " ").split() if b]
    if args.bench:
        import bench
        return bench.main(args, sys.modules[__name__])
    if args.soak:
        return soak(args)
    runs = plan(args)
    tally = sys.stdout = FailureTally(sys.stdout)
    passed = failed = 0
    configs = sorted({(b, s, v) for b, s, v, *_ in runs})
    builds = {}
    for b, s, v, t, *_ in runs:
        builds.setdefault((b, build_variant(v)), set()).add(t)
    errs = {}
    t_start = time.time()
    print(f"goro tests: {len(runs)} runs on {', '.join(args.boards)}", flush=True)
    for (board, variant), tests in sorted(builds.items()):
        err = build(board, variant, tests, args.j)
        errs[(board, variant)] = err
        if err:
            print(f"not ok - build {board} {variant}: build failed\n{err[-3000:]}", flush=True)
            failed += 1
    built = {cfg: errs[(cfg[0], build_variant(cfg[2]))] for cfg in configs}
    print(f"# built in {time.time() - t_start:.0f} s", flush=True)
    qemus = {cfg: qemu_cmd(*cfg) for cfg in configs}

    def one(run):
        board, smp, variant, t, meta, seed, icount = run
        elf = test_image(board, build_variant(variant), t)
        timeout = int(meta["timeout"]) * (3 if icount else 1)
        if "trace" in meta:
            return run_traced(run, qemus[(board, smp, variant)], elf, timeout)
        extra = "".join(f",arg={a}" for a in meta.get("args", "").split())
        status, out, secs = run_image(qemus[(board, smp, variant)], elf, seed, icount, timeout, smp, extra,
                                      stdin_file(meta, smp), meta.get("stdin_after"))
        return run, judge(meta, status, out), out, secs

    todo = [r for r in runs if not built[(r[0], r[1], r[2])]]
    alone = [r for r in todo if r[4].get("alone") == "yes" and not r[6]]
    todo = [r for r in todo if r not in alone]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as ex:
        # map() is lazy: the alone runs start one by one once the pool's results are out.
        for run, why, out, secs in itertools.chain(ex.map(one, todo), map(one, alone)):
            board, smp, variant, t, meta, seed, icount = run
            name = f"{board} smp{smp} {t}" + (f" [{variant}]" if variant else "") + \
                (f" seed={seed}" if int(meta["seeds"]) > 1 or args.seeds else "") + (" icount" if icount else "")
            if why is None:
                passed += 1
                print(f"ok - {name} ({secs:.1f}s)", flush=True)
            else:
                failed += 1
                tail = "\n".join("    | " + l for l in out.splitlines()[-15:])
                print(f"not ok - {name}: {why}\n{tail}", flush=True)
    failed += sum(1 for r in runs if built[(r[0], r[1], r[2])])
    if guard_wanted(args):
        import bench_guard
        guard_p, guard_f = bench_guard.check(sys.modules[__name__], args.boards)
        passed += guard_p
        failed += guard_f
    host_p, host_f = host_tests() if host_wanted(args) else (0, 0)
    passed += host_p
    failed += host_f
    print(f"# {time.time() - t_start:.0f} s")
    for l in tally.names:
        print(f"# failed: {l[len('not ok - '):]}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


class FailureTally:
    """Stands in for stdout and keeps the first line of every `not ok`, so that the run can
    end by naming its failures again: a long run's log is often read from its tail only."""

    def __init__(self, out):
        self.out, self.partial, self.names = out, "", []

    def write(self, s):
        self.partial += s
        *done, self.partial = self.partial.split("\n")
        self.names += [l for l in done if l.startswith("not ok")]
        return self.out.write(s)

    def flush(self):
        self.out.flush()


def soak(args):
    """make soak: the `soak: yes` tests (the world and collector tortures) at each of their
    core counts, round after round with new seeds (1, 2, ...), args.j at a time, until
    args.soak seconds have passed after the build (no run starts later); one line per run, then
    `N passed, N failed`."""
    tests = sorted(f[:-2] for f in os.listdir(os.path.join(ROOT, "tests")) if f.endswith(".c"))
    cfgs = []
    for board in args.boards:
        for t in tests:
            meta = parse_meta(os.path.join(ROOT, "tests", t + ".c"))
            if meta.get("soak") != "yes" or "boards" in meta and board not in meta["boards"].split():
                continue
            variant = meta.get("variant", "")
            cfgs += [(board, int(s), variant, t, meta) for s in meta["smp"].split() if int(s) <= board_smp_max(board)]
    if not cfgs:
        sys.exit("run.py --soak: no `soak: yes` test for " + ", ".join(args.boards))
    builds = {}
    for b, _, v, t, _ in cfgs:
        builds.setdefault((b, build_variant(v)), set()).add(t)
    for (board, variant), names in sorted(builds.items()):
        err = build(board, variant, names, args.j)
        if err:
            print(f"not ok - build {board} {variant}: build failed\n{err[-3000:]}\n0 passed, 1 failed", flush=True)
            return 1
    qemus = {(b, s, v): qemu_cmd(b, s, v) for b, s, v, _, _ in cfgs}
    t_end = time.time() + args.soak          # the build does not count
    print(f"goro soak: {', '.join(sorted({c[3] for c in cfgs}))} on {', '.join(args.boards)} for {args.soak} s",
          flush=True)

    def runs():
        for seed in itertools.count(1):
            for b, s, v, t, meta in cfgs:
                if time.time() >= t_end:
                    return
                yield b, s, v, t, meta, seed

    def one(r):
        b, s, v, t, meta, seed = r
        status, out, secs = run_image(qemus[(b, s, v)], test_image(b, build_variant(v), t), seed, False,
                                      int(meta["timeout"]), s, "".join(f",arg={a}" for a in meta.get("args", "").split()))
        return r, judge(meta, status, out), out, secs

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as ex:
        pending = set()
        for r in runs():
            pending.add(ex.submit(one, r))
            if len(pending) < args.j:
                continue
            done, pending = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for f in done:
                ok = report_soak(*f.result())
                passed, failed = passed + ok, failed + (not ok)
        for f in concurrent.futures.as_completed(pending):
            ok = report_soak(*f.result())
            passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def report_soak(run, why, out, secs):
    b, s, v, t, meta, seed = run
    name = f"{b} smp{s} {t}" + (f" [{v}]" if v else "") + f" seed={seed}"
    if why is None:
        print(f"ok - soak {name} ({secs:.1f}s)", flush=True)
        return True
    tail = "\n".join("    | " + l for l in out.splitlines()[-15:])
    # A soak's failures are rare: keep the whole output (a checkmark's stack dump runs to
    # hundreds of lines) beside the build, and say where.
    log = os.path.join(ROOT, os.environ.get("BUILD_ROOT", "build"), "soak",
                       f"{b}-smp{s}-{t}{'-' + v if v else ''}-seed{seed}.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "w") as f:
        f.write(out)
    print(f"not ok - soak {name}: {why} (whole output: {os.path.relpath(log, ROOT)})\n{tail}", flush=True)
    return False


def run_traced(run, qemu, elf, timeout):
    """A `trace:` test: the image runs traced, then the trace checker's lines join its
    output (the checker reads the expectations the image printed)."""
    board, smp, variant, t, meta, seed, icount = run
    words = shlex.split(meta["trace"])
    # One image serves every SMP count (its cores are a boot argument), and the runner's
    # two jobs may run two counts of one test at once: the count is in the name, or
    # one run removed or overwrote the other's trace ("no such file", "no end record").
    tfile = f"{elf[:-4]}.smp{smp}.seed{seed}{'.icount' if icount else ''}.trace"
    console = "console" in words
    extra = "".join(f",arg={w[4:]}" for w in words if w.startswith("arg:"))
    extra += ",arg=trace=" + ("console" if console else tfile)
    if os.path.exists(tfile):
        os.remove(tfile)
    status, out, secs = run_image(qemu, elf, seed, icount, timeout, smp, extra)
    ofile = tfile + ".out"
    with open(ofile, "w") as f:
        f.write(out)
    opts = [w for w in words if w != "console" and not w.startswith("arg:")]
    src = ["--console", ofile] if console else [tfile]
    r = sh([sys.executable, "tools/trace/gorotrace.py", "check"] + src + ["--output", ofile] + opts, timeout=600)
    return run, judge(meta, status, out + r.stdout + r.stderr), out + r.stdout + r.stderr, secs


def host_tests():
    """Host unit tests (tests/host/*.sh), the spin model checks (tests/model/*.sh), the
    offline OpenOCD config checks (tests/openocd/*.sh), the GDB extension's test
    (tests/gdb/*.sh) and the HIL runner's test on QEMU (tests/hil/*.sh): each script
    builds and runs its checks and prints ok/not ok lines."""
    passed = failed = 0
    scripts = []
    for sub in ("host", "model", "openocd", "gdb", "hil"):
        d = os.path.join(ROOT, "tests", sub)
        if os.path.isdir(d):
            scripts += [os.path.join("tests", sub, f) for f in sorted(os.listdir(d)) if f.endswith(".sh")]
    for f in scripts:
        r = sh(["bash", f], timeout=600)
        lines = (r.stdout + r.stderr).splitlines()
        for l in lines:
            if l.startswith("ok ") or l.startswith("not ok"):
                print(l if l.startswith("ok") else l, flush=True)
                passed += l.startswith("ok ")
                failed += l.startswith("not ok")
        if r.returncode != 0 and not any(l.startswith("not ok") for l in lines):
            failed += 1
            print(f"not ok - {f}: exit {r.returncode}\n" + "\n".join(lines[-20:]), flush=True)
    return passed, failed


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
