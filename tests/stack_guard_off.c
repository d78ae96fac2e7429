/* Negative control for stack_guard.c: the debug knob stackguard=off leaves every stack
 * guard off (canary only), and the same overflow must then run into the neighbour's
 * frame and be reported by the test itself, showing that stack_guard.c can fail. */
//! smp: 2
//! args: stackguard=off
//! expect: exit 1
//! output: ^not ok - stack_guard: goroutine \d+ ran off its stack into goroutine \d+'s frame \([1-9]\d* of 64 words overwritten\)
#include "stack_guard.c"
