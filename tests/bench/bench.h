/* bench.h: benchmarks print `bench <name> <value> <unit>`; the runner adds the board.
 * Under -icount shift=0,sleep=off one nanosecond of board time is one instruction
 * (of all cores together), so nanotime differences are instruction counts. */
#pragma once
#include <stdio.h>
#include "goro.h"

static inline void report(const char *name, double value, const char *unit)
{
    printf(unit[0] == 'x' && !unit[1] ? "bench %s %.3f %s\n" : "bench %s %.1f %s\n", name, value, unit);
}

/* Unbuffered channel round trips between this goroutine and a partner that echoes
 * n values: instructions (board ns under icount) per round trip. */
struct bench_pp { goro_chan *ping, *pong; int n; };

static inline void bench_ponger(void *arg)
{
    struct bench_pp *pp = arg;
    long v;
    for (int i = 0; i < pp->n; i++) {
        goro_chan_recv(pp->ping, &v);
        goro_chan_send(pp->pong, &v);
    }
}

static inline double bench_pingpong(int n)
{
    static struct bench_pp pp;     /* static: the partner reads it after we return */
    if (!pp.ping) {
        pp.ping = goro_chan_make(sizeof(long), 0);
        pp.pong = goro_chan_make(sizeof(long), 0);
    }
    pp.n = n;
    goro_go(bench_ponger, &pp);
    long v = 0;
    int64_t t0 = goro_nanotime();
    for (int i = 0; i < n; i++) {
        goro_chan_send(pp.ping, &v);
        goro_chan_recv(pp.pong, &v);
    }
    return (double)(goro_nanotime() - t0) / n;
}
