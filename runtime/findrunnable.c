/* Finding work (Go's findRunnable and the idle Ps, proc.go): what an M does when its
 * P's own queue has nothing for schedule (sched.c), or when the P's attn or a due
 * timer sends it here. In order: the world (a stop, a forEachP fn), pinned goroutines
 * (the P's inbox, pin.c), due timers, the global queue (fairness), the P's own queue,
 * stealing as the one spinning M, and at last idling: the P onto sched.pidle, the M
 * asleep in WFI keeping it (so its timers still fire on its core) until a waker takes
 * the P back (wakep, pidlewake) or its own timer is due.
 *
 * The P states and who moves them: sched.c's header. Locks: sched.lock (kernel
 * spinlock, struct sched in runtime.h) guards the idle list, npidle's writes, the
 * global queue and the spinning count's decisions; taken here without intr_push's
 * count where interrupts are off already (sched_lock_intr_off). Everything here runs on
 * g0 with interrupts off, except in the WFI window of m_sleep. */
#include "runtime.h"

/* ---- idle Ps (sched.lock held) ---- */

/* sched.lock for a caller whose interrupts are off already and stay off (g0 code: an
 * M going idle; pidlewake, from an inbox push): spin_lock's word (the holder's tag in
 * it) and rank (a LOCKRANK build checks the order; a contended or recursive acquisition
 * goes through spin_lock_slow, its watchdog and its panic), without intr_push's count of
 * interrupt-off sections, as runtime/chan.h's chan_lock_intr_off: the pair was about
 * 20 instructions more, and a cross-core round trip takes the lock four times (each
 * side idles once and wakes the other once). Nothing taken inside (pidleput,
 * pidleremove, checkdead's look is outside) relies on noff counting it. */
static inline __attribute__((always_inline)) void sched_lock_intr_off(void)
{
    struct spinlock *l = &sched.lock;
#if GORO_LOCKRANK
    lockrank_acquire(l, l->name, &l->rank);
#endif
    if (__builtin_expect(!spin_take(&l->locked, arch_cpu()->lock_tag), 0))
        spin_lock_slow(l);
}

static inline __attribute__((always_inline)) void sched_unlock_intr_off(void)
{
    struct spinlock *l = &sched.lock;
    if (GORO_LOCKRANK && arch_intr_get())
        spin_unlock_fail(l);
    spin_unlock_check(l);        /* LOCKRANK builds: the holder, the rank */
    arch_unlock32(&l->locked);
}
static void pidleput(struct p *pp)
{
    __atomic_store_n(&pp->status, P_IDLE, __ATOMIC_RELEASE);
    pp->idled_by = arch_cpu()->id;
    pp->link = sched.pidle;
    sched.pidle = pp;
    __atomic_add_fetch(&sched.npidle, 1, __ATOMIC_SEQ_CST);
}

static void pidleremove(struct p *pp)
{
    for (struct p **l = &sched.pidle; *l; l = &(*l)->link)
        if (*l == pp) {
            *l = pp->link;
            __atomic_sub_fetch(&sched.npidle, 1, __ATOMIC_SEQ_CST);
            __atomic_store_n(&pp->status, P_RUNNING, __ATOMIC_RELEASE);
            return;
        }
    throw("pidleremove: P %d not idle", pp->id);
}

/* Interrupts off (so not preemptible between the two steps), sched.lock held iff
 * locked: if pp is idle, take it off the idle list for its own M and ring that M. For
 * work only pp may run (pin.c): pp counts as busy from the moment that work exists, so
 * checkdead never sees all Ps idle with it pending. Unlike wakep, the M isn't counted
 * spinning (m->wakeup stays 0): it just finds its P running when it wakes. */
void pidlewake(struct p *pp, bool locked)
{
    if (!locked)
        sched_lock_intr_off();
    bool idle = __atomic_load_n(&pp->status, __ATOMIC_RELAXED) == P_IDLE;
    if (idle)
        pidleremove(pp);
    if (!locked)
        sched_unlock_intr_off();
    /* No IPI to ourselves: a caller on pp's own core is a device interrupt over its
     * m_sleep (runtime/irq.c irq_ready), which rechecks pp's status after the trap. */
    if (idle && pp->m != arch_cpu()->m)
        ipi_send(pp->m->id, IPI_WAKE);
}

/* Wake one idle P's M to look for work, unless an M is already spinning. */
static void wakep_m(void)
{
    int zero = 0;
    if (__atomic_load_n(&sched.nmspinning, __ATOMIC_RELAXED) != 0 ||
        !cas_seq_cst(&sched.nmspinning, &zero, 1, false, __ATOMIC_RELAXED))
        return;
    spin_lock(&sched.lock);
    struct p *pp = sched.pidle;
    if (pp) {
        /* Before the P runs, under the lock idle() reads both with: an M that sees
         * its P taken also sees that it was counted spinning for us. */
        __atomic_store_n(&pp->m->wakeup, 1, __ATOMIC_RELEASE);
        pidleremove(pp);
    }
    spin_unlock(&sched.lock);
    if (!pp) {
        __atomic_sub_fetch(&sched.nmspinning, 1, __ATOMIC_SEQ_CST);
        return;
    }
    ipi_send(pp->m->id, IPI_WAKE);
}

/* wakep's slow path (runtime.h has the fence and the npidle check): there is an idle P.
 * Non-preemptible from taking the P to the IPI, as Go's wakep: a goroutine preempted in
 * between would leave the P running with its M asleep and no one to wake it, and a stop
 * of the world would wait for that P for ever (the caller's P stops too, so the
 * goroutine can't run to send the IPI). Seen as the STW watchdog on raspi2b, 3 in 20
 * runs of gc_stw_deadlock at SMP=4. */
void wakep_slow(void)
{
    struct m *m = acquirem();
    wakep_m();
    releasem(m);
}

static void resetspinning(struct m *m)
{
    if (!m->spinning)
        return;
    m->spinning = false;
    if (__atomic_sub_fetch(&sched.nmspinning, 1, __ATOMIC_SEQ_CST) == 0)
        wakep();   /* we found work; there may be more for an idle P */
}

static bool all_runqs_empty(void);

/* As resetspinning, for a goroutine found in the P's inbox (pin.c): it is no sign of
 * more work for others, so another P is woken only if some is visible (a producer may
 * have left it to us, the spinning M). */
static void resetspinning_pinned(struct m *m)
{
    if (!m->spinning)
        return;
    m->spinning = false;
    if (__atomic_sub_fetch(&sched.nmspinning, 1, __ATOMIC_SEQ_CST) == 0 &&
        (__atomic_load_n(&sched.runq_size, __ATOMIC_RELAXED) || !all_runqs_empty()))
        wakep();
}

static struct g *steal_work(struct m *m, struct p *pp)
{
    int n = sched.gomaxprocs;
    for (int round = 0; round < 4; round++) {
        uint32_t start = fastrandn(n);
        for (int i = 0; i < n; i++) {
            struct p *v = &ps[(start + i) % n];
            if (v == pp || runqempty(v))
                continue;
            struct g *gp = runqsteal(pp, v, round == 3);
            if (gp)
                return gp;
        }
    }
    (void)m;
    return NULL;
}

/* Sleep in WFI, keeping pp, until woken with work, a P, or a timer. Interrupts are
 * masked around each check and WFI, so a wake-up between them is never lost: WFI
 * returns on a pending interrupt even while masked. It also returns when m->p is no
 * longer pp: a stop of the world took idle pp and procresize gave it to another M (or
 * gave us another P); sleeping on, watching pp, would leave our new P running with
 * its M asleep (seen: a goroutine pinned to that P never ran). */
static void m_sleep(struct m *m, struct p *pp)
{
    for (;;) {
        if (pp)                  /* pidleput's status before the inbox: see pin.c */
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
        /* pp's status first: a waker taking pp back is what usually ends the sleep. */
        if ((pp && __atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) != P_IDLE) ||
            __atomic_load_n(&m->wakeup, __ATOMIC_ACQUIRE) || (pp && !runqempty(pp)) ||
            (pp && __atomic_load_n(&pp->pin_head, __ATOMIC_RELAXED)) ||
            __atomic_load_n(&m->p, __ATOMIC_ACQUIRE) != pp ||
            __atomic_load_n(&sched.gcwaiting, __ATOMIC_ACQUIRE) ||
            (pp && __atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED) <= (int64_t)arch_time_now()))
            return;              /* due timers: idle() takes pp back, findrunnable fires them */
        set_slice_timer(m);
        arch_wait_for_interrupt();
        /* Woken for pp's own timer (a sleep or a timer ending: timer_fire's case): go
         * back without taking the interrupt, whose handler could not fire it anyway (pp
         * is idle). idle() takes pp back, findrunnable fires it, and the core's timer is
         * programmed again when this M next runs a goroutine or sleeps (timer_armed
         * forgotten, so set_slice_timer writes it): that write is what ends the pending
         * interrupt (RISC-V: mtimecmp; ARM: the level drops, the GIC's pending bit with
         * it). Anything else pending (an IPI) is taken when interrupts next come on. */
        if (pp && __atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED) <= (int64_t)arch_time_now()) {
            m->timer_armed = UINT64_MAX;
            return;
        }
        /* Woken by an IPI (a waker's, usually; it sets the bits before it rings):
         * taken here, without a trap frame (kernel/ipi.c), and looked at again. The
         * bits are a hint only: a sender between its bits and its doorbell, or bits a
         * trap took meanwhile; if no doorbell rang, whatever woke us is taken with
         * interrupts on. */
        if (__atomic_load_n(&arch_cpu()->ipi_bits, __ATOMIC_RELAXED) && ipi_poll())
            continue;
        arch_intr_on();          /* take what woke us: timers run, device lines */
        arch_intr_off();
    }
}

/* A quick look whether any P's run queue has anything, for findrunnable to decide
 * whether stealing is worth a try: relaxed loads, a hint (steal_work does it right). */
static bool runqs_any(void)
{
    for (int i = 0; i < sched.gomaxprocs; i++)
        if (__atomic_load_n(&ps[i].runq_head, __ATOMIC_RELAXED) != __atomic_load_n(&ps[i].runq_tail, __ATOMIC_RELAXED) ||
            __atomic_load_n(&ps[i].runnext, __ATOMIC_RELAXED))
            return true;
    return false;
}

static bool all_runqs_empty(void)
{
    for (int i = 0; i < sched.gomaxprocs; i++)
        if (!runqempty(&ps[i]))
            return false;
    return true;
}

/* pp found no work: idle it, sleep, and come back with it running (or stopped). True
 * when pp is running and this M's again and the M is not spinning: it took pp back
 * itself (pp's own due timer, usually), or pidlewake gave it back (a device interrupt's
 * goroutine, runtime/irq.c, or a pinned one), so findrunnable may take the short way
 * (wake_run). */
static bool idle(struct m *m, struct p *pp)
{
    sched_lock_intr_off();
    if (sched.runq_size || __atomic_load_n(&sched.gcwaiting, __ATOMIC_ACQUIRE) || pp->safe_point_fn ||
        __atomic_load_n(&pp->pin_head, __ATOMIC_RELAXED)) {
        sched_unlock_intr_off();
        return false;
    }
    pidleput(pp);
    bool all_idle = sched.npidle == sched.gomaxprocs;
    sched_unlock_intr_off();
    bool was_spinning = m->spinning;
    if (was_spinning) {
        m->spinning = false;
        __atomic_sub_fetch(&sched.nmspinning, 1, __ATOMIC_SEQ_CST);
    }
    /* A goroutine made runnable on a P we didn't look at, or on the global queue,
     * while we were the spinning M (so its producer's wakep stood down): either we see
     * it here, or its producer sees npidle > 0 (seq_cst on both sides) and wakes a P. */
    if (!was_spinning || (all_runqs_empty() && !__atomic_load_n(&sched.runq_size, __ATOMIC_SEQ_CST))) {
        if (all_idle)
            checkdead();
        trace_midle(pp);
        m_sleep(m, pp);
        trace_mwake(pp);
    }
    /* Taken back by a waker (wakep, pidlewake) or a stop of the world, or moved to
     * another M by procresize: only m->wakeup is left to read, without the lock (wakep
     * sets it before the status it releases, which we read with acquire). Still idle:
     * take it off the list ourselves. */
    if (__atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) == P_IDLE && __atomic_load_n(&m->p, __ATOMIC_RELAXED) == pp) {
        sched_lock_intr_off();
        if (__atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) == P_IDLE) {
            pidleremove(pp);
            sched_unlock_intr_off();
            return true;
        }
        sched_unlock_intr_off();
    }
    if (__atomic_exchange_n(&m->wakeup, 0, __ATOMIC_ACQ_REL)) {
        m->spinning = true;      /* wakep took pp for us and counted us spinning */
        return false;
    }
    return __atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) == P_RUNNING &&
           __atomic_load_n(&m->p, __ATOMIC_RELAXED) == pp;
}

/* pp's owner, interrupts off: fire pp's timers if one is due (the clock read once). */
static inline void timers_run_due(struct p *pp)
{
    int64_t now = (int64_t)arch_time_now();
    if (__atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED) <= now)
        timers_run(pp, now);
}

/* findrunnable's short way after a wake (idle() true: pp running, ours, not spinning):
 * fire pp's due timers and take what they or the waker readied (the inbox's first
 * goroutine, or runnext), without the loop's other looks, unless one of them has
 * something to say (the world; a forEachP fn; a fairness look: attn). What the loop
 * would also have looked at (the global queue, other Ps) is no more due than it was
 * before the sleep; it is seen at the next switch, or by an M that a producer woke. A
 * stop of the world that began after pp was taken back sees pp running and preempts
 * what runs here, as for any running P. NULL: the loop looks as usual.
 * attn set to ATTN_LOOK alone is usually the inbox's push that woke us (pin.c): it is
 * cleared here, as findrunnable clears it, and what else it may stand for (gcwaiting,
 * a forEachP fn) looked at after the exchange; if either is there, attn is set back
 * (our own RMW: findrunnable's exchange reads it next) and the loop does the rest. */
static struct g *wake_run(struct p *pp, bool *inherit)
{
    if (__atomic_load_n(&sched.gcwaiting, __ATOMIC_ACQUIRE))
        return NULL;
    uint32_t attn = __atomic_load_n(&pp->attn, __ATOMIC_RELAXED);
    if (attn) {
        if (attn != ATTN_LOOK)
            return NULL;
        attn = __atomic_exchange_n(&pp->attn, 0, __ATOMIC_ACQUIRE);
        if (attn != ATTN_LOOK || __atomic_load_n(&sched.gcwaiting, __ATOMIC_ACQUIRE) ||
            __atomic_load_n(&pp->safe_point_fn, __ATOMIC_ACQUIRE)) {
            __atomic_fetch_or(&pp->attn, attn, __ATOMIC_RELAXED);
            return NULL;
        }
    }
    timers_run_due(pp);
    struct g *gp;
    if ((pp->pin_next || __atomic_load_n(&pp->pin_head, __ATOMIC_RELAXED)) && (gp = pin_take(pp)))
        return gp;
    return runqget(pp, inherit);
}

/* On g0: find a goroutine to run; sleeps while there is none. Out of line: the common
 * case is schedule_inline's. */
__attribute__((noinline)) struct g *findrunnable(struct m *m, bool *inherit)
{
    for (;;) {
        struct p *pp = __atomic_load_n(&m->p, __ATOMIC_ACQUIRE);   /* procresize may change it */
        *inherit = false;
        if (!pp) {                                  /* beyond gomaxprocs: wait for a P */
            m_sleep(m, NULL);
            __atomic_store_n(&m->wakeup, 0, __ATOMIC_RELAXED);
            continue;
        }
        /* attn first, then what it stands for: a setter's flag is either seen below
         * (our exchange read its RMW: acquire) or left set for the next switch. */
        uint32_t attn = __atomic_load_n(&pp->attn, __ATOMIC_RELAXED) ? __atomic_exchange_n(&pp->attn, 0, __ATOMIC_ACQUIRE)
                                                                      : 0;
        if (__atomic_load_n(&sched.gcwaiting, __ATOMIC_ACQUIRE) || pp->status == P_GCSTOP) {
            gcstopm(m, pp);
            continue;
        }
        if (__atomic_load_n(&m->p, __ATOMIC_ACQUIRE) != pp)   /* moved meanwhile (gcstopm) */
            continue;
        if (__atomic_load_n(&pp->safe_point_fn, __ATOMIC_ACQUIRE))
            run_safe_point_fn(pp);
        timers_run_due(pp);
        struct g *gp = NULL;
        if ((attn & ATTN_FAIR) && sched.runq_size) {   /* fairness: the global queue */
            spin_lock(&sched.lock);
            gp = globrunqget(pp, 1);
            spin_unlock(&sched.lock);
        }
        if (!gp && (pp->pin_next || __atomic_load_n(&pp->pin_head, __ATOMIC_RELAXED)) && (gp = pin_take(pp))) {
            resetspinning_pinned(m);
            return gp;
        }
        if (gp || (gp = runqget(pp, inherit))) {
            resetspinning(m);
            return gp;
        }
        if (__atomic_load_n(&sched.runq_size, __ATOMIC_RELAXED)) {
            spin_lock(&sched.lock);
            gp = globrunqget(pp, 0);
            spin_unlock(&sched.lock);
            if (gp) {
                resetspinning(m);
                return gp;
            }
        }
        /* Stealing looks at every P four times in random orders: a quick look first at
         * whether any run queue has anything saves that when none has (the common case
         * of a core going idle), and saves becoming a spinning M too: an M that saw
         * nothing goes idle as Go's non-spinning M does, without idle()'s recheck. A
         * goroutine readied after the look stays on its producer's P, which is running
         * and runs it, or wakes an M that its wakep finds idle (we are on the idle
         * list by then, or its wakep saw none and its P runs it). An M that was
         * spinning already (woken by wakep) still goes through idle()'s recheck: a
         * producer that saw it spinning woke no one else. */
        if (runqs_any()) {
            int busy = sched.gomaxprocs - __atomic_load_n(&sched.npidle, __ATOMIC_RELAXED);
            if (!m->spinning && 2 * __atomic_load_n(&sched.nmspinning, __ATOMIC_RELAXED) < busy) {
                m->spinning = true;
                __atomic_add_fetch(&sched.nmspinning, 1, __ATOMIC_SEQ_CST);
            }
            /* Still spinning after a failed steal: idle() rechecks for work put after
             * this look (a producer seeing no idle P yet woke no one). */
            if (m->spinning && (gp = steal_work(m, pp))) {
                resetspinning(m);
                return gp;
            }
        }
        if (idle(m, pp) && (gp = wake_run(pp, inherit)))
            return gp;
    }
}
