/* ipi_rtt.h: one IPI round trip between two cores, the baseline MTTCG benchmarks divide
 * their latencies by (absolute host time is noise; a ratio to a round trip measured in
 * the same run is not). Needs runtime.h (acquirem, cpu_call). */
#pragma once
#include "runtime.h"

#define IPI_RTT_ROUNDS 20
static volatile int ipi_rtt_pong;

static void ipi_rtt_back(void *arg) { (void)arg; ipi_rtt_pong = 1; }
static void ipi_rtt_there(void *arg) { cpu_call((int)(long)arg, ipi_rtt_back, NULL); }

static inline void sort_i64(int64_t *v, int n)
{
    for (int i = 1; i < n; i++)               /* insertion sort: n is small */
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            int64_t t = v[j]; v[j] = v[j - 1]; v[j - 1] = t;
        }
}

/* One IPI round trip from this core to another and back, in ns (median of
 * IPI_RTT_ROUNDS): cpu_call there, which cpu_calls back here. */
static int64_t ipi_rtt(void)
{
    int64_t rt[IPI_RTT_ROUNDS];
    struct m *m = acquirem();                 /* stay on this core, interrupts on */
    int me = goro_cpu(), other = (me + 1) % goro_ncpu();
    for (int i = 0; i < IPI_RTT_ROUNDS; i++) {
        ipi_rtt_pong = 0;
        int64_t t0 = goro_nanotime();
        cpu_call(other, ipi_rtt_there, (void *)(long)me);
        while (!ipi_rtt_pong)
            ;
        rt[i] = goro_nanotime() - t0;
    }
    releasem(m);
    sort_i64(rt, IPI_RTT_ROUNDS);
    return rt[IPI_RTT_ROUNDS / 2];
}
