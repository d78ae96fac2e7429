/* The scheduler: Ms (one per core) run goroutines from Ps' run queues.
 *
 * Concepts (as Go's proc.go): G a goroutine, M a core, P the right to run goroutines,
 * with its run queue and timers. There are gomaxprocs Ps; M i starts with P i. An M
 * whose P has no work looks in the global queue and steals from other Ps; finding
 * nothing, it puts its P on the idle list and sleeps in WFI *keeping* the P, so that
 * its timers still fire on its core. Work made runnable while a P is idle wakes that
 * P's M by IPI (wakep), at most one spinning M at a time, as Go limits spinning Ms.
 *
 * P states:
 *   P_IDLE     on sched.pidle; its M sleeps (or is about to); only its M or a waker
 *              holding sched.lock moves it off.
 *   P_RUNNING  its M runs goroutines or the scheduler with it.
 *   P_GCSTOP   stopped for stop-the-world (world.c); only the stopper restarts it.
 *   P_DEAD     beyond gomaxprocs.
 *   IDLE -> RUNNING (pidleget by a waker, or its M waking by itself), RUNNING -> IDLE
 *   (findrunnable found nothing), IDLE|RUNNING -> GCSTOP -> RUNNING (world.c),
 *   RUNNING|IDLE|GCSTOP <-> DEAD (procresize with the world stopped).
 *
 * g0 code (everything here on g0) runs with interrupts off, except in the WFI window
 * of m_sleep. Goroutine code runs with interrupts on outside spinlocks. */
#include "runtime.h"
#include "chan.h"          /* gopark_chan releases a channel's lock */

struct sched sched = { .lock = SPINLOCK_INIT("sched") };
struct m ms[GORO_SMP_MAX] GORO_NOSCAN;
struct p ps[GORO_SMP_MAX] GORO_NOSCAN;

struct m *acquirem(void)
{
    bool on = arch_intr_get();
    arch_intr_off();
    struct m *m = getg()->m;
    m->locks++;
    if (on)
        arch_intr_on();
    return m;
}

void releasem(struct m *m)
{
    if (--m->locks == 0) {
        struct g *gp = m->curg;
        if (gp && gp->preempt && arch_intr_get() && arch_cpu()->noff == 0)
            goro_gosched();      /* the preemption deferred while non-preemptible */
    }
}

/* ---- running a goroutine (execute) ----
 * The switch paths below (gosched_m, park_chan_m, schedule) run on g0, entered from
 * arch_mcall with the goroutine's registers saved. Every slow path of theirs is a call
 * that does not return (it finishes the switch itself, or throws): so they keep no
 * value across a call, and gcc saves no callee-saved register entering them (with a
 * returning slow path it saved six, 9 instructions a switch, for values the goroutine's
 * own context already holds). The functions mcall enters (G0_ENTRY) keep no frame
 * record either: they start g0's stack afresh (arch_mcall clears the frame pointer and
 * the return address), so the record would link to nothing, and never return. */
#define G0_ENTRY __attribute__((optimize("omit-frame-pointer")))

/* The last step: gp's thread register, its registers. */
static __attribute__((noinline, noreturn)) void execute_traced(struct g *gp, struct m *m);
HOT_INLINE __attribute__((noreturn)) void execute_gogo(struct g *gp, struct m *m)
{
    TRACE_IF(execute_traced(gp, m));   /* the tracer on: the event first, out of line */
    arch_set_thread(gp);
    arch_gogo(&gp->ctx);
}

static void execute_traced(struct g *gp, struct m *m)
{
    trace_gostart(gp, m);
    arch_set_thread(gp);
    arch_gogo(&gp->ctx);
}

/* The core's timer must fire before it is armed for (execute_run): arm it, then run. */
static __attribute__((noinline, noreturn)) void execute_arm(struct g *gp, struct m *m, uint64_t end)
{
    slice_timer_arm(m, end);
    execute_gogo(gp, m);
}

/* On g0, gp RUNNING: run it on this M (c, m, pp: this core, its M, its P, never NULL
 * here). A goroutine that came from runnext inherits the slice; a fresh slice starts
 * at now (read by the caller; unused when inherited). */
HOT_INLINE __attribute__((noreturn)) void execute_run(struct cpu *c, struct m *m, struct p *pp, struct g *gp,
                                                      bool inherit, uint64_t now)
{
    gp->m = m;
    gp->cpu = c;
    m->curg = gp;
    uint64_t end;
    if (!inherit) {             /* a fresh slice; an inherited one isn't a new tick (Go) */
        if (--pp->fairtick <= 0) {   /* Go's schedtick % 61: the next switch looks (attn) */
            pp->fairtick = FAIR_TICKS;
            __atomic_fetch_or(&pp->attn, ATTN_FAIR, __ATOMIC_RELAXED);
        }
        m->slice_end = end = now + slice_ticks;
    } else {
        end = m->slice_end;
    }
    /* set_slice_timer with what we know (a goroutine, a P): usually nothing to do. */
    uint64_t t0 = (uint64_t)__atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED);
    if (t0 < end)
        end = t0;
    if (end < m->timer_armed)
        execute_arm(gp, m, end);
#if GORO_SLOW_SWITCH
    /* The negative control of the benchmark guard (tests/bench_guard.py): a build with
     * -DGORO_SLOW_SWITCH=1 pays 64 more instructions per switch and must fail it. */
    __asm__ volatile(".rept 64\n\tnop\n\t.endr" ::: "memory");
#endif
    execute_gogo(gp, m);
}

/* A scanner holds gp's stack (RUNNABLE|SCAN): wait for it, then run gp. */
static __attribute__((noinline, noreturn)) void execute_scanned(struct g *gp, bool inherit, uint64_t now)
{
    casgstatus_slow(gp, G_RUNNABLE, G_RUNNING);
    struct cpu *c = arch_cpu();
    execute_run(c, c->m, c->m->p, gp, inherit, now);
}

/* On g0: run gp, RUNNABLE, on this M (c, m and pp as execute_run). */
HOT_INLINE __attribute__((noreturn)) void execute_slice(struct cpu *c, struct m *m, struct p *pp, struct g *gp,
                                                        bool inherit, uint64_t now)
{
    uint32_t cur = G_RUNNABLE;   /* casgstatus's fast path, its slow path not returning */
    if (__builtin_expect(!__atomic_compare_exchange_n(&gp->status, &cur, G_RUNNING, false, __ATOMIC_ACQUIRE,
                                                      __ATOMIC_RELAXED), 0))
        execute_scanned(gp, inherit, now);
    execute_run(c, m, pp, gp, inherit, now);
}

/* On g0 with a P: execute_slice, out of line, for paths that do not hold c, m and pp. */
static __attribute__((noinline, noreturn)) void execute_here(struct g *gp, bool inherit, uint64_t now)
{
    struct cpu *c = arch_cpu();
    execute_slice(c, c->m, c->m->p, gp, inherit, now);
}

void execute(struct g *gp) { execute_here(gp, false, arch_time_now()); }

/* ---- idle Ps (sched.lock held) ---- */

/* sched.lock for a caller whose interrupts are off already and stay off (g0 code: an
 * M going idle; pidlewake, from an inbox push): spin_lock's word, owner and rank (a
 * LOCKRANK build checks the order; a contended or recursive acquisition goes through
 * spin_lock_slow, its watchdog and its panic), without intr_push's count of
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
    if (__builtin_expect(__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0, 0))
        spin_lock_slow(l);
    l->owner = arch_cpu()->id + 1;
}

static inline __attribute__((always_inline)) void sched_unlock_intr_off(void)
{
    struct spinlock *l = &sched.lock;
#if GORO_LOCKRANK
    if (l->owner != arch_cpu()->id + 1 || !__atomic_load_n(&l->locked, __ATOMIC_RELAXED) || arch_intr_get())
        spin_unlock_fail(l);
    lockrank_release(l);
#endif
    l->owner = 0;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
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
        !__atomic_compare_exchange_n(&sched.nmspinning, &zero, 1, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
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
static __attribute__((noinline)) struct g *findrunnable(struct m *m, bool *inherit)
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

/* schedule's slow path: findrunnable, then execute. */
static __attribute__((noinline, noreturn)) void schedule_slow(struct m *m)
{
    bool inherit;
    struct g *gp = findrunnable(m, &inherit);
    execute_here(gp, inherit, arch_time_now());
}

/* The looks of schedule's common case, on every switch (c, m: this core and its M, pp
 * its P): the P's attn is clear (nothing of the world, no forEachP fn, no pinned
 * goroutine, no fairness look at the global queue: see struct p) and none of its
 * timers is due. False: findrunnable must look. The rest of what findrunnable looks
 * at needs no check here:
 *   - the P's status is P_RUNNING whenever attn is clear (only a stop of the world,
 *     which sets attn on every P, or the P's own M going idle in findrunnable changes
 *     it);
 *   - the M is never spinning (findrunnable clears m->spinning before it returns a
 *     goroutine).
 * Besides attn, one more look: the P's first timer against the clock (*now, for a
 * fresh slice). A due timer fires in findrunnable and its goroutine runs next, from
 * runnext, as Go's checkTimers in schedule. (Leaving due timers to the tick, which
 * fires them on a running P too, saved the clock read of an inherited slice, 4-7
 * instructions, but the tick fires mid-goroutine, and the goroutine it readies into
 * runnext is pushed to the ring's tail by the running one's next handoff:
 * timer_fairness waited 1015 ms for a 20 ms sleep once, raspi2b SMP 4.)
 * Plain loads: whatever they miss, findrunnable sees next time, and a flag they see set
 * is reloaded there with acquire. */
HOT_INLINE bool schedule_look(struct cpu *c, struct m *m, struct p *pp, uint64_t *now)
{
    if (m->locks || c->noff)
        throw("schedule: holding locks (m->locks %d, noff %d)", m->locks, c->noff);
    if (__atomic_load_n(&pp->attn, __ATOMIC_RELAXED))
        return false;
    *now = arch_time_now();
    return __atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED) > (int64_t)*now;
}

/* schedule, inline in the switch paths of this file: schedule_look, then runnext or the
 * ring's head; anything else is findrunnable's. */
HOT_INLINE __attribute__((noreturn)) void schedule_inline(struct cpu *c, struct m *m)
{
    struct p *pp = m->p;
    uint64_t now;
    if (!pp || !schedule_look(c, m, pp, &now))
        schedule_slow(m);
    struct g *gp = runqget_next(pp);      /* two copies of execute: each folds its slice */
    if (gp)
        execute_slice(c, m, pp, gp, true, 0);
    if (!(gp = runqget_ring(pp)))
        schedule_slow(m);
    execute_slice(c, m, pp, gp, false, now);
}

/* On g0, interrupts off, holding nothing: run the next goroutine. Never returns. */
_Noreturn void schedule(void)
{
    struct cpu *c = arch_cpu();
    schedule_inline(c, c->m);
}

/* On g0, for schedule_exit: the rest of schedule. */
static void schedule_m(void *arg)
{
    (void)arg;
    schedule_slow(arch_cpu()->m);
}

/* goro_goexit's switch (proc.c), on the dead goroutine's stack, interrupts off, its G
 * already on this P's free list (which only this M takes from, and only with
 * interrupts off: proc.c). schedule_inline's common case, from here: the next
 * goroutine runs without a trip through g0. Anything else (attn, a due timer, an empty
 * queue: findrunnable, which may sleep with interrupts on) goes to g0 first, dropping
 * this stack (arch_mcall_drop saves nothing), where schedule_slow does it. */
_Noreturn void schedule_exit(struct m *m)
{
    struct cpu *c = arch_cpu();
    struct p *pp = m->p;
    uint64_t now;
    if (schedule_look(c, m, pp, &now)) {
        struct g *gp = runqget_next(pp);
        if (gp)
            execute_slice(c, m, pp, gp, true, 0);
        if ((gp = runqget_ring(pp)))
            execute_slice(c, m, pp, gp, false, now);
    }
    struct g *g0 = m->g0;        /* loaded once: arch_set_thread clobbers memory */
    arch_set_thread(g0);
    arch_mcall_drop(&g0->ctx, schedule_m, NULL);
}

/* ---- parking ---- */
static void park_m(void *arg)
{
    struct g *gp = arg;
    struct m *m = gp->m;
    stack_check(gp);
    casgstatus(gp, G_RUNNING, G_WAITING);
    trace_goblock(gp);
    dropg(m, gp);
    bool (*unlockf)(struct g *, void *) = m->waitunlockf;
    m->waitunlockf = NULL;
    if (unlockf && !unlockf(gp, m->waitlock)) {
        casgstatus(gp, G_WAITING, G_RUNNABLE);
        gp = trace_gounblock(gp);
        execute_here(gp, true, 0);     /* the slice goes on */
    }
    schedule();
}

/* Park the calling goroutine (reason: its wait reason). unlockf(gp, lock), if given,
 * runs on g0 after gp is WAITING, typically to release the lock that guards the queue
 * gp was put on; returning false resumes gp at once. Goroutines only. */
void gopark(bool (*unlockf)(struct g *, void *), void *lock, const char *reason)
{
    arch_intr_off();
    struct g *gp = getg();
    if (gp->is_g0)
        throw("gopark: on g0 (%s)", reason);
    gp->m->waitunlockf = unlockf;
    gp->m->waitlock = lock;
    gp->waitreason = reason;
    mcall(park_m, gp);   /* not mcall_sched: unlockf may pop the goroutine's interrupt-off section */
    arch_intr_on();
}

/* park_chan_m with the tracer on. */
static __attribute__((noinline, noreturn)) void park_chan_traced(struct g *gp)
{
    struct m *m = gp->m;
    casgstatus(gp, G_RUNNING, G_WAITING);
    trace_goblock(gp);
    dropg(m, gp);
    chan_unlock_intr_off(m->waitlock);
    schedule();
}

/* gopark_chan's half on g0: gp WAITING, then the channel's lock released (a waker that
 * dequeues gp's waiter record can't find it running), then the next goroutine. park_m
 * with the channel's unlockf (chan.c's chan_park_commit: unlock, keep interrupts off)
 * in line. */
static G0_ENTRY void park_chan_m(void *arg)
{
    struct g *gp = arg;
    struct cpu *c = arch_cpu();
    struct m *m = c->m;
    stack_check(gp);
    TRACE_IF(park_chan_traced(gp));
    casgstatus(gp, G_RUNNING, G_WAITING);
    dropg(m, gp);
    chan_unlock_intr_off(m->waitlock);
    schedule_inline(c, m);
}

/* gopark for a channel operation (chan.c), c locked, interrupts off by chan_lock, the
 * caller's waiter record on one of c's queues: as gopark(chan_park_commit, c, reason),
 * without the unlockf's indirect call and the interrupt-off step it finds done. The
 * interrupts come back on when the goroutine resumes, as after any park. */
void gopark_chan(goro_chan *c, const char *reason)
{
    struct g *gp = getg();
    if (gp->is_g0)
        throw("gopark: on g0 (%s)", reason);
    gp->m->waitlock = c;
    gp->waitreason = reason;
    mcall_sched(park_chan_m, gp);
    arch_intr_on();
}

/* goready's slow path, all of it (tail-called, so that the fast path makes no call
 * that returns and needs no frame): gp's status is to change (cas: it already has),
 * tracing is on, gp is pinned (to its P, pin.c: no wakep, as no other P may run it),
 * or there is no P (the global queue). Interrupts off by flags, which it restores. */
static __attribute__((noinline)) bool goready_slow(struct g *gp, unsigned long flags, bool cas)
{
    if (!cas)
        casgstatus(gp, G_WAITING, G_RUNNABLE);   /* waits for a scanner, or throws */
    gp = trace_gounblock(gp);
    struct p *pp = arch_cpu()->m->p;
    if (gp->pin) {
        pin_put(pp, gp, true);
        arch_intr_restore(flags);
        return true;
    }
    if (pp)
        runqput(pp, gp, true);
    else
        globrunqput(gp);
    arch_intr_restore(flags);
    wakep();
    return true;
}

/* goready's full ring (tail-called, as goready_slow): the goroutine that was in
 * runnext goes to the global queue with half the ring. */
static __attribute__((noinline)) bool goready_full(struct p *pp, struct g *old, unsigned long flags)
{
    runqput_full(pp, old);
    arch_intr_restore(flags);
    wakep();
    return true;
}

/* goready's wakep_slow (tail-called, as goready_slow). */
static __attribute__((noinline)) bool goready_wakep(void)
{
    wakep_slow();
    return true;
}

/* Make a parked goroutine runnable, next on this P (a pinned one: next on its P, or in
 * its inbox). Any context. Interrupts off by arch_intr_save, as newproc_start: no count
 * (intr_push's noff) is needed, since the section nests no deeper than the locks it may
 * take (runqput_full's, pin_put's, globrunqput's), which push and pop on their own.
 * The fast path (one channel handoff's): the status CAS, runnext, the previous runnext
 * to the ring's tail, wakep's look. */
void goready(struct g *gp) { (void)goready_restore(gp, arch_intr_save()); }

/* goready for a caller that has turned interrupts off itself (flags: the state before,
 * which this restores): a channel's wake, right after its unlock (chan.h chan_wake).
 * Returns true, always: a receive that readied its sender returns that, and so ends in
 * a tail call here and needs no frame of its own (8 instructions a receive on RISC-V).
 * For the same reason the slow paths are tail calls, wakep's included. No frame record
 * either (5 instructions on RISC-V): a backtrace from a trap in here shows the caller's
 * caller above it. */
__attribute__((optimize("omit-frame-pointer"))) bool goready_restore(struct g *gp, unsigned long flags)
{
    uint32_t cur = G_WAITING;
    if (__builtin_expect(!__atomic_compare_exchange_n(&gp->status, &cur, G_RUNNABLE, false, __ATOMIC_ACQ_REL,
                                                      __ATOMIC_RELAXED), 0))
        return goready_slow(gp, flags, false);
    struct p *pp = arch_cpu()->m->p;
    bool traced = false;
    TRACE_IF(traced = true);
    if (__builtin_expect(!pp || gp->pin || traced, 0))
        return goready_slow(gp, flags, true);
    struct g *old = __atomic_exchange_n(&pp->runnext, gp, __ATOMIC_ACQ_REL);
    if (old) {                   /* runqput's tail, with its full case out of line */
        uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
        uint32_t t = pp->runq_tail;
        if (__builtin_expect(t - h >= RUNQ_SIZE, 0))
            return goready_full(pp, old, flags);
        pp->runq[t % RUNQ_SIZE] = old;
        store_release32(&pp->runq_tail, t + 1);
    }
    arch_intr_restore(flags);
    /* wakep(), its slow path a tail call: the fence orders the put before the look */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&sched.npidle, __ATOMIC_RELAXED) != 0)
        return goready_wakep();
    return true;
}

/* gosched_m with the tracer on (the path as it was before gosched_m's fast path). */
static __attribute__((noinline, noreturn)) void gosched_traced(struct g *gp)
{
    struct m *m = gp->m;
    casgstatus(gp, G_RUNNING, G_RUNNABLE);
    trace_goyield(gp);
    dropg(m, gp);
    runqput(m->p, gp, false);
    schedule();
}

/* gosched_m's way when findrunnable must look: gp to the ring's tail first. */
static __attribute__((noinline, noreturn)) void gosched_slow(struct m *m, struct g *gp)
{
    runqput(m->p, gp, false);
    schedule_slow(m);
}

/* gosched_m's way when runnext's goroutine runs next and the ring is full: half of it
 * goes to the global queue to make room for gp. */
static __attribute__((noinline, noreturn)) void gosched_full(struct g *gp, struct g *next)
{
    struct cpu *c = arch_cpu();
    runqput_full(c->m->p, gp);
    execute_slice(c, c->m, c->m->p, next, true, 0);
}

/* On g0, gp's registers saved by mcall: gp RUNNABLE, to the tail of the P's queue, and
 * the next goroutine runs (schedule's choice: runnext, else the ring's head). The ring's
 * head is taken and gp put at the tail in one step (runqswap), which cannot overflow. */
G0_ENTRY void gosched_m(void *arg)
{
    struct g *gp = arg;
    struct cpu *c = arch_cpu();
    struct m *m = c->m;
    stack_check(gp);
    TRACE_IF(gosched_traced(gp));
    casgstatus(gp, G_RUNNING, G_RUNNABLE);
    dropg(m, gp);
    struct p *pp = m->p;                  /* a goroutine ran: there is a P */
    uint64_t now;
    if (!schedule_look(c, m, pp, &now))
        gosched_slow(m, gp);
    struct g *next = runqget_next(pp);
    if (next) {
        if (!runqput_try(pp, gp))
            gosched_full(gp, next);
        execute_slice(c, m, pp, next, true, 0);
    }
    next = runqswap(pp, gp);
    execute_slice(c, m, pp, next ? next : gp, false, now);   /* NULL: gp was alone, runs on */
}

void goro_gosched(void)
{
    struct g *gp = getg();
    if (gp->is_g0)
        return;
    arch_intr_off();
    gp->preempt = false;
    mcall_sched(gosched_m, gp);
    arch_intr_on();
}

/* ---- running on g0 from a goroutine (Go's systemstack) ---- */
struct sysstack_call {
    void (*fn)(void *);
    void *arg;
    struct g *gp;
    const char *waitreason;     /* non-NULL: Rule 0, gp is WAITING while fn runs */
};

static void systemstack_m(void *a)
{
    struct sysstack_call *c = a;     /* on gp's stack, which stays put while we run */
    if (c->waitreason) {
        c->gp->waitreason = c->waitreason;
        casgstatus(c->gp, G_RUNNING, G_WAITING);
    }
    c->fn(c->arg);
    arch_intr_off();
    if (c->waitreason)
        casgstatus(c->gp, G_WAITING, G_RUNNING);   /* waits while a scanner owns it */
    arch_set_thread(c->gp);
    arch_gogo(&c->gp->ctx);
}

/* Run fn(arg) on this M's g0 stack, interrupts off, and come back. With waitreason,
 * the calling goroutine is WAITING meanwhile (its registers saved, its stack
 * untouched), so a stack scanner never waits for it: Rule 0. Not preemptible. */
void systemstack(void (*fn)(void *), void *arg, const char *waitreason)
{
    struct g *gp = getg();
    if (gp->is_g0) {
        fn(arg);
        return;
    }
    bool on = arch_intr_get();
    arch_intr_off();
    struct sysstack_call c = { fn, arg, gp, waitreason };
    mcall(systemstack_m, &c);
    if (on)
        arch_intr_on();
}
