/* Negative control for world_torture: the same program built with UNWRAPPED=1, whose
 * public forEachP and stop-the-world wait without Rule 0, must deadlock (a mark worker
 * in suspend_g waits for a goroutine that waits, non-preemptibly, for the worker's P)
 * and the watchdog must report it. If this ever passes, the torture test has lost its
 * teeth. */
//! smp: 4
//! variant: unwrapped
//! expect: exit 2
//! output: ^panic: watchdog: (suspend_g|forEachP|stop the world) waited more than
//! timeout: 240
#define TORTURE_NS 60000000000LL
/* Fewer goroutines than the torture's own: the deadlock needs a stack scan to pick the
 * one goroutine inside forEachP or stop-the-world while it waits, and with 4 forEachP
 * goroutines, 1 stopper and 3 lists queueing on the world lock the collector got the
 * lock so rarely that 2 of 6 riscv64 runs went 60 s without it. With these, 6 of 6
 * (riscv64) and 4 of 4 (virt-arm) deadlocked, in 2.5 to 26 s. */
#define FOREACHP 2
#define STWS 1
#define LISTS 1
#include "world_torture.c"
