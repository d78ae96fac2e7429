#!/usr/bin/env python3
"""gorotrace: decode a goro execution trace (runtime/trace.c), check it, and draw it.

  gorotrace.py FILE [--json OUT] [--svg OUT]        decode, check, summary on stdout
  gorotrace.py --console LOG [...]                   the same from console frames in LOG
  gorotrace.py check FILE|--console LOG --output LOG [--expect-fail REGEX]
                                                     the tests' checker: ok/not ok lines

Python 3 standard library only (struct, json, zlib.crc32, base64, xml.etree for the
tests): nothing to build, nothing to install, and the test runner is Python already.

Checks: every record intact; each core's buffers numbered 0, 1, 2... with none
missing or repeated; a section ends with its end record; the cores' events merge into
one order in which every goroutine transition is legal (a start needs a runnable
goroutine and a core running nothing; a stop, block or exit needs it running on that
core; an unblock needs it waiting). The merge takes, among the cores' next events,
the earliest whose precondition holds, so ticks that tie or skew between cores never
reorder cause and effect; if no core's next event is possible the trace is wrong.
"""
import argparse
import base64
import json
import re
import struct
import sys
import zlib

MAGIC = 0x42525447
REC_HEADER, REC_BUF, REC_END = 1, 2, 3
(EV_GOCREATE, EV_GOSTART, EV_GOSTOP, EV_GOBLOCK, EV_GOUNBLOCK, EV_GOEND, EV_PREEMPT, EV_MIDLE,
 EV_MWAKE, EV_PSTOP, EV_PSTART, EV_TIMER, EV_STWBEGIN, EV_STWEND, EV_FEPBEGIN, EV_FEPEND,
 EV_GCPHASE, EV_STACKSCAN, EV_REGION, EV_LOG, EV_STRING, EV_GSTATUS, EV_PSTATUS, EV_GEN,
 EV_GREASON) = range(1, 26)
STOP = {1: "yield", 2: "tick", 3: "request", 4: "suspend"}
GCPHASE = {0: "off", 1: "sweep termination", 2: "mark", 3: "mark termination", 4: "sweep"}
GSTATE = {1: "runnable", 2: "running", 3: "waiting", 4: "preempted"}


class TraceError(Exception):
    pass


def from_console(text):
    """The frames `@GT seq base64 crc` of a console log, checked and joined in number
    order: cores write their records' frames concurrently (runtime/tracewrite.c), each
    record's frames a range of numbers taken in stream order, so lines of two records
    may interleave in the log. Every number from 0 up must be there exactly once."""
    frames, errs = {}, []
    for m in re.finditer(r"@GT (\d+) ([A-Za-z0-9+/=]+) ([0-9a-f]{8})", text):
        seq, crc = int(m.group(1)), int(m.group(3), 16)
        try:
            payload = base64.b64decode(m.group(2), validate=True)
        except ValueError:
            errs.append(f"frame {seq}: bad base64 (a line cut by other output)")
            continue
        if zlib.crc32(payload) != crc:
            errs.append(f"frame {seq}: CRC mismatch")
            continue
        if seq in frames:
            errs.append(f"frame {seq}: repeated")
            continue
        frames[seq] = payload
    out = bytearray()
    for want in range(max(frames) + 1 if frames else 0):
        if want not in frames:
            errs.append(f"frame {want}: lost")
            continue
        out += frames[want]
    if errs:
        raise TraceError("; ".join(errs[:5]))
    return bytes(out)


def records(data):
    off = 0
    while off < len(data):
        if len(data) - off < 24:
            raise TraceError(f"truncated record header at byte {off}")
        magic, kind, cpu, gen, seq, n, _ = struct.unpack_from("<IHHIIII", data, off)
        if magic != MAGIC:
            raise TraceError(f"bad record magic 0x{magic:x} at byte {off}")
        if len(data) - off - 24 < 8 * n:
            raise TraceError(f"truncated record at byte {off}")
        words = struct.unpack_from(f"<{n}Q", data, off + 24)
        yield kind, cpu, gen, seq, words
        off += 24 + 8 * n


class Section:
    def __init__(self, ncpu, hz, gomaxprocs):
        self.ncpu, self.hz, self.gomaxprocs = ncpu, hz, gomaxprocs
        self.bufs = {}          # cpu -> {seq: (gen, words)}
        self.ended = False
        self.errors = []
        self.strings = {}

    def ns(self, ticks):
        return ticks * 1_000_000_000 // self.hz


def sections(data):
    secs = []
    for kind, cpu, gen, seq, words in records(data):
        if kind == REC_HEADER:
            secs.append(Section(cpu, words[0], words[1]))
        elif not secs:
            raise TraceError("a record before the first section header")
        elif kind == REC_BUF:
            b = secs[-1].bufs.setdefault(cpu, {})
            if seq in b:
                secs[-1].errors.append(f"duplicate buffer: core {cpu} sequence {seq} appears twice")
            b[seq] = (gen, words)
        elif kind == REC_END:
            secs[-1].ended = True
    return secs


def events_of(sec):
    """Per core: [(ts_ns, type, a, b, cpu)], strings resolved into sec.strings."""
    per = {}
    for cpu, bufs in sorted(sec.bufs.items()):
        seqs = sorted(bufs)
        if seqs != list(range(len(seqs))):
            missing = sorted(set(range(max(seqs) + 1)) - set(seqs))
            sec.errors.append(f"lost buffer: core {cpu} is missing sequence {missing[:5]}")
        evs = []
        for s in seqs:
            w = bufs[s][1]
            i = 0
            while i < len(w):
                h = w[i]
                typ, extra, ts = h >> 56, (h >> 48) & 0xff, h & ((1 << 48) - 1)
                if i + 1 + extra > len(w) or extra < 2:
                    sec.errors.append(f"core {cpu} buffer {s}: mangled event at word {i}")
                    break
                a, b = w[i + 1], w[i + 2]
                if typ == EV_STRING:
                    raw = b"".join(struct.pack("<Q", x) for x in w[i + 3:i + 1 + extra])
                    sec.strings[a] = raw[:b].decode(errors="replace")
                else:
                    evs.append((sec.ns(ts), typ, a, b, cpu))
                i += 1 + extra
        per[cpu] = evs
    return per


class Model:
    """The goroutine state machine the merge checks events against."""

    def __init__(self, sec):
        self.sec = sec
        self.state, self.core = {}, {}
        self.running = {}              # cpu -> goroutine
        self.tokens = {}               # goroutine -> [token]
        self.timer_fired = set()
        self.system = set()                # runtime goroutines (GC, tracer)
        self.snap = False                  # the start's snapshot seen: every goroutine is known

    def ready(self, e):
        ts, t, a, b, cpu = e
        st = self.state.get(a)
        if t == EV_GOSTART:
            return st in (None, "runnable") and self.running.get(cpu) is None
        if t in (EV_GOSTOP, EV_GOBLOCK, EV_GOEND):
            return st is None or (st == "running" and self.core.get(a) == cpu)
        if t == EV_GOUNBLOCK:
            return st in (None, "waiting", "preempted")
        return True

    def tok(self, g, s):
        self.tokens.setdefault(g, []).append(s)

    def apply(self, e):
        ts, t, a, b, cpu = e
        if t in (EV_GOSTART, EV_GOSTOP, EV_GOBLOCK, EV_GOUNBLOCK, EV_GOEND) and a not in self.state and self.snap:
            self.sec.errors.append(f"{describe(self.sec, e)}: a goroutine never created nor in the snapshot")
        if t == EV_GSTATUS:
            self.snap = True
        if t == EV_GOCREATE:
            if self.state.get(a) not in (None, "dead"):
                self.sec.errors.append(f"goroutine {a} created twice")
            self.state[a] = "runnable"
            if b >> 63:
                self.system.add(a)
            self.tok(a, "create")
        elif t == EV_GOSTART:
            self.state[a], self.core[a], self.running[cpu] = "running", cpu, a
            self.tok(a, "start")
        elif t in (EV_GOSTOP, EV_GOBLOCK, EV_GOEND):
            if self.running.get(cpu) == a:
                self.running[cpu] = None
            if t == EV_GOSTOP:
                self.state[a] = "preempted" if b == 4 else "runnable"
                self.tok(a, "stop:" + STOP.get(b, str(b)))
            elif t == EV_GOBLOCK:
                self.state[a] = "waiting"
                self.tok(a, "block:" + self.sec.strings.get(b, "?").replace(" ", "_"))
            else:
                self.state[a] = "dead"
                self.tok(a, "end")
        elif t == EV_GOUNBLOCK:
            self.state[a] = "runnable"
            self.tok(a, "unblock:timer" if a in self.timer_fired else "unblock")
            self.timer_fired.discard(a)
        elif t == EV_TIMER:
            self.timer_fired.add(a)
        elif t == EV_GSTATUS and not (b >> 33) & 1:
            if (b >> 32) & 1:
                self.system.add(a)
            if a not in self.state:
                s = GSTATE.get(b & 0xffff, "?")
                self.state[a] = s
                if s == "running":
                    self.core[a] = (b >> 16) & 0xffff
                    self.running[self.core[a]] = a


def merge(sec, per):
    """One order of all events that every precondition agrees with."""
    model, heads, out = Model(sec), {c: 0 for c in per}, []
    total = sum(len(v) for v in per.values())
    while len(out) < total:
        cands = sorted((per[c][i], c) for c, i in heads.items() if i < len(per[c]))
        pick = next(((e, c) for e, c in cands if model.ready(e)), None)
        if pick is None:
            e, c = cands[0]
            sec.errors.append("no core's next event is possible (lost or duplicated events?): " +
                              "; ".join(f"core {c2}: {describe(sec, e2)} [g{e2[2]} {model.state.get(e2[2])}]"
                                        for e2, c2 in cands[:4]))
            if len(sec.errors) > 20:
                break
            pick = (e, c)
        e, c = pick
        heads[c] += 1
        model.apply(e)
        out.append(e)
    return out, model


def describe(sec, e):
    ts, t, a, b, cpu = e
    names = {EV_GOCREATE: "create", EV_GOSTART: "start", EV_GOSTOP: "stop", EV_GOBLOCK: "block",
             EV_GOUNBLOCK: "unblock", EV_GOEND: "end"}
    return f"{names.get(t, 'event ' + str(t))} g{a} at {ts} ns"


def analyse(sec, evs, model):
    """Slices, instants and spans for the outputs and the summary."""
    t0 = evs[0][0] if evs else 0
    t1 = evs[-1][0] if evs else 0
    r = {"t0": t0, "t1": t1, "slices": [], "instants": [], "flows": [], "stw": [], "fep": [],
         "gc": [], "regions": [], "logs": [], "preempt": {}, "idle": []}
    open_g, stw_open, fep_open, gc_open, idle_open, reg_open = {}, None, None, None, {}, {}
    pending_flow, nflow = {}, 0
    for ts, t, a, b, cpu in evs:
        if t == EV_GOSTART:
            open_g[cpu] = (a, ts)
            if a in pending_flow:
                src = pending_flow.pop(a)
                r["flows"].append((src[0], src[1], ts, cpu, a, src[2]))
        elif t in (EV_GOSTOP, EV_GOBLOCK, EV_GOEND) and cpu in open_g and open_g[cpu][0] == a:
            g, s = open_g.pop(cpu)
            why = {EV_GOSTOP: "stop:" + STOP.get(b, "?"), EV_GOEND: "exit"}.get(t) or \
                "block:" + sec.strings.get(b, "?")
            r["slices"].append((cpu, g, s, ts, why))
            if t == EV_GOSTOP and b in (2, 3, 4):
                r["preempt"][STOP[b]] = r["preempt"].get(STOP[b], 0) + 1
                r["instants"].append((cpu, ts, f"preempted ({STOP[b]})", g))
        elif t == EV_GOUNBLOCK:
            nflow += 1
            pending_flow[a] = (ts, cpu, nflow)
        elif t == EV_PREEMPT:
            r["instants"].append((cpu, ts, "preempt request", a))
        elif t == EV_STWBEGIN:
            stw_open = (ts, sec.strings.get(b, "?"), cpu)
        elif t == EV_STWEND and stw_open:
            r["stw"].append((stw_open[0], ts, stw_open[1], stw_open[2]))
            stw_open = None
        elif t == EV_FEPBEGIN:
            fep_open = (ts, cpu)
        elif t == EV_FEPEND and fep_open:
            r["fep"].append((fep_open[0], ts, fep_open[1]))
            fep_open = None
        elif t == EV_GCPHASE:
            if gc_open:
                r["gc"].append((gc_open[0], ts, gc_open[1], gc_open[2]))
            gc_open = (ts, GCPHASE.get(a, "?"), b) if a else None
        elif t == EV_MIDLE:
            idle_open[cpu] = ts
        elif t == EV_MWAKE and cpu in idle_open:
            r["idle"].append((cpu, idle_open.pop(cpu), ts))
        elif t == EV_REGION:
            g, name = a >> 1, sec.strings.get(b, "?")
            if a & 1:
                reg_open.setdefault((g, name), []).append(ts)
            elif reg_open.get((g, name)):
                r["regions"].append((g, name, reg_open[(g, name)].pop(), ts))
        elif t == EV_LOG:
            cat, _, msg = sec.strings.get(b, "?").partition("\x1f")
            r["logs"].append((cpu, ts, a, cat, msg))
    for cpu, (g, s) in open_g.items():
        r["slices"].append((cpu, g, s, t1, "running at end"))
    return r


def color(g):
    return f"hsl({(g * 137) % 360},65%,{55 + (g * 7) % 20}%)"


def write_json(sec, r, path):
    us = lambda ns: (ns - r["t0"]) / 1000.0
    ev = [{"ph": "M", "name": "process_name", "pid": 0, "args": {"name": "goro"}}]
    for c in range(sec.ncpu):
        ev.append({"ph": "M", "name": "thread_name", "pid": 0, "tid": c, "args": {"name": f"core {c}"}})
    ev.append({"ph": "M", "name": "thread_name", "pid": 0, "tid": 100, "args": {"name": "world (STW, forEachP)"}})
    ev.append({"ph": "M", "name": "thread_name", "pid": 0, "tid": 101, "args": {"name": "GC phases"}})
    for cpu, g, s, e, why in r["slices"]:
        ev.append({"ph": "X", "name": f"G{g}", "cat": "goroutine", "pid": 0, "tid": cpu, "ts": us(s),
                   "dur": max(us(e) - us(s), 0.001), "args": {"goroutine": g, "ended": why}})
    for cpu, s, e in r["idle"]:
        ev.append({"ph": "X", "name": "idle", "cat": "idle", "pid": 0, "tid": cpu, "ts": us(s), "dur": us(e) - us(s)})
    for cpu, ts, name, g in r["instants"]:
        ev.append({"ph": "i", "s": "t", "name": name, "cat": "preempt", "pid": 0, "tid": cpu, "ts": us(ts),
                   "args": {"goroutine": g}})
    for s, cpu0, e, cpu1, g, fid in r["flows"]:
        ev.append({"ph": "s", "name": "unblock", "cat": "flow", "id": fid, "pid": 0, "tid": cpu0, "ts": us(s)})
        ev.append({"ph": "f", "bp": "e", "name": "unblock", "cat": "flow", "id": fid, "pid": 0, "tid": cpu1,
                   "ts": us(e), "args": {"goroutine": g}})
    for s, e, why, cpu in r["stw"]:
        ev.append({"ph": "X", "name": f"STW: {why}", "cat": "stw", "pid": 0, "tid": 100, "ts": us(s),
                   "dur": us(e) - us(s), "args": {"by core": cpu}})
    for s, e, cpu in r["fep"]:
        ev.append({"ph": "X", "name": "forEachP", "cat": "foreachp", "pid": 0, "tid": 100, "ts": us(s),
                   "dur": us(e) - us(s), "args": {"by core": cpu}})
    for s, e, phase, heap in r["gc"]:
        ev.append({"ph": "X", "name": f"GC {phase}", "cat": "gc", "pid": 0, "tid": 101, "ts": us(s),
                   "dur": us(e) - us(s), "args": {"heap_alloc": heap}})
    for g, name, s, e in r["regions"]:
        ev.append({"ph": "b", "name": name, "cat": "region", "id": g, "pid": 0, "tid": 102, "ts": us(s)})
        ev.append({"ph": "e", "name": name, "cat": "region", "id": g, "pid": 0, "tid": 102, "ts": us(e)})
    for cpu, ts, g, cat, msg in r["logs"]:
        ev.append({"ph": "i", "s": "t", "name": f"{cat}: {msg}", "cat": "log", "pid": 0, "tid": cpu, "ts": us(ts),
                   "args": {"goroutine": g}})
    with open(path, "w") as f:
        json.dump({"traceEvents": ev, "displayTimeUnit": "ns"}, f)


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_svg(sec, r, path):
    W, left, row, top = 1400, 80, 34, 40
    span = max(r["t1"] - r["t0"], 1)
    x = lambda ns: left + (ns - r["t0"]) * (W - left - 20) / span
    H = top + row * sec.ncpu + 60
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
         f'<text x="{left}" y="16" font-size="13">goro trace: {sec.ncpu} cores, {span / 1e6:.3f} ms</text>']
    bottom = top + row * sec.ncpu
    for s, e, phase, _ in r["gc"]:
        fill = {"mark": "#7aa6ff", "sweep": "#b8e0b8"}.get(phase, "#ffd27a")
        o.append(f'<rect x="{x(s):.1f}" y="{top - 6}" width="{max(x(e) - x(s), 0.5):.1f}" height="{bottom - top + 6}" '
                 f'fill="{fill}" fill-opacity="0.25"><title>GC {esc(phase)}</title></rect>')
    for s, e, why, _ in r["stw"]:
        o.append(f'<rect x="{x(s):.1f}" y="{top - 6}" width="{max(x(e) - x(s), 0.5):.1f}" height="{bottom - top + 6}" '
                 f'fill="#ff4040" fill-opacity="0.3"><title>stop the world: {esc(why)}</title></rect>')
    for c in range(sec.ncpu):
        y = top + c * row
        o.append(f'<text x="4" y="{y + row / 2 + 4}">core {c}</text>')
        o.append(f'<line x1="{left}" y1="{y + row - 2}" x2="{W - 20}" y2="{y + row - 2}" stroke="#ddd"/>')
    for cpu, g, s, e, why in r["slices"]:
        y = top + cpu * row
        o.append(f'<rect x="{x(s):.2f}" y="{y + 3}" width="{max(x(e) - x(s), 0.3):.2f}" height="{row - 8}" '
                 f'fill="{color(g)}"><title>G{g} {(e - s) / 1000:.1f} us, {esc(why)}</title></rect>')
    for cpu, ts, name, g in r["instants"]:
        if name.startswith("preempted"):
            y = top + cpu * row
            o.append(f'<path d="M{x(ts):.1f},{y + 1} l-3,-5 h6 z" fill="black"><title>{esc(name)} G{g}</title></path>')
    ty = bottom + 20
    o.append(f'<text x="{left}" y="{ty}">0</text><text x="{W - 90}" y="{ty}">{span / 1e6:.3f} ms</text>')
    o.append(f'<text x="{left}" y="{ty + 18}">goroutines coloured by id; red: stop the world; blue: GC mark; '
             f'yellow: GC sweep/mark termination; green: GC sweep; triangles: preemptions</text>')
    o.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(o) + "\n")


def summary(sec, r, model):
    span = max(r["t1"] - r["t0"], 1)
    lines = [f"trace: {sec.ncpu} cores, {span / 1e6:.3f} ms, {sum(len(b) for b in sec.bufs.values())} buffers"]
    for c in range(sec.ncpu):
        busy = sum(e - s for cpu, g, s, e, _ in r["slices"] if cpu == c)
        lines.append(f"  core {c}: busy {100 * busy / span:5.1f}%  idle {100 - 100 * busy / span:5.1f}%")
    lines.append(f"goroutines: {len(model.tokens)}")
    p = r["preempt"]
    lines.append(f"preemptions: tick {p.get('tick', 0)}, request {p.get('request', 0)}, "
                 f"suspend (stack scan) {p.get('suspend', 0)}")
    pauses = [e - s for s, e, _, _ in r["stw"]]
    lines.append(f"stop-the-world: {len(pauses)}, total {sum(pauses) / 1000:.1f} us, "
                 f"max {max(pauses, default=0) / 1000:.1f} us")
    lines.append(f"GC cycles: {sum(1 for _, _, ph, _ in r['gc'] if ph == 'sweep termination')}")
    lines.append(f"forEachP: {len(r['fep'])}")
    return "\n".join(lines)


def load(args):
    if args.console:
        with open(args.console, errors="replace") as f:
            return from_console(f.read())
    with open(args.file, "rb") as f:
        return f.read()


def decode(data):
    """[(section, merged events, model, analysis)]; errors in section.errors."""
    out = []
    for sec in sections(data):
        per = events_of(sec)
        if not sec.ended:
            sec.errors.append("the section has no end record (trace not stopped?)")
        evs, model = merge(sec, per)
        out.append((sec, evs, model, analyse(sec, evs, model)))
    if not out:
        raise TraceError("no trace section")
    return out


def main_decode(args):
    try:
        res = decode(load(args))
    except (TraceError, OSError) as e:
        print(f"gorotrace: {e}", file=sys.stderr)
        return 1
    sec, evs, model, r = res[-1]
    if args.json:
        write_json(sec, r, args.json)
    if args.svg:
        write_svg(sec, r, args.svg)
    bad = 0
    for s, *_ in res:
        for e in s.errors:
            print(f"gorotrace: inconsistent: {e}", file=sys.stderr)
            bad += 1
    print(summary(sec, r, model))
    return 1 if bad else 0


def check(args):
    """The tests' checker: ok/not ok lines; the image's output says what to expect:
      trace-expect G REGEX     goroutine G's events (create start stop:tick block:chan_receive
                               unblock unblock:timer end ...) joined by spaces match REGEX
      trace-seq CAT N          log lines of category CAT carry 0..N-1, each exactly once
      trace-min WHAT N         at least N of: stw, gc, gen (generation advances), fep, scans
    """
    results = []
    try:
        res = decode(load(args))
    except (TraceError, OSError) as e:
        res, results = [], [(False, "trace decodes", str(e))]
    with open(args.output, errors="replace") as f:
        out = f.read()
    for sec, evs, model, r in res:
        results.append((not sec.errors, "trace consistent (no event lost, duplicated or out of order)",
                        "; ".join(sec.errors[:3])))
        bad = [(cpu, g) for cpu, g, s, e, why in r["slices"] if why == "running at end" and g != 1 and g not in model.system]
        results.append((not bad, "every goroutine start has its stop", f"left running: {bad[:5]}"))
        for m in re.finditer(r"^trace-expect (\d+) (.*\S)\s*$", out, re.M):
            g, want = int(m.group(1)), m.group(2)
            got = " ".join(model.tokens.get(g, []))
            results.append((re.fullmatch(want, got) is not None, f"goroutine {g} events in order",
                            f"got '{got[:300]}', want /{want}/"))
        for m in re.finditer(r"^trace-seq (\S+) (\d+)\s*$", out, re.M):
            cat, n = m.group(1), int(m.group(2))
            seen = [msg for _, _, _, c, msg in r["logs"] if c == cat]
            counts = {}
            for s in seen:
                counts[s] = counts.get(s, 0) + 1
            missing = [i for i in range(n) if counts.get(str(i), 0) == 0]
            dup = [k for k, v in counts.items() if v > 1]
            results.append((not missing and not dup and len(seen) == n, f"log sequence {cat}: {n} lines once each",
                            f"{len(seen)} lines, missing {missing[:5]}, duplicated {dup[:5]}"))
        counts = {"stw": len(r["stw"]), "fep": len(r["fep"]),
                  "gc": sum(1 for _, _, ph, _ in r["gc"] if ph == "sweep termination"),
                  "gen": len({a for _, t, a, _, _ in evs if t == EV_GEN}),
                  "scans": sum(1 for e in evs if e[1] == EV_STACKSCAN)}
        for m in re.finditer(r"^trace-min (\w+) (\d+)\s*$", out, re.M):
            what, n = m.group(1), int(m.group(2))
            results.append((counts.get(what, 0) >= n, f"at least {n} {what}", f"{counts.get(what, 0)}"))
        import os, tempfile, xml.etree.ElementTree as ET
        with tempfile.TemporaryDirectory() as d:
            jp, sp = os.path.join(d, "t.json"), os.path.join(d, "t.svg")
            write_json(sec, r, jp)
            write_svg(sec, r, sp)
            try:
                with open(jp) as f:
                    n = len(json.load(f)["traceEvents"])
                results.append((n > 0, "JSON parses", "no events"))
            except ValueError as e:
                results.append((False, "JSON parses", str(e)))
            try:
                root = ET.parse(sp).getroot()
                results.append((root.tag.endswith("svg"), "SVG is well-formed XML", root.tag))
            except ET.ParseError as e:
                results.append((False, "SVG is well-formed XML", str(e)))
        print("# " + summary(sec, r, model).replace("\n", "\n# "))
    if args.expect_fail:
        why = [f"{name}: {detail}" for ok, name, detail in results if not ok]
        hit = [w for w in why if re.search(args.expect_fail, w)]
        if hit:
            print(f"ok - negative control: the checker failed as it must ({hit[0][:200]})")
        else:
            print(f"not ok - negative control: the checker did not report /{args.expect_fail}/ "
                  f"(failures: {why[:3]})")
        return 0
    for ok, name, detail in results:
        print(f"ok - {name}" if ok else f"not ok - {name}: {detail}")
    return 0 if all(ok for ok, *_ in results) else 1


def main():
    argv = sys.argv[1:]
    mode = "decode"
    if argv and argv[0] == "check":
        mode, argv = "check", argv[1:]
    ap = argparse.ArgumentParser(prog="gorotrace.py")
    ap.add_argument("file", nargs="?")
    ap.add_argument("--console", help="a console log holding @GT frames")
    ap.add_argument("--json")
    ap.add_argument("--svg")
    ap.add_argument("--output", help="check: the image's console output")
    ap.add_argument("--expect-fail", help="check: a negative control; pass only if a failure matches")
    args = ap.parse_args(argv)
    if not args.file and not args.console:
        ap.error("a trace file or --console LOG")
    return check(args) if mode == "check" else main_decode(args)


if __name__ == "__main__":
    sys.exit(main())
