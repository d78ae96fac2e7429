/* Go's TestGCFairness2: with gomaxprocs 1, three goroutines that allocate all the time
 * all progress while collections run. */
//! smp: 1 4
//! icount: yes
#include "check.h"

static volatile int stop;
static uint64_t count[3];

static void allocator(void *arg)
{
    long i = (long)arg;
    while (!stop) {
        void *p = goro_alloc(64 + (size_t)(count[i] % 512));
        if (!p)
            goro_panic("out of memory");
        count[i]++;
    }
}

int main(void)
{
    int old = goro_gomaxprocs(1);
    for (long i = 0; i < 3; i++)
        goro_go(allocator, (void *)i);
    goro_gcstats st0, st1;
    goro_gc_stats(&st0);
    goro_sleep(50000000);
    goro_gc_stats(&st1);
    stop = 1;
    goro_gomaxprocs(old);
    printf("# %llu %llu %llu allocations, %llu collections\n", (unsigned long long)count[0],
           (unsigned long long)count[1], (unsigned long long)count[2],
           (unsigned long long)(st1.num_gc - st0.num_gc));
    check(count[0] && count[1] && count[2], "three allocating goroutines all progress", "a count is 0");
    check(st1.num_gc > st0.num_gc, "allocation triggers collections (GOGC pacing)", "no collection ran");
    return check_failures;
}
