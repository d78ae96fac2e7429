/* Public timers and tickers: Go's time.Timer and time.Ticker with Go 1.23 semantics, on
 * the generic timers of timer.c.
 *
 * A goro_timer is a struct timer and a channel of int64_t with a one-slot buffer. Its f
 * (gotimer_fire, interrupts off, on the core of the P that holds it) stamps the time,
 * takes the channel's lock and, unless the firing is stale, hands the value to a
 * waiting receiver or puts it in the empty slot; a full slot (a slow ticker reader)
 * drops it, so no backlog builds.
 *
 * "Once stop or reset returns, no value from before the call is received":
 *   1. stop and reset hold the channel's lock while they disarm the timer (which bumps
 *      t->seq) and empty the slot (a value fired and not yet received);
 *   2. f compares the seq its firing took off the heap with t->seq under that same
 *      lock, so a firing that raced the stop (taken off the heap on another core just
 *      before it) finds the seq bumped and drops its value.
 *   f can't wait for the channel's lock while stop holds it and waits for f, so stop
 *   does not wait for f (timer_disarm, not timer_stop): step 2 makes that unnecessary.
 *   goro_timer_free does wait (timer_stop), without the lock: after it no f touches
 *   the timer or its channel, which are freed.
 * active (channel lock): started, and not yet stopped, reset or (a one-shot) delivered.
 * A value in the slot doesn't count as delivered: stop then returns true, as Go 1.23's
 * does, since from the receiver's view the timer never fired.
 *
 * Lock order: the channel's lock, then the timer's (timer.c), then timer_lock. Debug
 * knobs (command line), for negative controls: timerdebug=nodrain skips step 1's
 * emptying (tests/timer_stale.c), timerdebug=noseq step 2's check. */
#include <stdlib.h>
#include <string.h>
#include "chan.h"

struct goro_timer {
    struct timer t;          /* t.arg: this */
    goro_chan *c;            /* cap 1, elem int64_t */
    bool ticker;
    bool active;             /* c->lock */
    bool slot;               /* c->lock: a one-shot's firing went to the slot (not a receiver) */
};

enum { DEBUG_NODRAIN = 1, DEBUG_NOSEQ = 2 };
static int timer_debug = -1;    /* DEBUG_* from the command line, read by the first new */

static void read_debug(void)
{
    if (__builtin_expect(timer_debug < 0, 0))
        timer_debug = (int)boot_flags("timerdebug", (const char *const[]){ "nodrain", "noseq", NULL });
}

/* The timer's f: interrupts off, no lock held. */
static void gotimer_fire(struct timer *t, uint64_t seq)
{
    struct goro_timer *gt = t->arg;
    goro_chan *c = gt->c;
    int64_t now = nanotime();               /* the firing's time, before any wait for the lock */
    spin_lock(&c->lock);
    if ((seq != __atomic_load_n(&t->seq, __ATOMIC_RELAXED) && !(timer_debug & DEBUG_NOSEQ)) || c->closed) {
        spin_unlock(&c->lock);             /* stopped or reset since: stale */
        return;
    }
    if (!gt->ticker)
        gt->active = false;
    struct sudog *sg = waitq_dequeue(&c->recvq);
    if (sg) {
        if (sg->elem && ((uintptr_t)sg->elem & (sizeof now - 1)) == 0)
            *(int64_t *)sg->elem = now;    /* the usual aligned variable: one store */
        else if (sg->elem)
            memcpy(sg->elem, &now, sizeof now);
        spin_unlock(&c->lock);
        chan_wake(sg, true);
        return;
    }
    if (c->qcount < c->dataqsiz) {
        memcpy(c->buf + (size_t)c->sendx * c->elemsize, &now, sizeof now);
        c->sendx = (c->sendx + 1) % c->dataqsiz;
        __atomic_store_n(&c->qcount, c->qcount + 1, __ATOMIC_RELAXED);
        if (!gt->ticker)
            gt->active = gt->slot = true;  /* in the slot: still stoppable (see above) */
    }
    spin_unlock(&c->lock);
}

static int64_t when_after(int64_t ns)
{
    return (int64_t)arch_time_now() + (ns > 0 ? (int64_t)ns_to_ticks(ns) + 1 : 0);
}

/* c->lock held: arm the timer at when, release the lock, then program the core's timer
 * (timer_kick after the lock, as timer.h asks; interrupts stay off in between). */
static void start_unlock(struct goro_timer *gt, int64_t when)
{
    struct cpu *c = intr_push_cpu();
    struct p *pp = timer_arm(&gt->t, when);
    spin_unlock(&gt->c->lock);
    timer_kick(pp, when);
    intr_pop_cpu(c);
}

static goro_timer *gotimer_new(int64_t ns, bool ticker)
{
    read_debug();
    struct goro_timer *gt = calloc(1, sizeof *gt);
    if (!gt)
        return NULL;
    gt->c = goro_chan_make(sizeof(int64_t), 1);
    if (!gt->c) {
        free(gt);
        return NULL;
    }
    gt->ticker = ticker;
    gt->t.f = gotimer_fire;
    gt->t.arg = gt;
    if (ticker) {
        int64_t p = (int64_t)ns_to_ticks(ns);
        gt->t.period = p > 0 ? p : 1;
    }
    spin_lock(&gt->c->lock);
    gt->active = true;
    start_unlock(gt, when_after(ns));
    return gt;
}

goro_timer *goro_timer_new(int64_t ns) { return gotimer_new(ns, false); }

goro_timer *goro_ticker_new(int64_t period_ns)
{
    return period_ns > 0 ? gotimer_new(period_ns, true) : NULL;
}

goro_chan *goro_timer_chan(goro_timer *gt) { return gt ? gt->c : NULL; }

/* c->lock held: disarm, empty the slot; was it active? (steps 1 and 2 above) */
static bool stop_locked(struct goro_timer *gt)
{
    goro_chan *c = gt->c;
    timer_disarm(&gt->t);
    /* A one-shot's value that went to the slot and is gone from it was received: the
     * timer fired, as far as anyone can tell (seen: stop true after the receive, raspi2b
     * SMP=2 MTTCG, the receiver slow to park). */
    bool was = gt->active && !(gt->slot && c->qcount == 0);
    gt->active = gt->slot = false;
    if (c->qcount && !(timer_debug & DEBUG_NODRAIN)) {
        c->qcount = 0;
        c->recvx = c->sendx;
    }
    return was;
}

bool goro_timer_stop(goro_timer *gt)
{
    if (!gt)
        goro_panic("goro_timer_stop: nil timer");
    spin_lock(&gt->c->lock);
    bool was = stop_locked(gt);
    spin_unlock(&gt->c->lock);
    return was;
}

bool goro_timer_reset(goro_timer *gt, int64_t ns)
{
    if (!gt)
        goro_panic("goro_timer_reset: nil timer");
    if (gt->ticker && ns <= 0)
        goro_panic("goro_timer_reset: non-positive ticker period %lld ns", (long long)ns);
    spin_lock(&gt->c->lock);
    bool was = stop_locked(gt);
    if (gt->ticker) {
        int64_t p = (int64_t)ns_to_ticks(ns);
        gt->t.period = p > 0 ? p : 1;
    }
    gt->active = true;
    start_unlock(gt, when_after(ns));
    return was;
}

void goro_timer_free(goro_timer *gt)
{
    if (!gt)
        return;
    timer_stop(&gt->t);        /* off its heap, and no f of it runs anywhere now */
    goro_chan_free(gt->c);
    free(gt);
}
