#!/usr/bin/env python3
"""Hardware-in-the-loop runner: runs goro's test images (tests/*.c built with BARE=1) on a
board through a GDB remote target and judges them by the board's console.

For each image: connect gdb to the probe, reset the board, `load` the ELF, point every
core at _start, detach (the board runs); read the serial console until `goro: exit N`
or the image's timeout; judge the `ok`/`not ok` lines, the output regex and the status
by the same rules as tests/run.py. Ends with `N passed, N failed`.

  --probe CFG                 start OpenOCD with the probe's interface config and
                              board/<board>/openocd.cfg (as make flash), GDB on a free port
  --remote openocd:HOST:PORT  instead, an OpenOCD already running (reset: monitor reset halt)
  --remote qemu:HOST:PORT     or QEMU's GDB stub standing in for a board (monitor system_reset)
  --serial /dev/ttyUSB0       the console: a tty or pty (raw, --baud), or tcp:HOST:PORT

Images run at the largest of their `smp:` counts not above --smp, seed 1, no variants
(UNWRAPPED/GCCHECK/icount, `trace:` and `args:` runs are QEMU-only). Tests marked `//! only: hil` run only when
named with --tests; `//! only: gdb` never.
"""
import argparse
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import run  # noqa: E402  (tests/run.py: parse_meta, judge)
sys.path.insert(0, HERE)
import qemu  # noqa: E402  (free_port)

EXIT_LINE = re.compile(r"^goro: exit (-?\d+)\s*$")
BAUDS = {n: getattr(termios, "B%d" % n) for n in (9600, 19200, 38400, 57600, 115200, 230400, 460800,
                                                  921600, 1000000, 1500000, 2000000, 3000000)
         if hasattr(termios, "B%d" % n)}


def die(msg):
    print("hil: error: " + msg, file=sys.stderr)
    sys.exit(2)


class Console:
    """The board's serial console: a tty/pty device (raw, at baud) or a TCP socket."""

    def __init__(self, spec, baud):
        self.buf = b""
        if spec.startswith("tcp:"):
            host, _, port = spec[4:].rpartition(":")
            try:
                self.sock = socket.create_connection((host or "localhost", int(port)), timeout=10)
            except (OSError, ValueError) as e:
                die("SERIAL=%s: cannot connect: %s" % (spec, e))
            self.fd = self.sock.fileno()
            return
        self.sock = None
        if not os.path.exists(spec):
            die("SERIAL=%s: no such device (is the board's USB serial plugged in?)" % spec)
        try:
            self.fd = os.open(spec, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError as e:
            die("SERIAL=%s: %s" % (spec, e))
        if baud not in BAUDS:
            die("baud rate %d not supported here" % baud)
        try:
            a = termios.tcgetattr(self.fd)
        except termios.error as e:
            die("SERIAL=%s is not a serial device: %s" % (spec, e.args[-1]))
        a[0] = termios.IGNPAR                                     # iflag: raw
        a[1] = 0                                                  # oflag
        a[2] = termios.CS8 | termios.CREAD | termios.CLOCAL       # cflag: 8N1
        a[3] = 0                                                  # lflag: no echo, no canon
        a[4] = a[5] = BAUDS[baud]
        a[6][termios.VMIN], a[6][termios.VTIME] = 0, 0
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, a)
        except termios.error as e:
            die("SERIAL=%s: cannot set %d baud: %s" % (spec, baud, e.args[-1]))

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not r:
            return False
        try:
            data = self.sock.recv(4096) if self.sock else os.read(self.fd, 4096)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:          # a pty whose other end has gone: nothing more will come
            time.sleep(min(timeout, 0.1))
            return True
        if not data:
            time.sleep(min(timeout, 0.1))
        self.buf += data
        return True

    def drain(self):
        while self._read(0.05):
            pass
        self.buf = b""

    def readline(self, deadline):
        """One line (without \\r\\n), or None at the deadline."""
        while b"\n" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                return None
            self._read(min(left, 0.5))
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="replace").replace("\r", "")


class Probe:
    """The GDB remote target: where gdb connects and how it resets the board."""

    def __init__(self, probe, remote, board):
        self.openocd = None
        self.cfgs = None
        if remote:
            kind, _, addr = remote.partition(":")
            if kind not in ("openocd", "qemu") or ":" not in addr:
                die("REMOTE=%s: want openocd:HOST:PORT or qemu:HOST:PORT" % remote)
            self.reset, self.addr = kind, addr
            return
        if not probe:
            die("no probe: set PROBE= to its OpenOCD interface config (e.g. interface/ftdi/"
                "olimex-arm-usb-tiny-h.cfg), or REMOTE= to a running GDB server (qemu:HOST:PORT)")
        cfg = os.path.join("board", board, "openocd.cfg")
        if not os.path.exists(os.path.join(ROOT, cfg)):
            die("%s not found: board %s has no OpenOCD config" % (cfg, board))
        if not shutil.which("openocd"):
            die("openocd not installed (make deps)")
        self.cfgs, self.reset = [probe, cfg], "openocd"

    def open(self):
        if self.cfgs:
            port = qemu.free_port()
            self.openocd = start_openocd(self.cfgs, port)
            self.addr = "localhost:%d" % port

    def close(self):
        if self.openocd:
            self.openocd.terminate()
            self.openocd.wait()


def start_openocd(cfgs, port):
    """OpenOCD with the probe's and the board's configs, its GDB server on port; dies with
    its last lines if it can't reach the probe."""
    log = open(os.path.join(ROOT, os.environ.get("BUILD_ROOT", "build"), "hil-openocd.log"), "w")
    argv = ["openocd", "-c", "gdb_port %d" % port, "-c", "telnet_port disabled", "-c", "tcl_port disabled"]
    for c in cfgs:
        argv += ["-f", c]
    p = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.time() + 15
    while time.time() < deadline:
        if p.poll() is not None:
            tail = open(log.name).read().splitlines()[-8:]
            die("openocd exited (status %d): is the probe connected and powered?\n  %s" %
                (p.returncode, "\n  ".join(tail)))
        try:
            socket.create_connection(("localhost", port), timeout=1).close()
            return p
        except OSError:
            time.sleep(0.3)
    p.terminate()
    die("openocd did not open its GDB port :%d in 15 s (see %s)" % (port, log.name))


def gdb_start(probe, elf, timeout):
    """Reset the board, load elf, start every core at _start. None, or why it failed."""
    cmd = ["gdb-multiarch", "-q", "-batch", "-nx", "-x", os.path.join("tools", "gdb", "goro.py"), elf,
           "-ex", "set confirm off", "-ex", "target remote " + probe.addr,
           "-ex", "goro-load " + probe.reset, "-ex", "detach"]
    try:
        r = subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "gdb did not load the image in %d s" % timeout
    out = r.stdout + r.stderr
    if r.returncode != 0 or "goro-load: every core" not in out:
        return "gdb failed to load the image:\n" + "\n".join("    | " + l for l in out.splitlines()[-10:])
    return None


def run_image(probe, console, elf, timeout):
    """(status or None on timeout, output lines, seconds, why gdb failed or None)."""
    console.drain()
    t0 = time.time()
    why = gdb_start(probe, elf, 120)
    if why:
        return None, [], time.time() - t0, why
    lines, deadline = [], time.time() + timeout
    while True:
        line = console.readline(deadline)
        if line is None:
            return None, lines, time.time() - t0, None
        lines.append(line)
        m = EXIT_LINE.match(line)
        if m:
            return int(m.group(1)), lines, time.time() - t0, None


def plan(board, smp, names):
    """[(test, smp, meta)] for this board."""
    tests = sorted(f[:-2] for f in os.listdir(os.path.join(ROOT, "tests")) if f.endswith(".c"))
    if names:
        missing = set(names) - set(tests)
        if missing:
            die("no test named %s" % ", ".join(sorted(missing)))
        tests = [t for t in tests if t in names]
    out = []
    for t in tests:
        meta = run.parse_meta(os.path.join(ROOT, "tests", t + ".c"))
        if meta.get("only") == "gdb" or (meta.get("only") == "hil" and not names):
            continue
        if meta.get("variant") or "trace" in meta or "args" in meta or ("boards" in meta and board not in meta["boards"].split()):
            continue                 # QEMU-only: variants, traces (semihosting, host checker), command-line knobs
        fits = [int(s) for s in meta["smp"].split() if int(s) <= smp]
        if fits:
            out.append((t, max(fits), meta))
    return out


def build(board, runs):
    """Builds the BARE images; returns {test: elf path} (exits on a build failure)."""
    elfs = {}
    for smp in sorted({s for _, s, _ in runs}):
        tests = [t for t, s, _ in runs if s == smp]
        vars_ = ["BOARD=" + board, "SMP=%d" % smp, "BARE=1"]
        r = subprocess.run(["make", "-s", "--no-print-directory", "print-elf", "APP=tests/%s.c" % tests[0]] + vars_,
                           cwd=ROOT, text=True, capture_output=True)
        d = os.path.dirname(r.stdout.strip())
        targets = [os.path.join(d, t + ".elf") for t in tests]
        r = subprocess.run(["make", "-s", "--no-print-directory", "-j2"] + targets + vars_, cwd=ROOT,
                           text=True, capture_output=True)
        if r.returncode != 0:
            die("build failed (%s):\n%s" % (" ".join(vars_), (r.stdout + r.stderr)[-3000:]))
        elfs.update({t: os.path.join(ROOT, e) for t, e in zip(tests, targets)})
    return elfs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--board", required=True)
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--serial", default="")
    ap.add_argument("--baud", type=int, default=115200)
    ap.add_argument("--probe", default="", help="OpenOCD interface config of the probe")
    ap.add_argument("--remote", default="", help="a running GDB server: qemu:HOST:PORT or openocd:HOST:PORT")
    ap.add_argument("--tests", default="", help="comma-separated test names (default: all)")
    args = ap.parse_args()
    if not args.serial:
        die("SERIAL= is required: the board's console (/dev/ttyUSB0, a pty, or tcp:HOST:PORT)")
    if not shutil.which("gdb-multiarch"):
        die("gdb-multiarch not installed (make deps)")
    probe = Probe(args.probe, args.remote, args.board)
    runs = plan(args.board, args.smp, [n for n in args.tests.split(",") if n])
    console = Console(args.serial, args.baud)
    probe.open()                     # before the build: a missing probe fails fast
    try:
        elfs = build(args.board, runs)
    except SystemExit:
        probe.close()
        raise
    passed = failed = 0
    print("goro hil: %d images on %s (%s, serial %s)" % (len(runs), args.board, args.remote or args.probe, args.serial),
          flush=True)
    try:
        for t, smp, meta in runs:
            status, lines, secs, why = run_image(probe, console, elfs[t], int(meta["timeout"]))
            if why is None:
                why = run.judge(meta, status, "\n".join(lines))
            name = "hil %s smp%d %s" % (args.board, smp, t)
            if why is None:
                passed += 1
                print("ok - %s (%.1fs)" % (name, secs), flush=True)
            else:
                failed += 1
                tail = "\n".join("    | " + l for l in lines[-15:])
                print("not ok - %s: %s\n%s" % (name, why, tail), flush=True)
    finally:
        probe.close()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
