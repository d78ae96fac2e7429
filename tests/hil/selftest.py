#!/usr/bin/env python3
"""The HIL runner's test without hardware: QEMU stands in for the board, started halted
(-S) with no semihosting, its GDB stub the remote target (qemu:HOST:PORT) and its serial port the
console (a TCP socket on riscv64, a pty on ARM). tests/hil/hil.py runs BARE images on it
that pass (exit_status, panic_bad_load: expected statuses), fail (hil_fail) and hang
(hil_hang, before panic_bad_load, so the reset after a hang is tested too); each must be
reported as such, with the totals. Also: missing SERIAL/PROBE/openocd.cfg are clear
errors. One `ok`/`not ok` line per check; boards: TEST_BOARDS (of the two it knows)."""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

BOARDS = {"qemu-virt-riscv64": "tcp", "qemu-virt-arm": "pty"}
SMP = 2
TESTS = "exit_status,hil_fail,hil_hang,panic_bad_load"


def hil(*args):
    r = subprocess.run([sys.executable, "tests/hil/hil.py", *args], cwd=qemu.ROOT, text=True,
                       capture_output=True, timeout=600)
    return r.returncode, r.stdout + r.stderr


def start_board(board, serial_kind):
    """QEMU halted as the board; returns (process, probe spec, serial spec)."""
    if serial_kind == "tcp":
        sport = qemu.free_port()
        serial = "tcp:127.0.0.1:%d,server=on,wait=off" % sport
    else:
        serial = "pty"
    argv, gport = qemu.command(board, SMP, serial=serial, bare=True)
    p = subprocess.Popen(argv, cwd=qemu.ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    if serial_kind == "tcp":
        time.sleep(0.5)
        return p, "qemu:127.0.0.1:%d" % gport, "tcp:127.0.0.1:%d" % sport
    line = p.stdout.readline()       # "char device redirected to /dev/pts/N (label serial0)"
    m = re.search(r"(/dev/pts/\d+)", line)
    if not m:
        p.kill()
        raise RuntimeError("QEMU gave no pty: %r" % line)
    return p, "qemu:127.0.0.1:%d" % gport, m.group(1)


def checks(board, status, out):
    b = re.escape(board)
    res = [
        ("passing image counted passed", re.search(r"^ok - hil %s smp\d+ exit_status\b" % b, out, re.M)),
        ("panic image (expect exit 2) counted passed", re.search(r"^ok - hil %s smp\d+ panic_bad_load\b" % b, out, re.M)),
        ("failing image counted failed, with its message",
         re.search(r"^not ok - hil %s smp\d+ hil_fail: .*not ok - hil_fail arithmetic: 1 \+ 1 is 2" % b, out, re.M)),
        ("hung image reported as a timeout", re.search(r"^not ok - hil %s smp\d+ hil_hang: timed out" % b, out, re.M)),
        ("totals: 2 passed, 2 failed, status 1", re.search(r"^2 passed, 2 failed$", out, re.M) and status == 1),
    ]
    return [("hil %s %s" % (board, n), bool(c)) for n, c in res]


def error_checks():
    res = []
    st, out = hil("--board", "qemu-virt-riscv64", "--remote", "qemu:127.0.0.1:1")
    res.append(("hil: missing SERIAL is a clear error", st == 2 and "SERIAL= is required" in out))
    st, out = hil("--board", "qemu-virt-riscv64", "--serial", "/dev/null")
    res.append(("hil: missing PROBE is a clear error", st == 2 and "no probe: set PROBE=" in out))
    st, out = hil("--board", "qemu-virt-riscv64", "--serial", "/dev/goro-no-such-tty", "--remote", "qemu:127.0.0.1:1",
                  "--tests", "exit_status")
    res.append(("hil: a missing serial device is a clear error", st == 2 and "no such device" in out))
    st, out = hil("--board", "qemu-virt-riscv64", "--serial", "/dev/null", "--probe", "interface/dummy.cfg", "--tests", "exit_status")
    res.append(("hil: a board without board/<b>/openocd.cfg is a clear error",
                st == 2 and "openocd.cfg not found" in out))
    master, slave = os.openpty()
    st, out = hil("--board", "sifive-u", "--serial", os.ttyname(slave), "--probe", "board/sifive-u/ftdi.cfg",
                  "--tests", "exit_status")
    os.close(master)
    os.close(slave)
    res.append(("hil: PROBE given but no probe connected is a clear error",
                st == 2 and "openocd exited" in out and "is the probe connected" in out))
    return res


def main():
    want = os.environ.get("TEST_BOARDS", "").replace(",", " ").split() or list(BOARDS)
    failed = 0
    results = []
    for board in [b for b in BOARDS if b in want]:
        try:
            p, probe, serial = start_board(board, BOARDS[board])
        except (RuntimeError, OSError) as e:
            print("not ok - hil %s: %s" % (board, e))
            failed += 1
            continue
        try:
            status, out = hil("--board", board, "--smp", str(SMP), "--remote", probe, "--serial", serial,
                              "--tests", TESTS)
        finally:
            p.kill()
            p.wait()
        res = checks(board, status, out)
        results += res
        if not all(c for _, c in res):
            print("\n".join("    | " + l for l in out.splitlines()[-40:]))
    results += error_checks()
    for name, c in results:
        print(("ok - %s" if c else "not ok - %s") % name)
        failed += not c
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
