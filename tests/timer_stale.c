/* Negative control for timer_chan's "stop discards a fired value nobody received": with
 * timerdebug=nodrain, goro_timer_stop leaves the fired value in the channel, the stopped
 * timer's value is received afterwards, and the same check must fail. */
//! smp: 1
//! args: timerdebug=nodrain
//! expect: exit 1
//! output: ^not ok - stop discards a fired value nobody received: 1 queued before stop
#include "check.h"

int main(void)
{
    goro_timer *t = goro_timer_new(1000000);
    goro_sleep(2000000);               /* fired: its value waits in the channel */
    int len = goro_chan_len(goro_timer_chan(t));
    bool stopped = goro_timer_stop(t);
    int64_t v = 0;
    goro_case k = { goro_timer_chan(t), GORO_RECV, &v, false };
    check(len == 1 && stopped && goro_select_timeout(&k, 1, 0) == GORO_ETIMEDOUT,
          "stop discards a fired value nobody received",
          "%d queued before stop, stop returned %d, then a value (stamp %lld ns ago) arrived", len, stopped,
          (long long)(goro_nanotime() - v));
    goro_timer_free(t);
    return check_failures;
}
