/* Device interrupts to goroutines (goro_irq_attach, goro_irq_wait, goro_irq_detach),
 * and the wake word they and the console reader (console.c) park on.
 *
 * The players: the line (kernel/irq.c, masked or not at the board's controller), its
 * kernel handler irq_fire (interrupt context on core 0, interrupts off), the one
 * goroutine waiting on it, and at most one other waker: its timeout (a timer of
 * timer.h, embedded in the word) or a goro_irq_detach. The line is masked from the
 * moment it fires until its goroutine next calls goro_irq_wait (which unmasks it), so a
 * level-triggered device is serviced in goroutine context and no application code runs
 * in interrupt context.
 *
 * The wake word (struct wakeword, ww), one per line, settles who wakes whom with CAS:
 *   value          meaning                                 next
 *   0              nobody waits, nothing happened          prepare: -> gp; fire: -> FIRED
 *   gp             gp is about to park (ww_prepare done)    commit: -> gp|1; fire: -> FIRED[_EINVAL]
 *   gp|PARKED      gp is parked (WAITING)                   the one firer that CASes it to 0
 *                                                            readies gp (irq, timeout, detach)
 *   FIRED          fired with no parked waiter             prepare or commit consumes it: no park
 *   FIRED_EINVAL   detached under a waiter about to park    commit consumes it: EINVAL
 * gp is a struct g (64-byte aligned), so the low bits are free for the tags. Exactly
 * one party readies a parked goroutine: whoever moves gp|PARKED to 0; the others find
 * 0 or FIRED and only record. A timeout acts only on gp|PARKED.
 *
 * The timeout: ww->tm, no allocation and no goroutine per wait. The commit (gopark's
 * unlockf: g0, interrupts off) arms it on this core's P just before its CAS gp ->
 * gp|PARKED. Only that P's M fires its timers (timer.c), and not before the commit
 * returns, so the timeout's f (ww_timeout_fire: ww_fire with GORO_ETIMEDOUT, interrupts
 * off on that M) always finds the wait parked, or over (0, FIRED): a timer that fired
 * earlier would have found gp and been lost. After gopark returns, for whatever reason,
 * the waiter stops it with timer_stop, which returns only once no f of it runs: so no
 * timeout of this wait outlives it to meet the next one's gp|PARKED, and ww->tm is
 * free to arm again. (Before timers: a runtime goroutine per timed wait, a malloc, and
 * a sequence number under a lock to tell a late helper from the current wait.)
 *
 * Where the woken goroutine runs (irq_ready): an interrupt readies it on core 0's P,
 * in runnext, and asks the goroutine it interrupted to stop at the end of the trap
 * (its preempt flag; rt_trap_exit honours it at once if it is preemptible, else when
 * it leaves its non-preemptible section). So the waiter runs within one preemption, not
 * after a busy goroutine's whole time slice, as Go injects the netpoller's goroutines
 * into the scheduler ahead of the run queue. If core 0 slept in WFI, its P is taken
 * back for it (pidlewake, no IPI: we are that core) and the goroutine runs as soon as
 * the trap returns. No other P is woken for it (this one runs it next); the goroutine
 * it displaces is offered to idle Ps by gopreempt_m. If core 0's P is stopped
 * (stop-the-world) or gone, the goroutine goes to the global queue and
 * start_the_world finds it: an interrupt during a stop is not lost, it only runs once
 * the world starts. tests/bench/irq_to_goroutine measures the path.
 *
 * The rest of the runtime: a goroutine parked here is an ordinary WAITING goroutine
 * (wait reason "irq wait" / "console read"): suspend_g takes and scans it like any
 * other, the tracer records its block and unblock, forEachP and stop-the-world never
 * wait for it. checkdead counts it (ext_waiters) as able to wake: an interrupt can
 * come at any time.
 *
 * Debug knobs (command line), for negative controls: irqdebug=nopreempt readies an
 * irq's waiter as any goready from outside would (global queue, no runnext, no
 * preemption request: tests/irq_nopreempt.c); irqdebug=nodeadcount leaves irq
 * waiters out of ext_waiters (tests/irq_deadcount_off.c). */
#include <string.h>
#include "runtime.h"
#include "irq.h"
#include "board.h"

#define WW_PARKED       1u
#define WW_FIRED        2u
#define WW_FIRED_EINVAL 6u

uint32_t ext_waiters;                   /* atomic: goroutines in ww_prepare..wake (checkdead) */

enum { DEBUG_NOPREEMPT = 1, DEBUG_NODEADCOUNT = 2 };
static int irq_debug = -1;              /* DEBUG_* from the command line, read by the first attach */

static void read_debug(void)
{
    if (__builtin_expect(irq_debug < 0, 0))
        irq_debug = (int)boot_flags("irqdebug", (const char *const[]){ "nopreempt", "nodeadcount", NULL });
}

/* The timeout's f: on the M of the P that holds ww->tm, interrupts off. */
static void ww_timeout_fire(struct timer *t, uint64_t seq)
{
    (void)seq;
    ww_fire(t->arg, GORO_ETIMEDOUT, false);
}

/* Not on core 0's running P: gp to its P's inbox (pinned) or the global queue. */
static void goready_global(struct g *gp)
{
    casgstatus(gp, G_WAITING, G_RUNNABLE);
    gp = trace_gounblock(gp);
    if (gp->pin)
        pin_put(NULL, gp, true);
    else
        globrunqput(gp);
    wakep();
}

/* Interrupt context: ready gp (WAITING) on this core's P, to run next (above). */
static void irq_ready(struct g *gp)
{
    struct m *m = arch_cpu()->m;
    struct p *pp = m ? m->p : NULL;
    if (pp && __atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) == P_IDLE && m->curg == NULL)
        pidlewake(pp, false);           /* our M sleeps in WFI keeping pp: take it back (no IPI) */
    if (gp->pin || !pp || __atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) != P_RUNNING ||
        (irq_debug & DEBUG_NOPREEMPT)) {
        goready_global(gp);
        return;
    }
    casgstatus(gp, G_WAITING, G_RUNNABLE);
    gp = trace_gounblock(gp);
    /* No wakep for gp itself: this P runs it as soon as the trap returns, and waking
     * another P (an IPI, and under icount that core's run before ours) only let it steal
     * gp or spin (measured: a third of the idle wake). The goroutine gp displaces gets
     * its wakep from gopreempt_m; an earlier runnext that gp pushes to the tail, here. */
    bool pushed = __atomic_load_n(&pp->runnext, __ATOMIC_RELAXED) != NULL;
    runqput(pp, gp, true);
    if (m->curg) {
        m->curg->preempt = true;        /* rt_trap_exit: switch to gp now */
        /* runnext inherits the M's slice: give gp a whole one, not what is left of the
         * goroutine it displaces (a slice about to end would preempt gp at once and
         * send it behind every busy goroutine: measured, a median wake of 10 ms). */
        m->slice_start = arch_time_now();
    }
    if (pushed)
        wakep();
}

int ww_prepare(struct wakeword *ww)
{
    struct g *gp = getg();
    uintptr_t w = __atomic_load_n(&ww->w, __ATOMIC_ACQUIRE);
    for (;;) {
        if (w == WW_FIRED) {
            if (cas_acq_rel(&ww->w, &w, 0, false, __ATOMIC_ACQUIRE))
                return 1;
            continue;
        }
        if (w != 0)
            return GORO_EBUSY;
        if (cas_seq_cst(&ww->w, &w, (uintptr_t)gp, false, __ATOMIC_ACQUIRE))
            break;
    }
    if (!ww->uncounted)
        __atomic_add_fetch(&ext_waiters, 1, __ATOMIC_SEQ_CST);
    return 0;
}

void ww_cancel(struct wakeword *ww)
{
    uintptr_t w = (uintptr_t)getg();
    if (!cas_seq_cst(&ww->w, &w, 0, false, __ATOMIC_ACQUIRE))
        __atomic_store_n(&ww->w, 0, __ATOMIC_SEQ_CST);   /* a firing came: we are looking anyway */
    if (!ww->uncounted)
        __atomic_sub_fetch(&ext_waiters, 1, __ATOMIC_SEQ_CST);
}

/* gopark's unlockf, on g0 with gp WAITING, interrupts off: arm the timeout, then
 * gp -> gp|PARKED, unless a firing came (the timer, armed, is stopped by ww_park). */
static bool ww_commit(struct g *gp, void *arg)
{
    struct wakeword *ww = arg;
    if (ww->timed)
        timer_start(&ww->tm, ww->tm.when);
    uintptr_t w = (uintptr_t)gp;
    if (cas_seq_cst(&ww->w, &w, (uintptr_t)gp | WW_PARKED, false, __ATOMIC_ACQUIRE)) {
        return true;
    }
    ww->why = w == WW_FIRED_EINVAL ? GORO_EINVAL : 0;
    __atomic_store_n(&ww->w, 0, __ATOMIC_SEQ_CST);
    return false;
}

int ww_park(struct wakeword *ww, const char *reason, int64_t timeout_ns)
{
    ww->why = 0;
    ww->timed = timeout_ns > 0;
    if (ww->timed) {
        ww->tm.f = ww_timeout_fire;
        ww->tm.arg = ww;
        ww->tm.when = (int64_t)(arch_time_now() + ns_to_ticks(timeout_ns) + 1);   /* never early */
    }
    gopark(ww_commit, ww, reason);
    if (ww->timed)
        timer_stop(&ww->tm);             /* off the heap, its f done: the next wait may arm it */
    if (!ww->uncounted)
        __atomic_sub_fetch(&ext_waiters, 1, __ATOMIC_SEQ_CST);
    return ww->why;
}

bool ww_fire(struct wakeword *ww, int why, bool intr)
{
    uintptr_t w = __atomic_load_n(&ww->w, __ATOMIC_ACQUIRE);
    for (;;) {
        uintptr_t to;
        if (w & WW_PARKED)
            to = 0;
        else if (why == GORO_ETIMEDOUT)
            return false;                /* a timeout meets only a parked waiter */
        else if (w == WW_FIRED || w == WW_FIRED_EINVAL)
            return false;
        else
            to = why == GORO_EINVAL ? WW_FIRED_EINVAL : WW_FIRED;
        if (cas_seq_cst(&ww->w, &w, to, false, __ATOMIC_ACQUIRE))
            break;
    }
    if (!(w & WW_PARKED))
        return false;
    struct g *gp = (struct g *)(w & ~(uintptr_t)WW_PARKED);
    ww->why = why;                       /* gp reads it after its wake (goready orders it) */
    if (intr)
        irq_ready(gp);
    else
        goready(gp);
    return true;
}

/* ---- goro_irq_* ---- */
struct irqwait {
    uint32_t attached;                  /* atomic: 1 from attach to detach (written under
                                           irq_wait_lock) */
    struct wakeword ww;
};
static struct irqwait irqs[BOARD_IRQ_LINES] GORO_NOSCAN;

/* irq_wait_lock (interrupts off; before "irq", kernel/irq.c's table): a wait's prepare
 * and unmask are one step against a firing's mask and record, and against a detach.
 * Without it a line could fire twice for one raise of a level-triggered device: left
 * unmasked by a wait that timed out, it fired between the next wait's prepare and its
 * unmask (-> FIRED, masked), the unmask enabled it again while the device still held
 * it, and the second firing, after the commit had consumed the first, was recorded for
 * the wait after, which returned at once with no raise (raspi2b, 3 runs in 40 of
 * irq_goroutine; masking the line again after a timeout left a rarer form, a firing
 * taken just before that mask and recorded only after the next wait's unmask). With
 * the lock the only unmask is by a wait that found no firing recorded, and the one
 * firing it lets through masks the line before any other can be taken: device lines
 * come to core 0 only, which takes them with interrupts off. */
static struct spinlock irq_wait_lock = SPINLOCK_INIT("irq wait");

/* Interrupt context, core 0: the line fired. Mask it (it stays so until the next
 * wait) and wake the waiter, or record the firing for the next wait. */
static void irq_fire(int irq, void *arg)
{
    spin_lock(&irq_wait_lock);
    irqchip_enable(irq, false);         /* irq_mask without its checks: the line just fired */
    ww_fire(arg, 0, true);
    spin_unlock(&irq_wait_lock);
}

int goro_irq_attach(int irq)
{
    if (!irq_valid(irq))
        return GORO_EINVAL;
    struct irqwait *iw = &irqs[irq];
    read_debug();
    int r = irq_register(irq, irq_fire, &iw->ww);
    if (r == 0) {
        spin_lock(&irq_wait_lock);
        __atomic_store_n(&iw->ww.w, 0, __ATOMIC_RELAXED);
        iw->ww.uncounted = irq_debug & DEBUG_NODEADCOUNT;
        __atomic_store_n(&iw->attached, 1, __ATOMIC_RELEASE);
        spin_unlock(&irq_wait_lock);
    }
    return r;
}

int goro_irq_wait(int irq, int64_t timeout_ns)
{
    if (!irq_valid(irq))
        return GORO_EINVAL;
    struct irqwait *iw = &irqs[irq];
    spin_lock(&irq_wait_lock);
    int r = __atomic_load_n(&iw->attached, __ATOMIC_RELAXED) ? ww_prepare(&iw->ww) : GORO_EINVAL;
    if (r == 0)
        irq_unmask(irq);
    spin_unlock(&irq_wait_lock);
    if (r != 0)
        return r == 1 ? 0 : r;           /* it fired since the last wait; or EBUSY, EINVAL */
    return ww_park(&iw->ww, "irq wait", timeout_ns);
}

void goro_irq_detach(int irq)
{
    if (!irq_valid(irq))
        return;
    spin_lock(&irq_wait_lock);
    bool was = __atomic_exchange_n(&irqs[irq].attached, 0, __ATOMIC_ACQ_REL);
    if (was)
        irq_unregister(irq);             /* masked: no wait unmasks it after this */
    spin_unlock(&irq_wait_lock);
    if (was)
        ww_fire(&irqs[irq].ww, GORO_EINVAL, false);   /* a waiter returns GORO_EINVAL */
}
