#!/usr/bin/env python3
"""The GDB extension's test: boots tests/gdb_goroutines.c halted under QEMU (riscv64 and
ARM virt), lets gdb-multiarch with tools/gdb/goro.py run it to gdb_checkpoint, and checks
what `info goroutines` and `goroutine N bt` print for its known goroutines. One
`ok`/`not ok` line per check. Boards: TEST_BOARDS (those of the two it knows)."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hil"))
import qemu  # noqa: E402

BOARDS = ["qemu-virt-riscv64", "qemu-virt-arm"]
SMP = 2
ROW = re.compile(r"\s*(\d+)\s+(\S+)\s+(.*?)\s+(\d+|-|\?)\s+(0x[0-9a-f]+|-)\s+(\S+)\s+(.*)$")


def session(board):
    """Runs the gdb session; returns (its output, QEMU's output)."""
    qemu.make("image", "BOARD=" + board, "SMP=%d" % SMP, "APP=tests/gdb_goroutines.c")
    elf = os.path.join(qemu.ROOT, qemu.make("print-elf", "BOARD=" + board, "SMP=%d" % SMP,
                                            "APP=tests/gdb_goroutines.c").strip())
    argv, port = qemu.command(board, SMP)
    q = subprocess.Popen(argv + ["-kernel", elf], cwd=qemu.ROOT, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        g = subprocess.run(["gdb-multiarch", "-q", "-batch", "-nx", "-x", "tools/gdb/goro.py", elf,
                            "-ex", "target remote 127.0.0.1:%d" % port, "-x", "tests/gdb/session.py"],
                           cwd=qemu.ROOT, text=True, capture_output=True, timeout=120)
        out = g.stdout + g.stderr
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") + "\n(gdb timed out)"
    finally:
        q.kill()
    return out, q.communicate()[0].decode(errors="replace")


def sections(out):
    """`=== title` sections of the session's output."""
    secs, cur = {}, None
    for line in out.splitlines():
        if line.startswith("=== "):
            cur = line[4:]
            secs[cur] = []
        elif cur:
            secs[cur].append(line)
    return secs


def in_order(lines, names):
    """Each name is the function of some frame, in this order (innermost first)."""
    funcs = [m.group(1) for m in (re.match(r"#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)", l) for l in lines) if m]
    i = 0
    for f in funcs:
        if i < len(names) and f == names[i]:
            i += 1
    return i == len(names), funcs


def checks(board, out):
    secs = sections(out)
    rows = {}
    for line in secs.get("info goroutines", [])[1:]:
        m = ROW.match(line)
        if m:
            gid, state, reason, core, pc, at, fn = m.groups()
            rows[fn.split()[0]] = dict(id=gid, state=state, reason=reason.strip(), core=core, at=at)
    bt = {fn: secs.get("goroutine %s bt" % r["id"], []) for fn, r in rows.items()}
    res = []

    def check(name, cond, why):
        res.append((name, cond, why))

    r = rows.get("gdbt_recv_forever", {})
    check("receiver waiting on chan receive", r.get("state") == "waiting" and r.get("reason") == "chan receive", r)
    r = rows.get("gdbt_sleep_forever", {})
    check("sleeper waiting on sleep", r.get("state") == "waiting" and r.get("reason") == "sleep", r)
    # The spinner's core may be stopped inside a timer or IPI trap (its pc anywhere on
    # the interrupt path: entry code, handlers; gdb can't unwind through the entry), or
    # it may have just been preempted (runnable). Running, its core's pc must resolve.
    r = rows.get("gdbt_spin_forever", {})
    spin_bt = in_order(bt.get("gdbt_spin_forever", []), ["gdbt_spin_forever"])
    at = r.get("at", "-")
    check("spinner running on a core in gdbt_spin_forever (or in a trap, or runnable)",
          (r.get("state") == "running" and r.get("core", "").isdigit() and
           (at == "gdbt_spin_forever" and spin_bt[0] or at not in ("-", "??", "gdbt_spin_forever")))
          or (r.get("state") == "runnable" and spin_bt[0]), dict(r, frames=spin_bt[1]))
    r = rows.get("main_goroutine", {})
    check("main running on a core at gdb_checkpoint",
          r.get("state") == "running" and r.get("core", "").isdigit() and r.get("at") == "gdb_checkpoint", r)
    # goro_chan_recv tail-calls its slow path (chan.c), so the parked receive shows as
    # chan_recv_slow (its park, chan_park, inline), with no goro_chan_recv frame.
    for fn, want in (("gdbt_recv_forever", ["chan_recv_slow", "gdbt_recv_inner", "gdbt_recv_forever", "goentry"]),
                     ("gdbt_sleep_forever", ["gopark", "gdbt_sleep_forever", "goentry"]),   # goro_sleep tail-calls gopark
                     ("main_goroutine", ["gdb_checkpoint", "main"])):
        ok, funcs = in_order(bt.get(fn, []), want)
        check("goroutine <%s> bt shows %s" % (fn, " < ".join(want)), ok, "frames: %s" % funcs)
    # The bottom frame is the goroutine's start (goentry): gdb's own unwinder, which
    # `goroutine N bt` uses for a running goroutine (the spinner), must stop there, not
    # read the entry's address as a return address into the function before it (on
    # RISC-V it went on into goro_goexit and mcall). When gdb stopped the spinner's core
    # in a trap, gdb can't unwind the entry code: whatever follows goentry then is "??".
    # goro.py's own walk (the waiting ones) must end at goentry. gdb stops at main by
    # itself, so main's bt says nothing here.
    for fn in ("gdbt_recv_forever", "gdbt_sleep_forever", "gdbt_spin_forever"):
        funcs = in_order(bt.get(fn, []), [])[1]
        if fn == "gdbt_spin_forever":
            after = funcs[funcs.index("goentry") + 1:] if "goentry" in funcs else []
            check("goroutine <%s> bt: no function below goentry" % fn, all(f == "??" for f in after),
                  "frames: %s" % funcs)
        else:
            check("goroutine <%s> bt ends at goentry" % fn, funcs[-1:] == ["goentry"], "frames: %s" % funcs)
    return [("gdb %s %s" % (board, n), c, w) for n, c, w in res]


def main():
    want = os.environ.get("TEST_BOARDS", "").replace(",", " ").split() or BOARDS
    failed = 0
    for board in [b for b in BOARDS if b in want]:
        try:
            out, qout = session(board)
        except RuntimeError as e:
            print("not ok - gdb %s: %s" % (board, e))
            failed += 1
            continue
        results = checks(board, out)
        for name, cond, why in results:
            print(("ok - %s" % name) if cond else ("not ok - %s: %s" % (name, why)))
            failed += not cond
        if any(not c for _, c, _ in results):
            print("\n".join("    | " + l for l in (out + qout).splitlines()[-60:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
