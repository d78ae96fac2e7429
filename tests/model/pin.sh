#!/usr/bin/env bash
# tests/model/pin.sh: model-check a P's lock-free inbox (tests/model/pin.pml, runtime/pin.c)
# with spin. Two runs:
#   pin-closed        the push as written (the CLOSED marker): spin must verify it
#                     (no assertion failure, no invalid end state, exhaustive).
#   pin-status-check  the negative control: the push checking the P's status instead
#                     of the marker: spin must find the goroutine stranded on a dead
#                     P's inbox (an assertion failure: neither run, drained nor failed).
# Verifiers, outputs and trails go to build/model/<run>/ (MODEL_OUT). Prints "ok - model
# ..." or "not ok - model ..." per run; exits non-zero on any "not ok". Needs spin and cc.
source "$(dirname "${BASH_SOURCE[0]}")/spin.bash"

pan() { spin_pan pin.pml "$1" 100000 "${@:2}"; }

pan pin-closed
spin_expect_verified pin-closed "spin verifies the inbox with the CLOSED marker: every goroutine pushed is run once by its P, drained once by pin_resize, or its push fails; no deadlock"

pan pin-status-check -DSTATUS_CHECK
p=$out/pin-status-check/pan.out
if grep -q "assertion violated" "$p" || grep -q "invalid end state" "$p"; then
    echo "ok - model pin-status-check: without the marker (the P's status read before the CAS) spin finds a goroutine lost: $(grep -m1 -E 'assertion violated|invalid end state' "$p" | sed 's/^pan:1: //')"
else
    echo "not ok - model pin-status-check: spin finds no lost goroutine without the CLOSED marker: the model has lost its teeth"
    failed=1
fi
exit $failed
