/* Negative control for gc_pacer_goal.c's share: gcpacer=stop parks every allocation
 * made during mark until mark ends (pacer.c), a collector that holds the goal by
 * stopping the mutators; the mutator share must fall under the floor. SMP=2: more
 * than one allocator, and the GC goroutine has a core of its own part of the time. */
//! smp: 2
//! args: gcpacer=stop
//! expect: exit 1
//! timeout: 90
//! output: ^not ok - mutators run during mark: mutator share
#include "gc_pacer_goal.c"
