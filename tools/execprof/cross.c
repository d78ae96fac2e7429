/* execprof's cross-core workload (EXECPROF_SMP=2): chan_pingpong_cross's round trip,
 * main pinned to P 0 and its partner to P 1, each core asleep between messages;
 * PROF_N round trips between two prof_marks, all cores' instructions counted. The
 * loop is pingpong.c's. */
#define PROF_CROSS 1
#include "pingpong.c"
