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
    uint64_t c0[3] = { count[0], count[1], count[2] };
    /* Until two pacer-started cycles have run and every allocator has moved, or 5 s of
     * board time: a starved allocator keeps its count for the whole 5 s (a host that
     * deschedules QEMU can stretch one slice over many of main's 10 ms sleeps). */
    int64_t until = goro_nanotime() + 5000000000LL;
    do {
        goro_sleep(10000000);
        goro_gc_stats(&st1);
    } while ((st1.num_gc < st0.num_gc + 2 || count[0] == c0[0] || count[1] == c0[1] || count[2] == c0[2]) &&
             goro_nanotime() < until);
    for (int i = 0; i < 3; i++)
        count[i] -= c0[i];
    stop = 1;
    goro_gomaxprocs(old);
    printf("# %llu %llu %llu allocations, %llu collections\n", (unsigned long long)count[0],
           (unsigned long long)count[1], (unsigned long long)count[2],
           (unsigned long long)(st1.num_gc - st0.num_gc));
    check(count[0] && count[1] && count[2], "three allocating goroutines all progress", "a count is 0");
    check(st1.num_gc > st0.num_gc, "allocation triggers collections (GOGC pacing)", "no collection ran");
    return check_failures;
}
