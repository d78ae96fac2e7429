# goro's GDB extension: `info goroutines` and `goroutine N bt`, read from the runtime's allgs list.
#
# Everything comes from the image's DWARF (struct g, the G_* enum, allgs), not from
# offsets typed here; the only arch facts are the frame-pointer layouts the kernel's
# arch_backtrace walks (kernel/<arch>/arch.c) and which trap frame slots hold pc and fp:
#   riscv64  [fp-8] = ra, [fp-16] = caller's fp; context s[0] is fp; trap frame x[0] = pc, x[8] = fp
#   arm      [fp] = lr, [fp-4] = caller's fp (a leaf saves only fp: [fp] = caller's fp);
#            context r[7] is r11 (fp); trap frame pc, r[11] = fp
# A goroutine that is not running resumes at ctx.ra (inside mcall) with ctx's fp, so its
# stack is walked from there; one preempted from a trap (g->tf set) also shows the
# interrupted pc and the frames below it. A running goroutine's frames are its core's:
# `goroutine N bt` switches to that core's GDB thread and runs `bt` there.
#
# Load: gdb -x tools/gdb/goro.py IMAGE.elf (make debug does).
import gdb

MAX_FRAMES = 64


def arch_name():
    try:
        return gdb.selected_frame().architecture().name()
    except gdb.error:
        return gdb.selected_inferior().architecture().name()


def is_arm():
    return arch_name().startswith("arm")


def ptr_size():
    return gdb.lookup_type("void").pointer().sizeof


def read_ptr(addr):
    t = gdb.lookup_type("unsigned long") if ptr_size() == 8 else gdb.lookup_type("unsigned int")
    return int(gdb.Value(addr).cast(t.pointer()).dereference())


def state_names():
    """G_* enumerators from DWARF: value -> "running" etc., and the SCAN bit."""
    t = gdb.parse_and_eval("G_RUNNING").type.strip_typedefs()
    names, scan = {}, 0
    for f in t.fields():
        if f.name == "G_SCAN":
            scan = f.enumval
        else:
            names[f.enumval] = f.name[2:].lower()
    return names, scan


def all_gs():
    gp = gdb.parse_and_eval("allgs")
    while int(gp) != 0:
        yield gp
        gp = gp["alllink"]


def find_g(gid):
    for gp in all_gs():
        if int(gp["id"]) == gid:
            return gp
    return None


def status_of(gp):
    names, scan = state_names()
    s = int(gp["status"])
    name = names.get(s & ~scan, "?%d" % s)
    return name + ("+scan" if s & scan else ""), s & ~scan


def symbol_of(pc):
    """The function holding pc (the outermost one where code was inlined), or None."""
    name = None
    try:
        b = gdb.block_for_pc(pc)
        while b is not None:
            if b.function is not None:
                name = b.function.print_name
            b = b.superblock
    except RuntimeError:
        pass
    if name is None:
        out = gdb.execute("info symbol 0x%x" % pc, to_string=True)
        name = None if out.startswith("No symbol") else out.split()[0]
    return name


def is_function_start(pc):
    """A return address is never a function's first instruction: a fresh context's
    entry (goentry on riscv64, saved as its own ra) is not a caller."""
    out = gdb.execute("info symbol 0x%x" % pc, to_string=True)
    return not out.startswith("No symbol") and " + " not in out.split(" in section")[0]


def where(pc, ret):
    """`func at file:line` for pc (ret: pc is a return address, look up the call)."""
    name = symbol_of(pc) or "??"
    sal = gdb.find_pc_line(pc - 1 if ret and pc else pc)
    if sal.symtab is not None:
        return "%s at %s:%d" % (name, sal.symtab.filename, sal.line)
    return name


def fn_name(gp):
    fn = int(gp["fn"].cast(gdb.lookup_type("unsigned long")))
    return symbol_of(fn) or "0x%x" % fn if fn else "-"


def ctx_pc_fp(gp):
    ctx = gp["ctx"]
    fp = ctx["r"][7] if is_arm() else ctx["s"][0]
    return int(ctx["ra"]), int(fp)


def tf_pc_fp(tf):
    if is_arm():
        return int(tf["pc"]), int(tf["r"][11])
    return int(tf["x"][0]), int(tf["x"][8])


def walk(fp, lo, hi):
    """Return addresses up the frame-pointer chain from fp (as arch_backtrace)."""
    pcs, step = [], ptr_size()
    while lo <= fp <= hi and fp % step == 0 and len(pcs) < MAX_FRAMES:
        if is_arm():
            lr, prev = read_ptr(fp), read_ptr(fp - 4)
            if fp < lr <= hi:                 # a leaf frame: [fp] is the caller's fp
                fp = lr
                continue
            lr &= ~1
        else:
            lr, prev = read_ptr(fp - 8), read_ptr(fp - 16)
        if lr == 0 or is_function_start(lr):
            break
        pcs.append(lr)
        if prev <= fp:
            break
        fp = prev
    return pcs


def core_thread(gp):
    """The GDB thread (core) whose sp is on gp's stack, or None."""
    lo, hi = int(gp["stack_lo"]), int(gp["stack_hi"])
    cur = gdb.selected_thread()
    found = None
    try:
        for th in gdb.selected_inferior().threads():
            th.switch()
            sp = int(gdb.parse_and_eval("$sp").cast(gdb.lookup_type("unsigned long")))
            if lo <= sp < hi:
                found = th
                break
    finally:
        if cur is not None:
            cur.switch()
    return found


def core_thread_by_index(core):
    """The GDB thread of core `core` when no core's sp is on the goroutine's stack (the
    core is in trap entry, still on its exception stack): QEMU's stub numbers its CPUs
    1..N in order. A guess on boards that park harts before core 0 (sifive-u)."""
    if core is None:
        return None
    for th in gdb.selected_inferior().threads():
        if th.num == core + 1:
            return th
    return None


def core_of(gp):
    m = gp["m"]
    return int(m["id"]) if int(m) != 0 else None


class InfoGoroutines(gdb.Command):
    """List goroutines: id, state, wait reason, core (if running), pc and entry function.
Usage: info goroutines [all]   (all: dead ones too)"""

    def __init__(self):
        super().__init__("info goroutines", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        show_dead = arg.strip() == "all"
        print("%5s  %-10s %-22s %-5s %-18s %-26s %s" % ("id", "state", "wait reason", "core", "pc",
                                                      "where", "function"))
        for gp in all_gs():
            name, s = status_of(gp)
            if name == "dead" and not show_dead:
                continue
            reason = gp["waitreason"].string() if name.startswith("waiting") and int(gp["waitreason"]) else ""
            core, pc = "-", None
            if name == "running":
                c = core_of(gp)
                core = str(c) if c is not None else "?"
                th = core_thread(gp) or core_thread_by_index(c)
                if th is not None:
                    cur = gdb.selected_thread()
                    th.switch()
                    pc = int(gdb.parse_and_eval("$pc").cast(gdb.lookup_type("unsigned long")))
                    cur.switch()
            elif name not in ("dead", "idle"):
                pc = ctx_pc_fp(gp)[0]
                if int(gp["tf"]):
                    pc = tf_pc_fp(gp["tf"])[0]
            pcs = "0x%x" % pc if pc is not None else "-"
            at = (symbol_of(pc) or "??") if pc is not None else "-"
            fn = fn_name(gp) + (" (system)" if bool(gp["system"]) else "")
            print("%5d  %-10s %-22s %-5s %-18s %-26s %s" % (int(gp["id"]), name, reason, core, pcs, at, fn))


class Goroutine(gdb.Command):
    """goroutine N bt: the backtrace of goroutine N (from its saved context when it is not
running; from its core's registers when it is)."""

    def __init__(self):
        super().__init__("goroutine", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) != 2 or argv[1] not in ("bt", "backtrace"):
            raise gdb.GdbError("usage: goroutine N bt")
        gp = find_g(int(argv[0], 0))
        if gp is None:
            raise gdb.GdbError("no goroutine %s" % argv[0])
        name, _ = status_of(gp)
        print("goroutine %d [%s%s]: %s" % (int(gp["id"]), name,
              ", " + gp["waitreason"].string() if name.startswith("waiting") and int(gp["waitreason"]) else "",
              fn_name(gp)))
        if name in ("dead", "idle"):
            print("(no stack: %s)" % name)
            return
        if name == "running":
            self.running_bt(gp)
            return
        lo, hi = int(gp["stack_lo"]), int(gp["stack_hi"])
        pc, fp = ctx_pc_fp(gp)
        frames = [pc] + walk(fp, lo, hi)
        n = 0
        for f in frames:
            print("#%-2d 0x%x in %s" % (n, f, where(f, True)))
            n += 1
        if int(gp["tf"]):
            tpc, tfp = tf_pc_fp(gp["tf"])
            print("--- trap: preempted at pc 0x%x ---" % tpc)
            for i, f in enumerate([tpc] + walk(tfp, lo, hi)):
                print("#%-2d 0x%x in %s" % (n, f, where(f, i > 0)))
                n += 1

    def running_bt(self, gp):
        th = core_thread(gp)
        if th is None:
            print("(running on core %s, but no core's sp is on its stack)" % core_of(gp))
            return
        cur = gdb.selected_thread()
        th.switch()
        try:
            print("(running on core %s, GDB thread %d)" % (core_of(gp), th.num))
            gdb.execute("bt", to_string=False)
        finally:
            cur.switch()


class GoroLoad(gdb.Command):
    """goro-load [qemu|openocd|none]: reset the board (QEMU's stub: monitor system_reset;
OpenOCD: monitor reset halt; none: no reset), load the image and point every core (GDB
thread) at its entry, halted. `detach` or `continue` then starts it."""

    def __init__(self):
        super().__init__("goro-load", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        how = arg.strip() or "none"
        resets = {"qemu": "monitor system_reset", "openocd": "monitor reset halt", "none": None}
        if how not in resets:
            raise gdb.GdbError("usage: goro-load [qemu|openocd|none]")
        if resets[how]:
            gdb.execute(resets[how])
            gdb.execute("maintenance flush register-cache")
        gdb.execute("load")
        entry = int(gdb.parse_and_eval("(unsigned long)&_start"))
        cur = gdb.selected_thread()
        for th in gdb.selected_inferior().threads():
            th.switch()
            gdb.execute("set $pc = %d" % entry)
        cur.switch()
        print("goro-load: every core at _start (0x%x)" % entry)


InfoGoroutines()
Goroutine()
GoroLoad()
