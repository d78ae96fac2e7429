# tests/model/spin.bash: what the model scripts (run.sh, pin.sh, switch.sh) share. Sourced
# by each; not a test of its own (tests/run.py runs tests/model/*.sh). Sets here, root,
# out (MODEL_OUT, default build/model), cc (CC) and failed=0, and exits with "not ok"
# when spin is missing.
#   spin_pan <model> <dir> <max depth> <flags...>: copies tests/model/<model> into
#       $out/<dir>, generates the verifier with spin <flags> (its command line in cmd),
#       compiles it and runs it to <max depth>; its output is $out/<dir>/pan.out.
#       Returns non-zero only if a step could not run at all.
#   spin_verified <pan.out>: spin found no error, searched the whole state space and
#       was not cut short by the depth.
#   spin_states <pan.out>: the number of states stored.
#   spin_expect_verified <run> <what>: prints "ok - model <run>: <what> (N states,
#       exhaustive)" if spin_verified, else "not ok" with spin's first complaint and
#       sets failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${MODEL_OUT:-$root/build/model}
cc=${CC:-cc}
failed=0

if ! command -v spin >/dev/null 2>&1; then
    echo "not ok - model: spin is not installed (apt-get install spin)"
    exit 1
fi

spin_pan() {
    local model=$1 dir=$out/$2 depth=$3
    shift 3
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$here/$model" "$dir/$model"
    (
        cd "$dir"
        echo "spin $* -a $model" >cmd
        spin "$@" -a "$model" >spin.out 2>&1
        "$cc" -O0 -DSAFETY -w -o pan pan.c >cc.out 2>&1
        ./pan -m"$depth" >pan.out 2>&1 || true
    )
}

spin_verified() {
    grep -q "errors: 0" "$1" && grep -q "Full statespace search" "$1" && ! grep -q "max search depth too small" "$1"
}

spin_states() {
    awk '/states, stored/ { print $1; exit }' "$1"
}

spin_expect_verified() {
    local p=$out/$1/pan.out
    if spin_verified "$p"; then
        echo "ok - model $1: $2 ($(spin_states "$p") states, exhaustive)"
    else
        echo "not ok - model $1: $(grep -m1 -E 'assertion violated|invalid end state|errors:' "$p") (see ${p#"$root"/})"
        failed=1
    fi
}
