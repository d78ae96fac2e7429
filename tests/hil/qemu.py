# QEMU standing in for a board (the GDB and HIL tests): its command from `make print-qemu`, halted, with a GDB stub on a free port.
import os
import shlex
import socket
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make(*args):
    """`make -s ARGS` in the project; returns stdout, raises with the output on failure."""
    r = subprocess.run(["make", "-s", "--no-print-directory", *args], cwd=ROOT, text=True,
                       capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("make %s failed:\n%s" % (" ".join(args), (r.stdout + r.stderr)[-3000:]))
    return r.stdout


def free_port():
    """A TCP port nobody listens on now (the caller binds it soon after)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(board, smp, serial="stdio", bare=False):
    """The board's QEMU command, halted (-S) with a GDB stub on a free port, and its
    serial port on `serial` (a QEMU chardev: stdio, pty, tcp:...). A BARE image gets no
    semihosting, as on a real board. Returns (argv, gdb port)."""
    argv = shlex.split(make("print-qemu", "BOARD=" + board, "SMP=%d" % smp).strip())
    out = []
    skip = False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if bare and a == "-semihosting-config":
            skip = True
            continue
        if a == "-serial" and i + 1 < len(argv):
            out += ["-serial", serial]
            skip = True
            continue
        out.append(a)
    port = free_port()
    return out + ["-S", "-gdb", "tcp:127.0.0.1:%d" % port], port
