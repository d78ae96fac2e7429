/* Negative control for the tracer's checker: a debug knob (tracedebug=drop) loses one
 * goroutine event from one buffer; the checker must report the trace inconsistent. */
//! smp: 2
//! trace: arg:tracedebug=drop arg:tracegen=15000000 --expect-fail "consistent|never created|events in order"
#include "trace_basic.c"
