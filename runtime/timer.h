/* timer.h: the runtime's generic timers (timer.c). A struct timer is an action f to run
 * at a time on the counter (arch_time_now ticks), once or every period. The users:
 * goro_sleep (one embedded in every struct g), select's timeout (select.c), the public
 * timers and tickers (gotimer.c), and interrupt waits with a timeout.
 *
 * Contract:
 * - A struct timer is zero-initialised, then f (and arg, period) set by its owner.
 *   when, period, f and arg are the owner's to write while the timer is not armed.
 * - timer_start(t, when) arms t on the calling core's P (P 0 if this core has none);
 *   t must not be armed already (a panic says so). timer_stop(t) disarms it: true if it
 *   was armed and this call took it off before its f ran; it returns only once no f of
 *   t runs on any core (except the caller's own: f may stop or restart its own timer).
 *   Both from any context: a goroutine, g0, an interrupt handler, on any core,
 *   interrupts on or off. The caller of timer_stop must not hold a lock f takes.
 * - f(t, seq) runs on the M of the P whose heap holds t, interrupts off, no lock held,
 *   after t left the heap (a periodic timer: after it was re-armed there for its next
 *   period, so f sees it armed). f must not block or wait for a lock held across
 *   timer_stop; it may goready a goroutine or do a non-blocking channel send. seq is
 *   t->seq as it was when this firing took t off the heap: every timer_start and
 *   timer_stop bumps t->seq, so f tells a stale firing by comparing it with t->seq
 *   under whatever lock the stopper holds when it stops the timer.
 * - A timer pending or firing counts in timers_total(): a goroutine that waits for one
 *   is not a deadlock (deadlock.c). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct p;

struct timer {
    int64_t when;                               /* counter ticks (arch_time_now) */
    int64_t period;                             /* ticks; > 0: periodic (a ticker) */
    void (*f)(struct timer *t, uint64_t seq);   /* the action (see above) */
    void *arg;
    uint64_t seq;                               /* atomic: bumped by every start/stop (under lock) */
    /* Private to timer.c. */
    uint32_t lock;                              /* rawlock: orders start/stop of this timer;
                                                   before timer_lock in the lock order */
    int32_t idx;                                /* index in pp's heap (pp->timer_lock) */
    struct p *pp;                               /* atomic: P whose heap holds it, NULL if not
                                                   armed; written under that P's timer_lock */
    uint32_t nrunning;                          /* atomic: firings whose f has not returned */
};

void timer_start(struct timer *t, int64_t when);
/* timer_start's two halves, for a starter that holds its own lock (a channel's) across
 * the arming: timer_arm puts t on this core's P (or P 0) and returns that P;
 * timer_kick(pp, when), after the caller's locks are released, makes pp's core notice
 * (reprograms this core's timer, or rings pp's). Interrupts off from the one to the
 * other (the same core). The split is not cosmetic: on the RISC-V boards a write of
 * mtimecmp that moves QEMU's earliest virtual deadline ends this vCPU's turn in
 * QEMU 7.2's round-robin icount loop, and a vCPU that then spins, interrupts off, on
 * a lock we hold takes every later budget up to each deadline: we never run again (a
 * hang, timer_chan's select race at SMP >= 2). So no timer is
 * programmed while a lock is held: timer_start kicks after t->lock, and its callers
 * that hold channel locks (select.c, gotimer.c) kick after theirs. */
struct p *timer_arm(struct timer *t, int64_t when);
void timer_kick(struct p *pp, int64_t when);
bool timer_stop(struct timer *t);
/* timer_stop's two halves, for a stopper that must bump seq under its own lock (one f
 * also takes, so it can't wait there): timer_disarm takes t off and bumps seq, without
 * waiting; timer_wait_idle waits until no f of t runs (other than the caller's own). */
bool timer_disarm(struct timer *t);
void timer_wait_idle(struct timer *t);

/* The heap itself, for the scheduler and the host tests. timer_add: arm t on pp as is
 * (seq untouched; false if pp is dead); timer_del: take t off whatever heap holds it. */
bool timer_add(struct p *pp, struct timer *t, int64_t when);
bool timer_del(struct timer *t);
int  timers_run(struct p *pp, int64_t now);     /* pp's owner, interrupts off: fire what is due */
void timers_move(struct p *from, struct p *to); /* procresize, world stopped */
int  timers_total(void);                        /* pending or firing, for checkdead */
