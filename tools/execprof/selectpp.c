/* execprof's workload: a round trip whose receives are selects (two goroutines on one
 * P): main sends on ping to the partner parked in its select, then parks in a select
 * on pong (and a channel nobody uses); the partner, readied, sends on pong and parks in
 * its select on ping. Each half: a send to a select waiter and a select's park (the
 * partner runs first, so that the receives park: in pingpong.c's order the sends do). A
 * warm-up, then PROF_N round trips between two calls of prof_mark, the window
 * tools/execprof/execprof.py counts. */
#include "goro.h"

#define PROF_N 200
#define WARM 100

void prof_mark(void);
__attribute__((noinline)) void prof_mark(void) { __asm__ volatile("" ::: "memory"); }

static goro_chan *ping, *pong, *never;

static void select_recv(goro_chan *c, long *v)
{
    goro_case k[2] = { { c, GORO_RECV, v, false }, { never, GORO_RECV, NULL, false } };
    if (goro_select(k, 2, true) != 0)
        goro_panic("selectpp: the wrong case");
}

static void ponger(void *arg)
{
    (void)arg;
    long v;
    for (int i = 0; i < PROF_N + WARM; i++) {
        select_recv(ping, &v);
        goro_chan_send(pong, &v);
    }
}

int main(void)
{
    ping = goro_chan_make(sizeof(long), 0);
    pong = goro_chan_make(sizeof(long), 0);
    never = goro_chan_make(sizeof(long), 0);
    goro_go(ponger, NULL);
    goro_gosched();              /* the partner parks in its select first: receives park */
    long v = 0;
    for (int i = 0; i < WARM; i++) {
        goro_chan_send(ping, &v);
        select_recv(pong, &v);
    }
    prof_mark();
    for (int i = 0; i < PROF_N; i++) {
        goro_chan_send(ping, &v);
        select_recv(pong, &v);
    }
    prof_mark();
    return 0;
}
