/* Unbuffered channels: a send completes only when a receiver takes it (rendezvous),
 * values arrive intact across cores, and many senders and receivers lose nothing. */
//! smp: 1 2 4
//! seeds: 2
//! icount: yes
//! lockrank: yes
#include "check.h"

struct big { long a[8]; };
static goro_chan *c, *cb;
static int received_flag;

static void late_receiver(void *arg)
{
    (void)arg;
    goro_sleep(5000000);
    long v;
    ATOMIC_STORE(&received_flag, 1);
    goro_chan_recv(c, &v);
}

#define SENDERS 4
#define PER 2000
static goro_waitgroup wg;
static long sums[SENDERS];

static void sender(void *arg)
{
    long id = (long)arg;
    for (long i = 0; i < PER; i++) {
        struct big b;
        for (int k = 0; k < 8; k++)
            b.a[k] = id * 1000000 + i * 8 + k;
        goro_chan_send(cb, &b);
    }
    goro_wg_done(&wg);
}

int main(void)
{
    c = goro_chan_make(sizeof(long), 0);
    cb = goro_chan_make(sizeof(struct big), 0);
    goro_go(late_receiver, NULL);
    long v = 42;
    goro_chan_send(c, &v);
    check(ATOMIC_LOAD(&received_flag) == 1, "send waits for the receiver", "send returned before any receive");
    goro_wg_add(&wg, SENDERS);
    for (long i = 0; i < SENDERS; i++)
        goro_go(sender, (void *)i);
    long bad = 0, n = 0;
    for (; n < SENDERS * PER; n++) {
        struct big b;
        goro_chan_recv(cb, &b);
        long id = b.a[0] / 1000000;
        for (int k = 1; k < 8; k++)
            bad += b.a[k] != b.a[0] + k;
        if (id >= 0 && id < SENDERS)
            sums[id] += b.a[0] % 1000000;
        else
            bad++;
    }
    goro_wg_wait(&wg);
    long want = 0;
    for (long i = 0; i < PER; i++)
        want += i * 8;
    for (int i = 0; i < SENDERS; i++)
        bad += sums[i] != want;
    check(bad == 0, "every value arrives once and intact", "%ld bad of %ld", bad, n);
    return check_failures;
}
