/* Go's TestYieldProgress: a goroutine looping on select-with-default and gosched sees a
 * send that happens 10 ms later. */
//! smp: 1 2 4
//! icount: yes
#include "check.h"

static goro_chan *c, *done;

static long got;

static void looper(void *arg)
{
    (void)arg;
    long v = 0, spins = 0;
    for (;;) {
        goro_case k = { c, GORO_RECV, &v, false };
        if (goro_select(&k, 1, false) == 0)
            break;
        spins++;
        goro_gosched();
    }
    got = v;
    goro_chan_send(done, &spins);
}

int main(void)
{
    c = goro_chan_make(sizeof(long), 0);
    done = goro_chan_make(sizeof(long), 0);
    goro_go(looper, NULL);
    goro_sleep(10000000);
    long one = 1, spins = 0;
    goro_chan_send(c, &one);
    goro_chan_recv(done, &spins);
    /* A looper that never saw the send would hang this test (the runner's timeout). Under
     * MTTCG its core may not run at all during the 10 ms, so spins may be 0. */
    printf("# %ld select/gosched rounds before the send\n", spins);
    check(got == 1, "yielding loop sees the late send", "received %ld", got);
    return check_failures;
}
