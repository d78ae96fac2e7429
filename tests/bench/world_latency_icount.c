/* stw_latency and foreachp_latency in icount instructions (all cores together), with
 * 1, 2, 4 and 8 Ps (the board's cores: run at SMP=8 where it has them). The other Ps'
 * goroutines sleep in WFI (interrupts on) rather than spin: under icount QEMU runs the
 * vCPUs round robin, and a spinning one burns its whole turn while the stopper waits,
 * so the figure would count QEMU's schedule, not the runtime's work. A WFI'd vCPU
 * costs nothing until the preemption IPI wakes it: the figure is the instructions
 * the stop (or forEachP) makes every core run, and grows with the number of Ps as
 * that work does. */
//! smp: 4 8
#define WORLD_ICOUNT 1
#include "world_latency.c"
