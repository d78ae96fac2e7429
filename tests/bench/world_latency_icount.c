/* stw_latency and foreachp_latency in icount instructions (all cores together). */
//! smp: 4
#define WORLD_ICOUNT 1
#include "world_latency.c"
