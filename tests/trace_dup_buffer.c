/* Negative control for the tracer's checker: a debug knob (tracedebug=dup) writes one
 * buffer twice; the checker must report the duplicate. */
//! smp: 2
//! trace: arg:tracedebug=dup arg:tracegen=15000000 --expect-fail "duplicate buffer"
#include "trace_basic.c"
