/* world_torture's mutators under back-to-back cycles, built with GCCHECK=1: after every
 * cycle the checkmark re-marks with the world stopped and panics on any reachable
 * object the concurrent mark missed (the barrier's and the stack scans' check, with
 * lists rebuilt through goro_store all the time). No forEachP, stop or spinner
 * goroutines: the checkmark's own stops are enough, and a short run covers many
 * cycles. */
//! smp: 2 4
//! variant: gccheck
//! timeout: 240
//! seeds: 2
#define TORTURE_NS 3000000000LL
#define FOREACHP 0
#define STWS 0
#define SPINNERS 0
#include "world_torture.c"
