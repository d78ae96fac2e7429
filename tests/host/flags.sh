#!/usr/bin/env bash
# The Makefile's flag stamps (FLAGS_STAMP, APP_STAMP): a changed EXTRA_CFLAGS rebuilds
# the objects, the same flags again rebuild nothing, APP_CFLAGS rebuilds the
# application's files and not the lib's, a flag the compiler rejects stops the build
# with a message naming the variable; and `make clean` removes BUILD_ROOT (and refuses
# /); an application file named with ../ keeps its object in the board's build
# directory (make -n). Builds two small objects for qemu-virt-riscv64 in its own
# BUILD_ROOT (a few s).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=build/host/flags
rm -rf "$root"
mk() { make -s --no-print-directory BOARD=qemu-virt-riscv64 BUILD_ROOT="$root" "$@"; }
lib=$root/qemu-virt-riscv64/lib/kernel/fmt.c.o
app=$root/qemu-virt-riscv64/lib/examples/demo.c.o
mark=$root/mark
say() { if [ "$1" = 0 ]; then echo "ok - host flags: $2"; else echo "not ok - host flags: $2${3:+: $3}"; fi; }
newer() { [ "$1" -nt "$mark" ] && echo 0 || echo 1; }

if ! out=$(mk "$lib" "$app" 2>&1); then
    say 1 "the objects build" "$out"
    exit 1
fi
touch "$mark"
mk "$lib" "$app" >/dev/null 2>&1
say "$([ "$(newer "$lib")" = 1 ] && [ "$(newer "$app")" = 1 ] && echo 0 || echo 1)" "the same flags rebuild nothing"
touch "$mark"
mk "$lib" "$app" EXTRA_CFLAGS=-DGORO_FLAGS_TEST=1 >/dev/null 2>&1
say "$([ "$(newer "$lib")" = 0 ] && [ "$(newer "$app")" = 0 ] && echo 0 || echo 1)" "a changed EXTRA_CFLAGS rebuilds the lib and the application"
touch "$mark"
mk "$lib" "$app" EXTRA_CFLAGS=-DGORO_FLAGS_TEST=1 APP_CFLAGS=-DGORO_APP_TEST=1 >/dev/null 2>&1
say "$([ "$(newer "$lib")" = 1 ] && [ "$(newer "$app")" = 0 ] && echo 0 || echo 1)" "a changed APP_CFLAGS rebuilds the application's files only"
out=$(mk "$lib" EXTRA_CFLAGS=-fno-such-flag-goro 2>&1); st=$?
say "$([ $st -ne 0 ] && echo "$out" | grep -q "EXTRA_CFLAGS='-fno-such-flag-goro' is rejected" && echo 0 || echo 1)" \
    "a bad EXTRA_CFLAGS fails with a message" "status $st, output: $out"
out=$(mk "$lib" APP_CFLAGS=-fno-such-flag-goro 2>&1); st=$?
say "$([ $st -ne 0 ] && echo "$out" | grep -q "APP_CFLAGS='-fno-such-flag-goro' is rejected" && echo 0 || echo 1)" \
    "a bad APP_CFLAGS fails with a message" "status $st, output: $out"
# An application file named with ../ (or an absolute path): its object stays inside the
# board's lib directory, under app/ by its absolute path (it used to land wherever the
# ../ led, in a directory every board shares).
mkdir -p "$root/src"
printf 'int main(void) { return 0; }\n' > "$root/src/outside.c"
rel=../$(basename "$PWD")/$root/src/outside.c
out=$(mk -n image APP="$rel" 2>&1); st=$?
objs=$(echo "$out" | grep -o -- "-o [^ ]*outside\.c\.o" | sort -u)
want="-o $root/qemu-virt-riscv64/lib/app$PWD/$root/src/outside.c.o"
say "$([ $st -eq 0 ] && [ "$objs" = "$want" ] && echo 0 || echo 1)" "APP=../path builds its object inside the board's lib directory" \
    "status $st, objects: $objs"
out=$(make -s --no-print-directory clean BUILD_ROOT=/ 2>&1); st=$?
say "$([ $st -ne 0 ] && echo "$out" | grep -q "not a build directory" && echo 0 || echo 1)" "make clean refuses BUILD_ROOT=/" "status $st"
mk clean >/dev/null 2>&1
say "$([ ! -e "$root" ] && echo 0 || echo 1)" "make clean removes BUILD_ROOT"
