/* Negative control for select_fairness's ring: with selectdebug=earlycommit a select's
 * park commits (unlocks every channel, arms the timeout) before its goroutine is
 * WAITING, and waits a little before parking, so a sender on another core that finds
 * the waiter record readies a goroutine that still runs: its goready must die in
 * casgstatus. (The order gopark_commit's direct switch and park_m on g0 keep: the
 * status first, then the commit.) */
//! smp: 4
//! args: selectdebug=earlycommit
//! expect: exit 2
//! output: ^panic: casgstatus: goroutine \d+ is running, not waiting
#include "select_fairness.c"
