/* world_torture's mutators under back-to-back cycles, built with GCCHECK=1: after every
 * cycle the checkmark re-marks with the world stopped and panics on any reachable
 * object the concurrent mark missed (the barrier's and the stack scans' check, with
 * lists rebuilt through goro_store all the time). No forEachP, stop or spinner
 * goroutines: the checkmark's own stops are enough, and a short run covers many
 * cycles. It was out of the suite for a while: it reported "missed" objects 8 times
 * in 80 runs, each named by a value that was no live pointer: a dead caller-saved
 * register saved in a trap frame (GCCHECK builds now clear them in arch_gogo) and the
 * low half of m->slice_end (now slice_start) on raspi2b (the per-core tables are now GORO_NOSCAN).
 * Since: 0 in 100 runs (riscv64 SMP 2 and 4, virt-arm SMP 2, raspi2b SMP 4). */
//! smp: 2 4
//! soak: yes
//! variant: gccheck
//! timeout: 240
//! seeds: 2
#define TORTURE_NS 3000000000LL
#define FOREACHP 0
#define STWS 0
#define SPINNERS 0
#include "world_torture.c"
