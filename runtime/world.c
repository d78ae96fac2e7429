/* The world: stop-the-world, forEachP, and gomaxprocs (Go's proc.go).
 *
 * Rule 0 (Go commit ff7cf2d4): code that waits for other Ps first moves its own
 * goroutine from running to waiting and waits on g0 (wait_on_g0, runtime.h),
 * so that a stack scanner in suspend_g (suspend.c), which spins non-preemptibly until
 * its target stops, never waits for a goroutine that is itself waiting for the
 * scanner's P. The wrappers (goro_stop_the_world, goro_for_each_p) apply it; the
 * internal forms don't. UNWRAPPED=1 builds wait_on_g0 without it, to show the deadlock.
 *
 * stop_the_world_with_sema (world_lock held):
 *   1. sched.gcwaiting = 1, then every P's attn (its switch path's one flag, sched.c);
 *      stopwait = gomaxprocs.
 *   2. Stop our own P and every idle P directly (P_GCSTOP; their Ms sleep on).
 *   3. Ask every running P's goroutine to preempt (IPI). Each P stops itself at its next
 *      scheduler entry (gcstopm) and counts stopwait down.
 *   4. Wait for stopwait == 0, asleep in WFI: the P that counts it down to 0 IPIs us
 *      (Go's notewakeup(&sched.stopnote)); the core's timer wakes us every 100 us to
 *      re-send the requests; a watchdog panics after GORO_WATCHDOG_NS (watchdog.h) naming the P, M, goroutine,
 *      its state and pc. Sleeping, not spinning: under round-robin TCG (icount) a
 *      spinning stopper kept the Ps it waits for from running until its slice ended.
 * start_the_world: gcwaiting = 0, every stopped P back to running, its M woken.
 *
 * for_each_p_internal (world_lock held): publish fn in every other P's safe_point_fn
 * (and set its attn, the one flag its switch path checks for such things, sched.c);
 * run it for idle Ps ourselves (under sched.lock, so no idle P restarts meanwhile), a
 * CAS on the flag settling whether we or the P's own M does it; ask running Ps to preempt; run it for our own P; wait for all, re-sending
 * requests, under the same watchdog, asleep as above (the last P to run fn IPIs us).
 * Each P runs fn at its next safe point (run_safe_point_fn, called by the scheduler).
 *
 * world_lock: worldsema (worldsema.c, FIFO, callers park), taken by stop-the-world,
 * forEachP, gomaxprocs and the GC's phases, so they never overlap. Fields below are guarded by sched.lock. */
#include "runtime.h"


static int safe_point_wait;                 /* sched.lock; atomic reads */
uint32_t world_resends;                     /* re-sent preemption rounds (wait_for_ps's only) */
static int world_debug = -1;                /* worlddebug=noattn: world_stop_attn_off.c's control */
static int waiter_cpu = -1;                 /* sched.lock: the core asleep in wait_for_ps */
static void (*safe_point_user)(int, void *);
static void *safe_point_arg;

/* Ask the goroutine running on every other P to stop at a safe point. */
static void preemptall(struct p *self)
{
    for (int i = 0; i < sched.gomaxprocs; i++) {
        struct p *pp = &ps[i];
        if (pp == self || __atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) != P_RUNNING || !pp->m)
            continue;
        struct g *gp = __atomic_load_n(&pp->m->curg, __ATOMIC_ACQUIRE);
        if (gp)
            preempt_request(gp);
    }
}

/* Report the P that did not reach a safe point, then panic. */
static _Noreturn void watchdog_fire(const char *what, struct p *pp)
{
    struct m *m = pp->m;
    struct g *gp = m ? m->curg : NULL;
    bool live = false;
    uintptr_t pc = m ? cpu_poke_pc(m->id, &live) : 0;
    throw("watchdog: %s waited more than %lld ms for P %d (M %d, goroutine %lld [%s], pc 0x%lx%pN%s)", what,
          WATCHDOG_MS(GORO_WATCHDOG_NS), pp->id, m ? m->id : -1, gp ? (long long)gp->id : 0LL,
          gp ? gstatus_name(readgstatus(gp)) : "none", (unsigned long)pc, (void *)pc,
          live ? "" : "; it took no interrupt in the poke time (WATCHDOG_POKE_NS): the pc of its last trap");
}

/* sched.lock held: *count has just gone to 0; wake the core waiting for it, after the
 * caller drops the lock (returns its id, or -1). */
static int waiter_take(void)
{
    int cpu = waiter_cpu;
    waiter_cpu = -1;
    return cpu;
}

/* Sleep (interrupts masked around the check, so the last P's IPI is never lost: WFI
 * returns on a pending interrupt) until *count is 0; every 100 us re-send the
 * preemption requests; the watchdog after GORO_WATCHDOG_NS. waiter_cpu was set, under
 * sched.lock, when *count was. */
static void wait_for_ps(int *count, const char *what, bool (*pending)(struct p *))
{
    struct m *m = arch_cpu()->m;
    struct p *self = m->p;
    uint64_t start = arch_time_now(), resend = start;
    uint64_t every = ns_to_ticks(100000), limit = ns_to_ticks(GORO_WATCHDOG_NS);
    struct watchdog w;
    watchdog_start(&w, start, ns_to_ticks(WATCHDOG_STALL_NS));
    while (__atomic_load_n(count, __ATOMIC_ACQUIRE) > 0) {
        if (resend + every < m->timer_armed)
            slice_timer_arm(m, resend + every);
        arch_wait_for_interrupt();
        arch_intr_on();              /* take what woke us: the IPI, the timer */
        arch_intr_off();
        uint64_t now = arch_time_now();
        if (now - resend >= every) {
            preemptall(self);
            resend = now;
            world_resends++;
        }
        if (watchdog_waited(&w, now) > limit && __atomic_load_n(count, __ATOMIC_ACQUIRE) > 0) {
            for (int i = 0; i < sched.gomaxprocs; i++)
                if (&ps[i] != self && pending(&ps[i]))
                    watchdog_fire(what, &ps[i]);
            watchdog_fire(what, self);
        }
    }
    spin_lock(&sched.lock);
    waiter_cpu = -1;                 /* done without the last P's IPI (or it is on its way) */
    spin_unlock(&sched.lock);
}

static bool not_stopped(struct p *pp) { return __atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) != P_GCSTOP; }

/* ---- stop the world ---- */
static void stop_the_world_with_sema(void *reason)
{
    struct p *self = arch_cpu()->m->p;
    spin_lock(&sched.lock);
    (void)reason;                       /* reported by the caller's wait reason */
    trace_stw_begin(reason);
    sched.stopwait = sched.gomaxprocs;
    waiter_cpu = arch_cpu()->id;
    __atomic_store_n(&sched.gcwaiting, 1, __ATOMIC_SEQ_CST);
    if (world_debug < 0)
        world_debug = (int)boot_flags("worlddebug", (const char *const[]){ "noattn", NULL });
    for (int i = 0; i < sched.gomaxprocs && !world_debug; i++)   /* every P's next switch looks (sched.c) */
        __atomic_fetch_or(&ps[i].attn, ATTN_LOOK, __ATOMIC_RELEASE);
    preemptall(self);
    __atomic_store_n(&self->status, P_GCSTOP, __ATOMIC_RELEASE);
    sched.stopwait--;
    while (sched.pidle) {                          /* idle Ps: taken directly */
        struct p *pp = sched.pidle;
        sched.pidle = pp->link;
        __atomic_sub_fetch(&sched.npidle, 1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&pp->status, P_GCSTOP, __ATOMIC_RELEASE);
        sched.stopwait--;
    }
    spin_unlock(&sched.lock);
    wait_for_ps(&sched.stopwait, "stop the world", not_stopped);
    for (int i = 0; i < sched.gomaxprocs; i++)
        if (not_stopped(&ps[i]))
            throw("stop_the_world: P %d is not stopped", i);
}

static void start_the_world_with_sema(void *unused)
{
    (void)unused;
    trace_stw_end();
    struct m *me = arch_cpu()->m;
    spin_lock(&sched.lock);
    __atomic_store_n(&sched.gcwaiting, 0, __ATOMIC_SEQ_CST);
    for (int i = 0; i < sched.gomaxprocs; i++) {
        struct p *pp = &ps[i];
        if (__atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) == P_GCSTOP)
            __atomic_store_n(&pp->status, P_RUNNING, __ATOMIC_RELEASE);
        /* Only an IPI: m->wakeup means "wakep counted you spinning" (sched.c), and a
         * P that was idle when the world stopped comes back running without that. */
        if (pp->m && pp->m != me)
            ipi_send(pp->m->id, IPI_WAKE);
    }
    spin_unlock(&sched.lock);
}

/* On g0 from findrunnable, with the P it saw: that P stops for the world; wait until it
 * restarts. procresize (world stopped) may take the P from this M or kill it meanwhile:
 * only a running P is counted, and the wait ends when m->p changes. */
void gcstopm(struct m *m, struct p *pp)
{
    int waiter = -1;
    spin_lock(&sched.lock);
    /* pp came from m->p when findrunnable last looked. A P that was idle or stopped when
     * its M looked can be moved by procresize (world stopped, without that M) before the
     * M gets here: seen once, an M whose vCPU the host stalled came here with the P that
     * gomaxprocs had given another M, which had since idled it ("gcstopm: P 0 idle ...
     * this is M 0, its P 1"). Not ours any more: look again. */
    if (__atomic_load_n(&m->p, __ATOMIC_ACQUIRE) != pp) {
        spin_unlock(&sched.lock);
        return;
    }
    if (__atomic_load_n(&sched.gcwaiting, __ATOMIC_ACQUIRE) && pp->status == P_RUNNING) {
        __atomic_store_n(&pp->status, P_GCSTOP, __ATOMIC_RELEASE);
        if (__atomic_sub_fetch(&sched.stopwait, 1, __ATOMIC_SEQ_CST) == 0)
            waiter = waiter_take();
        trace_pstop(pp);
    } else if (pp->status == P_IDLE) {
        throw("gcstopm: P %d idle (put on the idle list by M %d; this is M %d, its P %d, P %d's M %d)", pp->id,
              pp->idled_by, m->id, m->p ? m->p->id : -1, pp->id, pp->m ? pp->m->id : -1);
    }
    spin_unlock(&sched.lock);
    if (waiter >= 0)
        ipi_send(waiter, IPI_WAKE);          /* the last P to stop wakes the stopper */
    while (__atomic_load_n(&m->p, __ATOMIC_ACQUIRE) == pp &&
           __atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) == P_GCSTOP) {
        arch_wait_for_interrupt();
        arch_intr_on();
        arch_intr_off();
    }
    trace_pstart(pp);
}

static struct m *stw_m;      /* the stopper's M, non-preemptible while the world is stopped */
static struct g *stw_g;      /* atomic: the stopper's goroutine, while the world is stopped */

int64_t stw_begin_ns;        /* when the current stop began (world lock held); for GC pauses */

void goro_stop_the_world(const char *reason)
{
    worldsema_acquire();
    stw_begin_ns = nanotime();
    /* As Go's preemptoff, and before the stop: a stopper preempted after the world is
     * stopped would park in gcstopm with no one to restart it (found by the spin model). */
    struct m *m = acquirem();
    wait_on_g0(stop_the_world_with_sema, (void *)reason, "stopping the world");
    stw_m = m;
    __atomic_store_n(&stw_g, getg(), __ATOMIC_RELAXED);
}

void goro_start_the_world(void)
{
    /* Only the stopper restarts the world (docs/api/world.md): without a stop there is
     * no M to release and no world lock to give back; from another goroutine it would
     * restart a world someone else is using. */
    struct g *stopper = __atomic_load_n(&stw_g, __ATOMIC_RELAXED);
    if (!stopper)
        throw("goro_start_the_world: the world is not stopped (no goro_stop_the_world before it)");
    if (stopper != getg())
        throw("goro_start_the_world: goroutine %lld did not stop the world (goroutine %lld did)",
              (long long)getg()->id, (long long)stopper->id);
    __atomic_store_n(&stw_g, NULL, __ATOMIC_RELAXED);
    struct m *m = stw_m;
    stw_m = NULL;
    systemstack(start_the_world_with_sema, NULL, NULL);
    worldsema_release();
    releasem(m);
}

/* ---- forEachP ---- */
static bool sp_pending(struct p *pp) { return __atomic_load_n(&pp->safe_point_fn, __ATOMIC_ACQUIRE) != NULL; }

static void safe_point_done(void)
{
    int waiter = -1;
    spin_lock(&sched.lock);
    if (--safe_point_wait == 0)
        waiter = waiter_take();
    spin_unlock(&sched.lock);
    if (waiter >= 0)
        ipi_send(waiter, IPI_WAKE);          /* the last P to run fn wakes the caller */
}

/* A P at a safe point (its scheduler, on g0): run the published fn if it is still ours. */
void run_safe_point_fn(struct p *pp)
{
    void (*fn)(struct p *) = __atomic_load_n(&pp->safe_point_fn, __ATOMIC_ACQUIRE);
    if (!fn || !cas_acq_rel(&pp->safe_point_fn, &fn, NULL, false, __ATOMIC_RELAXED))
        return;
    fn(pp);
    safe_point_done();
}

struct foreachp { void (*fn)(struct p *); };

static void for_each_p_internal(void *arg)
{
    void (*fn)(struct p *) = ((struct foreachp *)arg)->fn;
    trace_foreachp_begin();
    struct p *self = arch_cpu()->m->p;
    spin_lock(&sched.lock);
    safe_point_wait = sched.gomaxprocs - 1;
    waiter_cpu = arch_cpu()->id;
    for (int i = 0; i < sched.gomaxprocs; i++)
        if (&ps[i] != self) {
            __atomic_store_n(&ps[i].safe_point_fn, fn, __ATOMIC_RELEASE);
            __atomic_fetch_or(&ps[i].attn, ATTN_LOOK, __ATOMIC_RELEASE);   /* its next switch looks */
        }
    preemptall(self);
    /* Idle Ps: we run fn for them, holding sched.lock so that none can be taken off the
     * idle list (and start using its P's state) while fn runs for it, as Go does. */
    for (struct p *pp = sched.pidle; pp; pp = pp->link) {
        void (*want)(struct p *) = fn;
        if (cas_acq_rel(&pp->safe_point_fn, &want, NULL, false, __ATOMIC_RELAXED)) {
            fn(pp);
            safe_point_wait--;
        }
    }
    spin_unlock(&sched.lock);
    fn(self);
    wait_for_ps(&safe_point_wait, "forEachP", sp_pending);
    for (int i = 0; i < sched.gomaxprocs; i++)
        if (sp_pending(&ps[i]))
            throw("forEachP: P %d did not run fn", i);
    trace_foreachp_end();
}

static void user_fn(struct p *pp) { safe_point_user(pp->id, safe_point_arg); }

void goro_for_each_p(void (*fn)(int p, void *arg), void *arg)
{
    worldsema_acquire();
    safe_point_user = fn;
    safe_point_arg = arg;
    struct foreachp f = { user_fn };
    wait_on_g0(for_each_p_internal, &f, "for each P");
    worldsema_release();
}

/* ---- gomaxprocs ---- */
/* World stopped: make n Ps. Goroutines pinned to Ps beyond n are unpinned (pin.c); those
 * Ps hand their goroutines to the global queue, their timers and free Gs to the caller's P; every live P is attached to an M, the
 * caller's M keeping one (P 0's if its own goes). */
static void procresize(int n)
{
    struct m *me = arch_cpu()->m;
    int old = sched.gomaxprocs;
    if (n < old)
        pin_resize(n);                             /* unpin what is pinned to Ps n.. */
    for (int i = n; i < old; i++) {
        struct p *pp = &ps[i];
        bool inherit;
        struct g *gp;
        while ((gp = runqget(pp, &inherit)))
            globrunqput(gp);
        /* Dead first: a timer_start that finds it dead under its timer_lock goes to P 0;
         * one that got there before is moved with the rest. */
        __atomic_store_n(&pp->status, P_DEAD, __ATOMIC_RELEASE);
        timers_move(pp, me->p->id < n ? me->p : &ps[0]);
        while (pp->gfree) {
            gp = pp->gfree;
            pp->gfree = gp->schedlink;
            pp->ngfree--;
            spin_lock(&sched.lock);
            gp->schedlink = sched.gfree;
            sched.gfree = gp;
            sched.ngfree++;
            spin_unlock(&sched.lock);
        }
    }
    for (int i = old; i < n; i++) {
        pin_open(&ps[i]);                          /* its inbox takes pushes again */
        __atomic_store_n(&ps[i].status, P_GCSTOP, __ATOMIC_RELEASE);
    }
    if (me->p->id >= n) {                          /* keep a P for the caller */
        struct m *prev = ps[0].m;
        __atomic_store_n(&prev->p, NULL, __ATOMIC_RELEASE);
        ps[0].m = me;
        me->p = &ps[0];
    }
    for (int i = 0; i < ncpu; i++)                 /* Ms of dead Ps lose them */
        if (ms[i].p && ms[i].p->id >= n)
            __atomic_store_n(&ms[i].p, NULL, __ATOMIC_RELEASE);
    for (int i = 0; i < GORO_SMP_MAX; i++)
        if (i >= n || ps[i].m == NULL || ps[i].m->p != &ps[i])
            ps[i].m = NULL;
    for (int i = 0; i < n; i++) {                  /* new or orphaned Ps: a P-less M each */
        if (ps[i].m)
            continue;
        for (int j = 0; j < ncpu; j++)
            if (!ms[j].p) {
                ps[i].m = &ms[j];
                __atomic_store_n(&ms[j].p, &ps[i], __ATOMIC_RELEASE);
                break;
            }
    }
    spin_lock(&sched.lock);
    sched.gomaxprocs = n;
    spin_unlock(&sched.lock);
    for (int i = 0; i < ncpu; i++)                 /* Ms that gained or lost a P look again */
        if (&ms[i] != me)
            ipi_send(i, IPI_WAKE);
}

static void gomaxprocs_m(void *arg)
{
    int n = (int)(intptr_t)arg;
    stop_the_world_with_sema("gomaxprocs");
    procresize(n);
    start_the_world_with_sema(NULL);
}

int goro_gomaxprocs(int n)
{
    int old = __atomic_load_n(&sched.gomaxprocs, __ATOMIC_RELAXED);
    if (n <= 0)
        return old;
    if (n > ncpu)
        n = ncpu;
    worldsema_acquire();
    old = sched.gomaxprocs;
    if (n != old)
        wait_on_g0(gomaxprocs_m, (void *)(intptr_t)n, "stopping the world");
    worldsema_release();
    return old;
}
