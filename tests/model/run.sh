#!/usr/bin/env bash
# tests/model/run.sh: model-check goro's Rule 0 protocol (tests/model/world.pml) with spin.
#
# Three families of runs: forEachP (goroutine F and the mark worker W), stop-the-world
# (S and W), and all three goroutines together (F, S, W; the world lock, worldsema,
# serialises F and S). In each family, one line per run:
#   <family>-wrapped         goro's code as written (Rule 0 and both fixes): spin must verify it
#                            (no invalid end state, no assertion failure, exhaustive),
#                            and a second run must show that the search reaches the
#                            interleaving that deadlocks without Rule 0.
#   <family>-without-<fix>   (stw, all) goro's code with Rule 0 but without one of the two
#                            fixes the model found (FIX_SCAN_HOLDS_M, FIX_STW_PREEMPTOFF,
#                            world.pml's header; both are in runtime/ now): spin must find
#                            the deadlock that fix prevents.
#   <family>-unwrapped       the -wrapped model without Rule 0, so that Rule 0 is the
#                            only thing missing: spin must report an invalid end state
#                            (a deadlock), and its trail must end in the Rule 0 deadlock
#                            (W spinning in suspend_g on a goroutine that runs on g0
#                            waiting for W's P). The trail is kept in build/model/.
# Time-slice ends (-DTICKS) are on everywhere. forEachP and stop-the-world run with 3 Ps
# (NP_SEP), the combined model with 2 (NP_ALL; with 3 Ps the fixed model has 41 M
# states: 5 GB, about a minute with pan at -O2). Every search is exhaustive (full state
# storage, no bitstate, no depth limit reached) unless a line says otherwise; pan is
# compiled -O0, as compiling takes longer than the searches. Verifiers, outputs and trails go to build/model/<run>/ (MODEL_OUT).
# Prints "ok - model ..." or "not ok - model ..." per run and exits non-zero on any "not ok".
# Runs from any directory; needs spin and a host cc (CC).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/spin.bash"
np_sep=${NP_SEP:-3}
np_all=${NP_ALL:-2}
fixes="-DFIX_SCAN_HOLDS_M -DFIX_STW_PREEMPTOFF"

mkdir -p "$out"
echo "# $(spin -V 2>&1 | head -1); verifiers in ${out#"$root"/}/<run>/"

# pan <dir> <flags...>: generate, compile and run the verifier for world.pml with flags in
# $out/<dir>; its output is $out/<dir>/pan.out. Sets errors, states, depth, exhaustive.
pan() {
    local dir=$out/$1
    shift
    spin_pan world.pml "${dir#"$out"/}" 100000 -DTICKS "$@" ||
        { errors=-1; states=0; depth=0; exhaustive=no; return 0; }
    errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$dir/pan.out" | head -1)
    states=$(awk '/states, stored/ { print $1; exit }' "$dir/pan.out")
    depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' "$dir/pan.out" | head -1)
    errors=${errors:--1}
    states=${states:-0}
    depth=${depth:-0}
    exhaustive=yes
    if [ "$errors" != 0 ] || grep -q "max search depth too small" "$dir/pan.out" ||
        ! grep -q "Full statespace search" "$dir/pan.out"; then
        exhaustive=no
    fi
}

# kind <dir> <flags...>: replay the trail in $out/<dir> and name the deadlock its last
# state shows: rule0, scan-held, stopper-preempted (several possible), or unknown.
kind() {
    local dir=$out/$1
    shift
    { (cd "$dir" && spin -DTICKS "$@" -t -g world.pml 2>/dev/null) || true; } | awk '
        /^spin: trail ends/ { fin = 1; next }
        fin && /^\t\t[a-z_0-9]+(\[[0-9]+\])? = -?[0-9]+$/ {
            sub(/^\t\t/, ""); split($0, kv, " = "); v[kv[1]] = kv[2]
        }
        END {
            c = ""; t = v["wtarget"]
            if (t != "" && t != 255 && v["ong0[" t "]"] == 1 && v["gstatus[" t "]"] == 2) c = c " rule0"
            for (g = 0; g < 3; g++)
                if (v["gstatus[" g "]"] >= 8 && v["gm[2]"] == 255) { c = c " scan-held"; break }
            if (v["gcwaiting"] == 1 && v["stopwait"] == 0 && v["gm[1]"] == 255 && v["gstatus[1]"] == 1)
                c = c " stopper-preempted"
            print (c == "" ? "unknown" : substr(c, 2))
        }'
}

describe() {
    case $1 in
    rule0) echo "the Rule 0 deadlock: W spins non-preemptibly in suspend_g on a goroutine that, still running, waits on g0 for W's P" ;;
    scan-held) echo "W, preempted while it owns a stack (suspend_g releasem()s before the scan), cannot run while the goroutine it scanned waits for the SCAN bit with the world stopped (or a P spins on it in execute)" ;;
    stopper-preempted) echo "the stopper is preempted between systemstack's return and acquirem() in goro_stop_the_world with the world stopped; its M parks in gcstopm for ever" ;;
    *) echo "a deadlock of kind '$1'" ;;
    esac
}

last=ok
result() {      # result ok|notok <name> <text>
    last=$1
    if [ "$1" = ok ]; then
        echo "ok - model $2: $3"
    else
        echo "not ok - model $2: $3"
        failed=1
    fi
}

unwrapped() {   # unwrapped <name> <flags...>
    local name=$1
    shift
    pan "$name" "$@"
    local trail=$out/$name/world.pml.trail
    if [ "$errors" = -1 ]; then
        result notok "$name" "spin or cc failed (see ${out#"$root"/}/$name/)"
    elif grep -q "invalid end state" "$out/$name/pan.out" && [ -f "$trail" ]; then
        local k
        k=$(kind "$name" "$@")
        if [ "$k" = rule0 ]; then
            result ok "$name" "${note}spin finds the deadlock (invalid end state at depth $depth, after $states states): $(describe rule0)"
        else
            result notok "$name" "${note}spin finds an invalid end state, but not the Rule 0 deadlock: $(describe "$k")"
        fi
        echo "# trail: ${trail#"$root"/} (replay: cd ${out#"$root"/}/$name && spin -t -p -DTICKS $* world.pml)"
    elif grep -q "assertion violated" "$out/$name/pan.out"; then
        result notok "$name" "an assertion fails: $(grep -m1 'assertion violated' "$out/$name/pan.out")"
    else
        result notok "$name" "spin finds no deadlock without Rule 0 ($errors errors, $states states): the model has lost its teeth"
    fi
}

wrapped() {     # wrapped <name> <flags...>
    local name=$1
    shift
    pan "$name" "$@"
    local n=$states d=$depth
    if [ "$errors" = -1 ]; then
        result notok "$name" "spin or cc failed (see ${out#"$root"/}/$name/)"
        return
    fi
    if [ "$errors" != 0 ]; then
        local trail=$out/$name/world.pml.trail why
        if grep -q "invalid end state" "$out/$name/pan.out"; then
            why="${note}spin finds a deadlock (invalid end state at depth $depth) with Rule 0 applied: $(describe "$(kind "$name" "$@")")"
        else
            why="$(grep -m1 '^pan:1' "$out/$name/pan.out")"
        fi
        result notok "$name" "$why"
        echo "# trail: ${trail#"$root"/} (replay: cd ${out#"$root"/}/$name && spin -t -p -DTICKS $* world.pml)"
        return
    fi
    if [ "$exhaustive" != yes ]; then
        result notok "$name" "0 errors, but the search was not exhaustive (see ${out#"$root"/}/$name/pan.out)"
        return
    fi
    pan "$name-witness" -DWITNESS "$@"
    if grep -q "assertion violated 0 " "$out/$name-witness/pan.out"; then
        result ok "$name" "${note}spin verifies no invalid end state and no assertion failure, $n states (exhaustive, depth $d); the search reaches the unwrapped deadlock's interleaving (W in suspend_g on a goroutine waiting on g0 for W's P)"
    else
        result notok "$name" "0 errors in $n states, but the search never reaches the interleaving that deadlocks without Rule 0: the check is vacuous"
    fi
}

note=            # what a line's model adds to goro's code, if anything
start=$(date +%s)
for fam in foreachp stw all; do
    case $fam in
    foreachp) g="-DHAVE_F" np=$np_sep ;;
    stw) g="-DHAVE_S" np=$np_sep ;;
    all) g="-DHAVE_F -DHAVE_S" np=$np_all ;;
    esac
    note="with both fixes, Rule 0 left out: "
    # shellcheck disable=SC2086   # flags are words
    unwrapped "$fam-unwrapped" -DNP=$np $g $fixes
    note="goro as written (both fixes are in runtime/): "
    # shellcheck disable=SC2086
    wrapped "$fam-wrapped" -DNP=$np $g -DWRAPPED $fixes
    if [ "$fam" != foreachp ]; then   # without the fixes the model must find both deadlocks again
        for fix in $fixes; do
            d=$fam-without-$(tr 'A-Z_' 'a-z-' <<<"${fix#-DFIX_}")
            other=${fixes/$fix/}
            # shellcheck disable=SC2086
            pan "$d" -DNP=$np $g -DWRAPPED $other
            if [ "$errors" != 0 ] && grep -q "invalid end state" "$out/$d/pan.out"; then
                result ok "$d" "with Rule 0 but without ${fix#-D}, spin finds the deadlock it prevents: $(describe "$(kind "$d" -DNP=$np $g -DWRAPPED $other)")"
            else
                result notok "$d" "without ${fix#-D} spin finds no deadlock ($errors errors): the model lost its teeth"
            fi
        done
    fi
done
echo "# $(($(date +%s) - start)) s"
exit $failed
