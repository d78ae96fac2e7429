/* Negative control for irq_goroutine's "the waiter runs within one preemption while
 * every core is busy": with irqdebug=nopreempt the interrupt readies its waiter as any
 * outside goready would (global queue, no runnext, no preemption request), the waiter
 * waits for a spinner's time slice to end, and the same check must fail. Under icount
 * only, where that check is made (board time is deterministic there). */
//! smp: 2
//! icount: only
//! timeout: 90
//! args: irqdebug=nopreempt
//! expect: exit 1
//! output: ^not ok - wake_within_a_preemption: median \d+ ns, slice 10000000 ns
#include "irq_goroutine.c"
