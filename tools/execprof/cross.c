/* execprof's cross-core workload (EXECPROF_SMP=2): chan_pingpong_cross's round trip,
 * main pinned to P 0 and its partner to P 1, each core asleep between messages;
 * PROF_N round trips between two prof_marks, all cores' instructions counted. */
#include "goro.h"

#define PROF_N 200
#define WARM 100

void prof_mark(void);
__attribute__((noinline)) void prof_mark(void) { __asm__ volatile("" ::: "memory"); }

static goro_chan *ping, *pong;

static void ponger(void *arg)
{
    (void)arg;
    goro_pin(1);
    long v;
    for (int i = 0; i < PROF_N + WARM; i++) {
        goro_chan_recv(ping, &v);
        goro_chan_send(pong, &v);
    }
}

int main(void)
{
    goro_pin(0);
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
