/* Close: wakes every blocked receiver with false and a zeroed element; buffered values
 * are still received first; a receive on a closed, drained channel returns at once. */
//! smp: 1 2 4
//! icount: yes
//! lockrank: yes
#include "check.h"

#define RECEIVERS 16
static goro_chan *c, *results;

static void receiver(void *arg)
{
    (void)arg;
    long v = 99;
    bool ok = goro_chan_recv(c, &v);
    long r = ok ? -1 : v;      /* want !ok and v zeroed */
    goro_chan_send(results, &r);
}

int main(void)
{
    c = goro_chan_make(sizeof(long), 0);
    results = goro_chan_make(sizeof(long), RECEIVERS);
    for (int i = 0; i < RECEIVERS; i++)
        goro_go(receiver, NULL);
    goro_sleep(5000000);
    goro_chan_close(c);
    int good = 0;
    for (int i = 0; i < RECEIVERS; i++) {
        long r;
        goro_chan_recv(results, &r);
        good += r == 0;
    }
    check(good == RECEIVERS, "close wakes all receivers with false", "%d of %d", good, RECEIVERS);
    goro_chan *b = goro_chan_make(sizeof(long), 4);
    long v = 5;
    goro_chan_send(b, &v);
    goro_chan_close(b);
    long w = 0;
    bool ok1 = goro_chan_recv(b, &w), ok2 = goro_chan_recv(b, NULL);
    check(ok1 && w == 5 && !ok2, "buffered values drain before close is seen", "ok1 %d w %ld ok2 %d", ok1, w, ok2);
    goro_chan_free(b);
    return check_failures;
}
