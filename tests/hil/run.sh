#!/usr/bin/env bash
# The HIL runner's own test, with QEMU standing in for the board; see tests/hil/selftest.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 tests/hil/selftest.py "$@"
