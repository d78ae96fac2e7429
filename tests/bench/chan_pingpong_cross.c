/* chan_pingpong_cross: unbuffered channel round trips between two goroutines pinned to
 * different cores (goro_pin: P 0 and P 1), each core sleeping in WFI between messages
 * and woken by an IPI: instructions per round trip, all cores together.
 *
 * Under -icount shift=0,sleep=off TCG runs the vCPUs round-robin on one host thread and
 * board time advances 1 ns per instruction executed by any of them, so board time per
 * round trip is the sum over the cores, as long as no idle time warp is counted: QEMU
 * jumps the clock to the next timer deadline only when every vCPU is halted with
 * nothing pending. Here that never happens: each message's IPI is raised before its
 * sender parks, so the receiver's interrupt is pending before the sender's core halts.
 * Checked, not assumed: every round trip is timed, and a warp (to a slice timer up to
 * 10 ms ahead, or any other deadline) would stand out of the spread printed below; the
 * run fails if the slowest round trip exceeds 4x the median. The IPIs taken per round
 * trip (2: both cores were idle and woken each time) are printed too. */
//! smp: 2
#include <stdlib.h>
#include "bench.h"
#include "runtime.h"

#define N 2000
#define WARM 100
static goro_chan *ping, *pong;
static int64_t rt[N];

static void ponger(void *arg)
{
    (void)arg;
    if (goro_pin(1) != 1)
        goro_panic("ponger: goro_pin(1) failed");
    long v;
    for (int i = 0; i < N + WARM; i++) {
        goro_chan_recv(ping, &v);
        goro_chan_send(pong, &v);
    }
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    if (goro_ncpu() < 2) {
        printf("# one core: no cross-core round trip\n");
        return 0;
    }
    if (goro_pin(0) != 0)
        goro_panic("main: goro_pin(0) failed");
    ping = goro_chan_make(sizeof(long), 0);
    pong = goro_chan_make(sizeof(long), 0);
    goro_go(ponger, NULL);
    long v = 0;
    for (int i = 0; i < WARM; i++) {
        goro_chan_send(ping, &v);
        goro_chan_recv(pong, &v);
    }
    uint64_t ipis0 = cpus[0].ipis + cpus[1].ipis;
    int64_t t0 = goro_nanotime(), prev = t0;
    for (int i = 0; i < N; i++) {
        goro_chan_send(ping, &v);
        goro_chan_recv(pong, &v);
        int64_t now = goro_nanotime();
        rt[i] = now - prev;
        prev = now;
    }
    double per = (double)(prev - t0) / N;
    double ipis = (double)(cpus[0].ipis + cpus[1].ipis - ipis0) / N;
    qsort(rt, N, sizeof rt[0], cmp);
    printf("# round trips: min %lld, median %lld, max %lld instructions; %.2f IPIs each; on core %d and %d\n",
           (long long)rt[0], (long long)rt[N / 2], (long long)rt[N - 1], ipis, goro_cpu(), 1);
    report("chan_pingpong_cross", per, "instructions/roundtrip");
    if (rt[N - 1] > 4 * rt[N / 2]) {
        printf("# slowest round trip is %lld instructions, > 4x the median: an idle time warp?\n",
               (long long)rt[N - 1]);
        return 1;
    }
    return 0;
}
