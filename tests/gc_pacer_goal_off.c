/* Negative control for gc_pacer_goal.c: gcpacer=off restores the old pacing (a cycle
 * starts only when heap_alloc reaches the goal, every 64th allocation during mark scans
 * 32 objects, no waiting, no proportional sweep); the heap must overshoot the bound.
 * SMP=2: the old pacing peaked at 5-7 x the goal there on riscv64 and virt-arm. */
//! smp: 2
//! args: gcpacer=off
//! expect: exit 1
//! timeout: 90
//! output: ^not ok - heap holds its goal: heap_alloc peaked at
#include "gc_pacer_goal.c"
