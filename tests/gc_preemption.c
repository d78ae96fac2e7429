/* Go's TestPreemptionGC: goroutines spin with no calls on every P (main gets a P back
 * only by preemption); collections must still complete, each stack scan stopping a
 * running spinner by IPI. */
//! smp: 2 4
//! icount: yes
#include "check.h"

static volatile int stop;

static void spin(void *arg)
{
    (void)arg;
    while (!stop)
        ;
}

int main(void)
{
    int n = goro_ncpu();
    for (int i = 0; i < n; i++)
        goro_go(spin, NULL);
    goro_gcstats st0, st1;
    goro_gc_stats(&st0);
    for (int i = 0; i < 10; i++)
        goro_gc();
    goro_gc_stats(&st1);
    stop = 1;
    check(st1.num_gc >= st0.num_gc + 10, "10 collections complete beside spinning goroutines", "%llu",
          (unsigned long long)(st1.num_gc - st0.num_gc));
    check(st1.stacks_scanned >= st0.stacks_scanned + 10 * (uint64_t)n, "the spinners' stacks were scanned",
          "%llu stacks", (unsigned long long)(st1.stacks_scanned - st0.stacks_scanned));
    return check_failures;
}
