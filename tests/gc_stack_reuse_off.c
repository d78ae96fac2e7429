/* Negative control for gc_stack_reuse_checkmark.c: gcdebug=nobornclear leaves a stack
 * born scanned as the dead goroutine left it, and the checkmark must report the dead
 * frame's pointer as a missed object on the holder's stack. */
//! variant: gccheck
//! smp: 2
//! args: gcdebug=nobornclear
//! expect: exit 2
//! timeout: 120
//! boards: qemu-virt-arm
//! output: GCCHECK: object 0x[0-9a-f]+ .* reachable via stack
//! output: GCCHECK: goroutine [0-9]+ .* word 0x[0-9a-f]+ at 0x[0-9a-f]+, below \(dead then: written after the scan\)
#include "gc_stack_reuse_checkmark.c"
