/* stw_latency and foreachp_latency: from the call until every P is stopped (or has run
 * fn), with 1, 2, 4 (8) Ps busy in tight loops, as a ratio to one IPI round trip
 * measured in the same run (MTTCG: absolute host time is noise). Under icount
 * (world_latency_icount.c) the Ps' goroutines wait in WFI instead of spinning. */
//! smp: 4
//! mode: mttcg
#include "bench.h"
#include "ipi_rtt.h"

#ifndef WORLD_ICOUNT
#define WORLD_ICOUNT 0
#endif
#define ROUNDS 20
static volatile int stop;

static void spin(void *arg)
{
    (void)arg;
    while (!stop)
        if (WORLD_ICOUNT)
            arch_wait_for_interrupt();   /* interrupts on: the IPI, or a tick, wakes it */
}

static void nop_fn(int p, void *arg) { (void)p, (void)arg; }

static int64_t median(int64_t *v, int n)
{
    sort_i64(v, n);
    return v[n / 2];
}

int main(void)
{
    int64_t rtt = goro_ncpu() > 1 ? ipi_rtt() : 1;
    if (!WORLD_ICOUNT)
        printf("# IPI round trip %lld ns\n", (long long)rtt);
    for (int busy = 1; busy <= goro_ncpu(); busy *= 2) {
        goro_gomaxprocs(busy);
        stop = 0;
        for (int i = 0; i < busy; i++)
            goro_go(spin, NULL);
        goro_sleep(2000000);
        int64_t stw[ROUNDS], fep[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            int64_t t0 = goro_nanotime();
            goro_stop_the_world("bench");
            stw[r] = goro_nanotime() - t0;
            goro_start_the_world();
            t0 = goro_nanotime();
            goro_for_each_p(nop_fn, NULL);
            fep[r] = goro_nanotime() - t0;
        }
        stop = 1;
        goro_sleep(1000000);
        char name[64];
        int64_t s = median(stw, ROUNDS), f = median(fep, ROUNDS);
        if (WORLD_ICOUNT) {
            snprintf(name, sizeof name, "stw_latency_%dp", busy);
            report(name, (double)s, "instructions");
            snprintf(name, sizeof name, "foreachp_latency_%dp", busy);
            report(name, (double)f, "instructions");
        } else {
            snprintf(name, sizeof name, "stw_latency_%dp", busy);
            report(name, (double)s / (double)rtt, "x_ipi_rtt");
            snprintf(name, sizeof name, "foreachp_latency_%dp", busy);
            report(name, (double)f / (double)rtt, "x_ipi_rtt");
        }
    }
    goro_gomaxprocs(goro_ncpu());
    return 0;
}
