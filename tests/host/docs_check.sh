#!/usr/bin/env bash
# The API pages cover the API: every function declared in runtime/goro.h has an entry
# in docs/api/*.md, and every entry there names something goro.h declares (no entry
# outlives its function). An entry is a markdown heading, or a table row's first cell,
# whose first code span contains the name (docs/README.md, "Rules for the API pages");
# a mention in running text doesn't count. Prints `ok - docs ...` / `not ok - docs ...`
# lines; exit status 1 on any failure.
# Usage: bash tests/host/docs_check.sh [HEADER [API_DIR]] (defaults: runtime/goro.h,
# docs/api; the arguments let a negative control point it at an edited copy).
set -euo pipefail
cd "$(dirname "$0")/../.."
HEADER=${1:-runtime/goro.h}
API_DIR=${2:-docs/api}

python3 - "$HEADER" "$API_DIR" <<'EOF'
import glob, os, re, sys

header, api_dir = sys.argv[1], sys.argv[2]
failed = False

def say(ok, msg):
    global failed
    failed |= not ok
    print(("ok" if ok else "not ok") + " - docs: " + msg)

try:
    src = open(header).read()
except OSError as e:
    say(False, f"cannot read {header}: {e.strerror}")
    sys.exit(1)
# Comments out (they mention calls such as goro_pin(p)), strings too; then every
# identifier goro_... directly followed by "(" is a declared function (or function
# macro). A function-pointer typedef, (*goro_fn)(...), is followed by ")".
code = re.sub(r"/\*.*?\*/|//[^\n]*|\"(\\.|[^\"\\])*\"", " ", src, flags=re.S)
funcs = sorted(set(re.findall(r"\b(goro_[a-z0-9_]+)\s*\(", code)))
declared = set(re.findall(r"\bgoro_[a-z0-9_]+\b", code))
if len(funcs) < 20:
    say(False, f"found only {len(funcs)} functions in {header}: is the parser broken?")
    sys.exit(1)

pages = sorted(glob.glob(os.path.join(api_dir, "*.md")))
if not pages:
    say(False, f"no pages in {api_dir}")
    sys.exit(1)

entry_re = re.compile(r"^\s*(#{1,6}\s|\|)")      # a heading, or a table row
span_re = re.compile(r"`([^`]+)`")
documented = {}                                  # name -> first page:line
strays = []                                      # entries naming nothing in goro.h
for page in pages:
    in_fence = False
    for n, line in enumerate(open(page, encoding="utf-8"), 1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or not entry_re.match(line):
            continue
        if line.lstrip().startswith("|"):
            cells = line.strip().strip("|").split("|")
            line = cells[0] if cells else ""
        m = span_re.search(line)
        if not m:
            continue
        for name in re.findall(r"\bgoro_[a-z0-9_]+\b", m.group(1)):
            documented.setdefault(name, f"{page}:{n}")
            if name not in declared:
                strays.append(f"{page}:{n}: an entry for {name}, which {header} does not declare")

missing = [f for f in funcs if f not in documented]
for f in missing:
    say(False, f"{f} ({header}) has no entry in {api_dir}/*.md")
if not missing:
    say(True, f"all {len(funcs)} functions of {header} have an entry in {api_dir}/*.md")
for s in strays:
    say(False, s)
if not strays:
    say(True, f"every entry in {api_dir}/*.md names something {header} declares")
sys.exit(1 if failed else 0)
EOF
