#!/usr/bin/env bash
# tests/model/switch.sh: model-check the direct switch's publish order
# (tests/model/switch.pml, runtime/switch.h) with spin. Six runs:
#   switch-gosched, switch-park   the order arch_switch_* has (registers, status, word),
#                                 for a yield (a thief takes g) and a channel's park (a
#                                 sender readies g): spin must verify both (exhaustive).
#   switch-*-early                the negative controls: status and word published
#                                 before the registers are saved: spin must find a
#                                 scan or a resume of unsaved registers.
#   switch-*-word-first           the word before the status: spin must find a taker's
#                                 CAS meeting a running goroutine (a throw).
# Verifiers and outputs go to build/model/<run>/ (MODEL_OUT). Prints "ok - model ..."
# or "not ok - model ..." per run; exits non-zero on any "not ok". Needs spin and cc.
source "$(dirname "${BASH_SOURCE[0]}")/spin.bash"

pan() { spin_pan switch.pml "$1" 10000 "${@:2}"; }

for kind in gosched:RUNNABLE park:WAITING; do
    name=${kind%%:*} s=${kind#*:}
    pan "switch-$name" -DS="$s"
    spin_expect_verified "switch-$name" "spin verifies the direct switch's order (registers, status $s, the word): every scan and resume finds the registers saved; no deadlock"

    pan "switch-$name-early" -DS="$s" -DEARLY
    p=$out/switch-$name-early/pan.out
    if grep -q "assertion violated" "$p"; then
        echo "ok - model switch-$name-early: with status and word published before the save, spin finds unsaved registers read: $(grep -m1 'assertion violated' "$p" | sed 's/^pan:1: //')"
    else
        echo "not ok - model switch-$name-early: spin finds nothing wrong with publishing first: the model has lost its teeth"
        failed=1
    fi

    pan "switch-$name-word-first" -DS="$s" -DWORD_FIRST
    p=$out/switch-$name-word-first/pan.out
    if grep -q "assertion violated" "$p"; then
        echo "ok - model switch-$name-word-first: with the word stored before the status, spin finds a taker's CAS on a running goroutine: $(grep -m1 'assertion violated' "$p" | sed 's/^pan:1: //')"
    else
        echo "not ok - model switch-$name-word-first: spin finds nothing wrong with the word first: the model has lost its teeth"
        failed=1
    fi
done
exit $failed
