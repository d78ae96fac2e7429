/* wake_cross_core: a goroutine on core A readies one parked on core B, whose core
 * sleeps in WFI (the two pinned apart with goro_pin): the time from A's call until the
 * woken goroutine runs on B, as a ratio to one IPI round trip measured in the same run
 * (MTTCG: absolute host time is noise). Median of ROUNDS, each after 1 ms of quiet so
 * that B's core is surely asleep. */
//! smp: 2
//! mode: mttcg
#include "bench.h"
#include "ipi_rtt.h"

#define ROUNDS 21
static goro_chan *wake;
static volatile int64_t woke_at;
static volatile int woke_core;

static void sleeper(void *arg)
{
    (void)arg;
    if (goro_pin(1) != 1)
        goro_panic("sleeper: goro_pin(1) failed");
    long v;
    for (int i = 0; i < ROUNDS + 1; i++) {
        goro_chan_recv(wake, &v);
        woke_core = goro_cpu();
        __atomic_store_n(&woke_at, goro_nanotime(), __ATOMIC_RELEASE);
    }
}

int main(void)
{
    if (goro_ncpu() < 2) {
        printf("# one core: nothing to wake across\n");
        return 0;
    }
    if (goro_pin(0) != 0)
        goro_panic("main: goro_pin(0) failed");
    int64_t rtt = ipi_rtt();
    wake = goro_chan_make(sizeof(long), 0);
    goro_go(sleeper, NULL);
    int64_t lat[ROUNDS];
    long v = 0;
    for (int i = 0; i < ROUNDS + 1; i++) {    /* the first round only parks the sleeper */
        goro_sleep(1000000);
        __atomic_store_n(&woke_at, 0, __ATOMIC_RELAXED);
        int64_t t0 = goro_nanotime();
        goro_chan_send(wake, &v);             /* the sleeper is parked in recv: readied */
        int64_t t1;
        while (!(t1 = __atomic_load_n(&woke_at, __ATOMIC_ACQUIRE)))
            ;
        if (woke_core == goro_cpu())
            goro_panic("wake_cross_core: the sleeper ran on the waker's core %d", woke_core);
        if (i > 0)
            lat[i - 1] = t1 - t0;
    }
    sort_i64(lat, ROUNDS);
    printf("# IPI round trip %lld ns; cross-core wake median %lld ns (min %lld, max %lld)\n", (long long)rtt,
           (long long)lat[ROUNDS / 2], (long long)lat[0], (long long)lat[ROUNDS - 1]);
    report("wake_cross_core", (double)lat[ROUNDS / 2] / (double)rtt, "x_ipi_rtt");
    return 0;
}
