/* timer_fire: instructions (icount: board ns) from a timer's deadline until the
 * goroutine blocked in goro_chan_recv on its channel runs with the value, on one core
 * that sleeps in WFI meanwhile (the usual case: the receiver was the only goroutine).
 * The deadline is read off the P's heap (white box: the timer is its only one), in
 * counter ticks, so it is exact. Median of ROUNDS; also the part until the firing's
 * time stamp (the value): the interrupt and the firing, without the receiver's wake. */
#include <stdlib.h>
#include "bench.h"
#include "runtime.h"

#define ROUNDS 41

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t ticks_ns(uint64_t t)
{
    uint64_t hz = arch_time_hz();
    return (int64_t)((t / hz) * 1000000000ULL + (t % hz) * 1000000000ULL / hz);
}

int main(void)
{
    int64_t lat[ROUNDS], stamp[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        goro_timer *t = goro_timer_new(50000 + 1000 * i);   /* phases vary against the slice tick */
        int64_t deadline = ticks_ns((uint64_t)__atomic_load_n(&ps[0].timer0_when, __ATOMIC_ACQUIRE));
        int64_t v;
        goro_chan_recv(goro_timer_chan(t), &v);
        int64_t ran = goro_nanotime();
        lat[i] = ran - deadline;
        stamp[i] = v - deadline;
        goro_timer_free(t);
    }
    qsort(lat, ROUNDS, sizeof lat[0], cmp);
    qsort(stamp, ROUNDS, sizeof stamp[0], cmp);
    printf("# deadline to receiver running: median %lld, min %lld, max %lld; to the firing's stamp: median %lld\n",
           (long long)lat[ROUNDS / 2], (long long)lat[0], (long long)lat[ROUNDS - 1], (long long)stamp[ROUNDS / 2]);
    report("timer_fire", (double)lat[ROUNDS / 2], "instructions");
    return 0;
}
