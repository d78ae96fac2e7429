#!/usr/bin/env bash
# The trace's console frames (runtime/tracewrite.c, tools/trace/gorotrace.py): cores
# write their records' frames concurrently, each record a range of frame numbers taken
# in stream order, so the decoder joins frames by number, not by their order in the log.
# Checked on made-up logs: two records' lines interleaved decode to the stream; a lost,
# a repeated and a cut frame (another core's output in the middle of the line) are each
# reported, not decoded.
set -uo pipefail
cd "$(dirname "$0")/../.."
python3 - <<'PY'
import base64, sys, zlib
sys.path.insert(0, "tools/trace")
import gorotrace

def frame(seq, payload):
    return f"@GT {seq} {base64.b64encode(payload).decode()} {zlib.crc32(payload):08x}\n"

def lines(first, data):
    return [frame(first + i, data[off:off + 48]) for i, off in enumerate(range(0, len(data), 48))]

a, b = bytes(range(200)), bytes(range(100, 250)) * 2      # two records: 5 and 7 frames
la, lb = lines(0, a), lines(5, b)
inter = [x for pair in zip(lb, la) for x in pair] + lb[len(la):]   # b's lines first, interleaved

def case(name, text, want=None, error=None):
    try:
        got = gorotrace.from_console(text)
    except gorotrace.TraceError as e:
        ok = error is not None and error in str(e)
        print(("ok" if ok else "not ok") + f" - host trace frames: {name}" + ("" if ok else f" (error: {e})"))
        return
    ok = error is None and got == want
    print(("ok" if ok else "not ok") + f" - host trace frames: {name}" + ("" if ok else " (decoded, want " + (error or "the stream") + ")"))

case("two records' lines interleaved decode to the stream in frame order", "boot\n" + "".join(inter), a + b)
case("a lost frame is reported", "".join(la[:2] + la[3:] + lb), error="frame 2: lost")
case("a repeated frame is reported", "".join(la + la[1:2] + lb), error="frame 1: repeated")
cut = la[3].rstrip("\n")
cut = cut[:30] + "panic: watchdog\n" + cut[30:] + "\n"
case("a line cut by other output is reported", "".join(la[:3]) + cut + "".join(la[4:] + lb), error="frame 3")
PY
