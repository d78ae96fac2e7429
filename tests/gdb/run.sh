#!/usr/bin/env bash
# The GDB extension's test (tools/gdb/goro.py) on QEMU's GDB stub; see tests/gdb/check.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 tests/gdb/check.py "$@"
