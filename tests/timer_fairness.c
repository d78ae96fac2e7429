/* Go's TestTimerFairness: a sleep fires although a channel case is always ready: the
 * timer goroutine isn't starved by two goroutines that keep a channel busy. */
//! smp: 1 2 4
//! icount: yes
#include "check.h"

static goro_chan *c, *done, *timer;

static void sender(void *arg)
{
    (void)arg;
    bool t = true;
    for (;;) {
        goro_case k[2] = { { c, GORO_SEND, &t, false }, { done, GORO_RECV, NULL, false } };
        if (goro_select(k, 2, true) == 1)
            return;
    }
}

static void after(void *arg)
{
    goro_sleep((int64_t)(long)arg);
    bool t = true;
    goro_chan_send(timer, &t);
}

int main(void)
{
    c = goro_chan_make(sizeof(bool), 0);
    done = goro_chan_make(0, 0);
    timer = goro_chan_make(sizeof(bool), 1);
    for (int i = 0; i < 2; i++)
        goro_go(sender, NULL);
    goro_go(after, (void *)20000000L);
    int64_t t0 = goro_nanotime();
    long received = 0;
    bool v;
    for (;;) {
        goro_case k[2] = { { c, GORO_RECV, &v, false }, { timer, GORO_RECV, &v, false } };
        if (goro_select(k, 2, true) == 1)
            break;
        received++;
        if (goro_nanotime() - t0 > 2000000000LL)
            break;
    }
    int64_t dt = goro_nanotime() - t0;
    goro_chan_close(done);
    printf("# timer fired after %lld us, %ld values received meanwhile\n", (long long)dt / 1000, received);
    check(dt < 1000000000LL, "timer fires despite a busy channel", "%lld us", (long long)dt / 1000);
    return check_failures;
}
