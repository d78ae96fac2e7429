/* Buffered channels are FIFO: each producer's values arrive in the order sent, across
 * cores, and len never exceeds cap. */
//! smp: 1 2 4
//! seeds: 2
//! icount: yes
//! lockrank: yes
#include "check.h"

#define PRODUCERS 4
#define PER 5000
static goro_chan *c;

static void producer(void *arg)
{
    int64_t id = (long)arg;
    for (int64_t i = 0; i < PER; i++) {
        int64_t v = id << 32 | i;
        goro_chan_send(c, &v);
    }
}

int main(void)
{
    c = goro_chan_make(sizeof(int64_t), 16);
    check(goro_chan_cap(c) == 16 && goro_chan_len(c) == 0, "cap and len of a new channel", "cap %d len %d",
          goro_chan_cap(c), goro_chan_len(c));
    int64_t v = 7, w = 0;
    goro_chan_send(c, &v);
    check(goro_chan_len(c) == 1, "len counts a buffered value", "len %d", goro_chan_len(c));
    goro_chan_recv(c, &w);
    check(w == 7, "buffered value comes back", "got %lld", (long long)w);
    for (long i = 0; i < PRODUCERS; i++)
        goro_go(producer, (void *)i);
    long next[PRODUCERS] = { 0 }, out_of_order = 0, overfull = 0;
    for (long n = 0; n < PRODUCERS * PER; n++) {
        if (goro_chan_len(c) > 16)
            overfull++;
        goro_chan_recv(c, &v);
        int64_t id = v >> 32, i = v & 0xffffffff;
        if (id < 0 || id >= PRODUCERS || next[id] != i)
            out_of_order++;
        else
            next[id]++;
    }
    check(out_of_order == 0, "buffered channel is FIFO per producer", "%ld out of order", out_of_order);
    check(overfull == 0, "len never exceeds cap", "%ld times", overfull);
    return check_failures;
}
