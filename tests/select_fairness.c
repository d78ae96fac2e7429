/* Select chooses uniformly among ready cases: with two always-ready cases, each is
 * chosen 40-60% of 10,000 selects. Also: a nil channel is never ready, a non-blocking
 * select with nothing ready returns -1, and a blocked select wakes on the case that
 * becomes ready. */
//! smp: 1 2 4
//! seeds: 3
//! lockrank: yes
#include "check.h"

static goro_chan *late;

static void send_late(void *arg)
{
    (void)arg;
    goro_sleep(2000000);
    long v = 3;
    goro_chan_send(late, &v);
}

int main(void)
{
    goro_chan *a = goro_chan_make(sizeof(long), 1), *b = goro_chan_make(sizeof(long), 1);
    long v = 1, got;
    int count[2] = { 0, 0 };
    for (int i = 0; i < 10000; i++) {
        goro_chan_send(a, &v);
        goro_chan_send(b, &v);
        goro_case k[2] = { { a, GORO_RECV, &got, false }, { b, GORO_RECV, &got, false } };
        int r = goro_select(k, 2, true);
        count[r]++;
        goro_chan_recv(r == 0 ? b : a, &got);      /* drain the other */
    }
    check(count[0] >= 4000 && count[0] <= 6000, "select picks each ready case 40-60%", "%d / %d", count[0],
          count[1]);
    goro_case nilk[2] = { { NULL, GORO_RECV, &got, false }, { a, GORO_RECV, &got, false } };
    check(goro_select(nilk, 2, false) == -1, "non-blocking select with nothing ready", "returned a case");
    late = goro_chan_make(sizeof(long), 0);
    goro_go(send_late, NULL);
    goro_case k3[3] = { { NULL, GORO_SEND, &v, false }, { a, GORO_RECV, &got, false }, { late, GORO_RECV, &got, false } };
    int r = goro_select(k3, 3, true);
    check(r == 2 && got == 3 && k3[2].ok, "blocked select wakes on the ready case", "case %d got %ld", r, got);
    return check_failures;
}
