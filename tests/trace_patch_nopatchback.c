/* Negative control for trace_patch.c: a debug knob (tracedebug=nopatchback) makes
 * goro_trace_stop leave the event sites jumping (the slow paths still record nothing,
 * as trace_on is 0); the test must see the jumps after the stop. */
//! smp: 4
//! args: tracedebug=nopatchback
//! expect: exit 1
//! output: ^not ok - no site jumps after a stop: .*tracing stopped, a site still jumped
#include "trace_patch.c"
