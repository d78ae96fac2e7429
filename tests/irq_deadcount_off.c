/* Negative control for checkdead counting an irq waiter as able to wake (irq_goroutine's
 * last case: main waits on the line alone, the source fires only after every core went
 * idle): with irqdebug=nodeadcount the waiter is left out of ext_waiters, and checkdead
 * must report the false deadlock, naming main: in its wait, or runnable when the line
 * fired between checkdead's verdict and the report (the other cores are stopped only
 * then; raspi2b SMP 2 under host load). */
//! smp: 1 2
//! args: irqdebug=nodeadcount
//! expect: exit 2
//! output: ^fatal error: all goroutines are asleep - deadlock!
//! output: ^goroutine 1 \[(waiting, irq wait|runnable)\]
#include "irq_goroutine.c"
