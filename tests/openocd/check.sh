#!/bin/bash
# Every board/*/openocd.cfg parses offline (OpenOCD's dummy adapter; no probe, no `init`),
# alone and behind the board's default probe config (OPENOCD_PROBE in board.mk), and
# creates its targets; a copy with a typo must be rejected, or this check proves nothing.
# Prints ok/not ok lines; exits non-zero on a failure.
cd "$(dirname "$0")/../.." || exit 1
fail=0

# parses ARGS...: OpenOCD reads the configs ARGS name, lists the targets and stops before
# `init`; prints how many targets it created, or fails with its last lines of output.
parses() {
	local out
	out=$(timeout -k 5 30 openocd "$@" -c targets -c shutdown 2>&1)
	local st=$?
	if [ $st -ne 0 ] || grep -q '^Error' <<<"$out" || ! grep -q 'shutdown command invoked' <<<"$out"; then
		echo "$out" | grep -v '^Open On-Chip\|^Licensed\|^For bug\|http' | tail -8 | sed 's/^/    | /'
		return 1
	fi
	grep -Ec '^ *[0-9]+\*? +[^ ]+ +(riscv|cortex_a|mem_ap) ' <<<"$out"
}

if ! command -v openocd >/dev/null; then
	echo "not ok - openocd: not installed (run 'make deps')"
	exit 1
fi
cfgs=$(ls board/*/openocd.cfg 2>/dev/null)
if [ -z "$cfgs" ]; then
	echo "not ok - openocd: no board/*/openocd.cfg"
	exit 1
fi
for cfg in $cfgs; do
	board=$(basename "$(dirname "$cfg")")
	if n=$(parses -c 'adapter driver dummy' -f "$cfg") && [ "$n" -ge 1 ]; then
		echo "ok - openocd $board: openocd.cfg parses ($n targets)"
	else
		echo "not ok - openocd $board: openocd.cfg does not parse offline or creates no target"
		echo "$n"
		fail=1
	fi
	probe=$(sed -n 's/^OPENOCD_PROBE *:\?= *//p' "board/$board/board.mk")
	if [ -z "$probe" ]; then
		echo "not ok - openocd $board: board.mk sets no OPENOCD_PROBE (make flash's default probe)"
		fail=1
	elif n=$(parses -f "$probe" -f "$cfg"); then
		echo "ok - openocd $board: parses behind its default probe $probe"
	else
		echo "not ok - openocd $board: does not parse behind its default probe $probe"
		echo "$n"
		fail=1
	fi
done

# The negative control: the first config with `target create` misspelt must fail.
bad=$(mktemp --suffix=.cfg)
trap 'rm -f "$bad"' EXIT
cfg=$(echo "$cfgs" | head -1)
{ cat "$cfg"; echo "target creat typo.cpu riscv -chain-position nowhere.cpu"; } >"$bad"
if parses -c 'adapter driver dummy' -f "$bad" >/dev/null; then
	echo "not ok - openocd: a config with a typo (target creat) was accepted"
	fail=1
else
	echo "ok - openocd: a config with a typo is rejected"
fi
exit $fail
