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
#include "world_torture.c"
