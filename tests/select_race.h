/* The select race of tests/timer_chan.c, shared with its negative control
 * tests/timer_stale.c: a sender pinned to core 1 and a receiver pinned to core 0 (when
 * there are two Ps), both in goro_select_timeout on one unbuffered channel with timeouts
 * of 20-60 us, so a timeout often fires while the other side is claiming the select.
 * Each value sent must be received exactly once, in order, and none received unsent:
 * a select whose channel operation ran must never also report GORO_ETIMEDOUT. */
#pragma once
#include "check.h"

#define SELECT_RACE_US 1000LL

static struct {
    goro_chan *c;
    int rounds;
    volatile int sent_ok, finished;
    goro_waitgroup done;
} srace;

static void select_race_sender(void *arg)
{
    bool pin = (bool)(uintptr_t)arg;
    if (pin && goro_pin(1) != 1)
        goro_panic("select_race_sender: goro_pin(1) failed");
    for (int i = 0; i < srace.rounds; i++) {
        int v = i;
        goro_case k = { srace.c, GORO_SEND, &v, false };
        if (goro_select_timeout(&k, 1, 30 * SELECT_RACE_US + (int64_t)(goro_rand() % (20 * SELECT_RACE_US))) == 0)
            __atomic_add_fetch(&srace.sent_ok, 1, __ATOMIC_RELAXED);
    }
    __atomic_store_n(&srace.finished, 1, __ATOMIC_RELEASE);
    goro_unpin();
    goro_wg_done(&srace.done);
}

/* rounds sends; pin: the two sides on cores 0 and 1 (needs two Ps). The check's name is
 * the one both tests report. */
static void select_race(int rounds, bool pin)
{
    srace.c = goro_chan_make(sizeof(int), 0);
    srace.rounds = rounds;
    srace.sent_ok = srace.finished = 0;
    if (pin && goro_pin(0) != 0)
        goro_panic("select_race: goro_pin(0) failed");
    goro_wg_add(&srace.done, 1);
    goro_go(select_race_sender, (void *)(uintptr_t)pin);
    int got = 0, bad = 0, last = -1;
    while (!__atomic_load_n(&srace.finished, __ATOMIC_ACQUIRE)) {
        int v = -1;
        goro_case k = { srace.c, GORO_RECV, &v, false };
        int r = goro_select_timeout(&k, 1, 20 * SELECT_RACE_US + (int64_t)(goro_rand() % (40 * SELECT_RACE_US)));
        if (r == 0) {
            got++;
            bad += v <= last;
            last = v;
        }
        if (r != 0 && r != GORO_ETIMEDOUT)
            bad++;
    }
    goro_wg_wait(&srace.done);
    goro_unpin();
    int s = __atomic_load_n(&srace.sent_ok, __ATOMIC_RELAXED);
    check(got == s && bad == 0 && got > 0, "select_timeout: a channel operation and a timeout never both win",
          "%d sends completed, %d received, %d out of order", s, got, bad);
    goro_chan_free(srace.c);
}
