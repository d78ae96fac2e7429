/* A stopped timer, or a freed ticker, is no longer pending: a goroutine left waiting on
 * the stopped timer's channel, with nothing else that could wake anyone, is reported as
 * a deadlock (expected failure, message checked). The counterpart, that a goroutine
 * blocked only on a pending timer or a timeout is not one, is timer_chan's main. */
//! smp: 1 2
//! expect: exit 2
//! output: ^fatal error: all goroutines are asleep - deadlock!
//! output: ^goroutine 1 \[waiting, chan receive\]
#include "check.h"

int main(void)
{
    goro_timer *tk = goro_ticker_new(100000);
    int64_t v;
    goro_chan_recv(goro_timer_chan(tk), &v);
    goro_timer_free(tk);
    goro_timer *t = goro_timer_new(1000000);
    goro_timer_stop(t);
    printf("# waiting on a stopped timer\n");
    goro_chan_recv(goro_timer_chan(t), &v);
    printf("not ok - a stopped timer fired\n");
    return 1;
}
