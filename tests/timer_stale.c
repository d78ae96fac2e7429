/* Negative controls for timer_chan:
 * - "stop discards a fired value nobody received": with timerdebug=nodrain,
 *   goro_timer_stop leaves the fired value in the channel, the stopped timer's value is
 *   received afterwards, and the same check must fail.
 * - "a channel operation and a timeout never both win": with selectdebug=bothwin, a
 *   select whose timeout fired after a channel operation claimed it reports the timeout
 *   as well (the case ran, select says GORO_ETIMEDOUT); timer_chan's race, a send on
 *   core 1 against a receive here, both with timeouts, must then count a send that
 *   completed but was never reported received (or the reverse). */
//! smp: 2
//! args: timerdebug=nodrain selectdebug=bothwin
//! expect: exit 1
//! output: ^not ok - stop discards a fired value nobody received: 1 queued before stop
//! output: ^not ok - select_timeout: a channel operation and a timeout never both win: \d+ sends completed, \d+ received
#include "check.h"

#define US 1000LL

static goro_chan *rc;
static volatile int sent_ok, racer_finished;
static goro_waitgroup racer_done;

static void racer(void *arg)
{
    (void)arg;
    if (goro_pin(1) != 1)
        goro_panic("racer: goro_pin(1) failed");
    for (int i = 0; i < 2000; i++) {      /* timer_chan's 200, ten times: the overlap is rare */
        int v = i;
        goro_case k = { rc, GORO_SEND, &v, false };
        if (goro_select_timeout(&k, 1, 30 * US + (int64_t)(goro_rand() % (20 * US))) == 0)
            __atomic_add_fetch(&sent_ok, 1, __ATOMIC_RELAXED);
    }
    __atomic_store_n(&racer_finished, 1, __ATOMIC_RELEASE);
    goro_unpin();
    goro_wg_done(&racer_done);
}

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

    /* timer_chan's select race (selects()), as it is there. */
    rc = goro_chan_make(sizeof(int), 0);
    if (goro_pin(0) != 0)              /* the receiver on core 0, the sender on core 1 */
        goro_panic("main: goro_pin(0) failed");
    goro_wg_add(&racer_done, 1);
    goro_go(racer, NULL);
    int got = 0, bad = 0, last = -1;
    while (!__atomic_load_n(&racer_finished, __ATOMIC_ACQUIRE)) {
        int v2 = -1;
        goro_case kr = { rc, GORO_RECV, &v2, false };
        int rr = goro_select_timeout(&kr, 1, 20 * US + (int64_t)(goro_rand() % (40 * US)));
        if (rr == 0) {
            got++;
            bad += v2 <= last;
            last = v2;
        }
        if (rr != 0 && rr != GORO_ETIMEDOUT)
            bad++;
    }
    goro_wg_wait(&racer_done);
    goro_unpin();
    int s = __atomic_load_n(&sent_ok, __ATOMIC_RELAXED);
    check(got == s && bad == 0 && got > 0, "select_timeout: a channel operation and a timeout never both win",
          "%d sends completed, %d received, %d out of order", s, got, bad);
    goro_chan_free(rc);
    return check_failures ? 1 : 0;
}
