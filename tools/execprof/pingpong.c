/* execprof's workload: the chan_pingpong round trip of tests/bench/bench.h (two
 * goroutines on one P), a warm-up, then PROF_N round trips between two calls of
 * prof_mark, the window tools/execprof/execprof.py counts. With PROF_CROSS (cross.c)
 * main is pinned to P 0 and its partner to P 1: chan_pingpong_cross's round trip. */
#include "goro.h"

#define PROF_N 200
#define WARM 100

void prof_mark(void);
__attribute__((noinline)) void prof_mark(void) { __asm__ volatile("" ::: "memory"); }

static goro_chan *ping, *pong;

static void ponger(void *arg)
{
    (void)arg;
#ifdef PROF_CROSS
    goro_pin(1);
#endif
    long v;
    for (int i = 0; i < PROF_N + WARM; i++) {
        goro_chan_recv(ping, &v);
        goro_chan_send(pong, &v);
    }
}

int main(void)
{
#ifdef PROF_CROSS
    goro_pin(0);
#endif
    ping = goro_chan_make(sizeof(long), 0);
    pong = goro_chan_make(sizeof(long), 0);
    goro_go(ponger, NULL);
    long v = 0;
    for (int i = 0; i < WARM; i++) {
        goro_chan_send(ping, &v);
        goro_chan_recv(pong, &v);
    }
    prof_mark();
    for (int i = 0; i < PROF_N; i++) {
        goro_chan_send(ping, &v);
        goro_chan_recv(pong, &v);
    }
    prof_mark();
    return 0;
}
