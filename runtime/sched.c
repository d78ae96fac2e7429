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
 * Here: running a goroutine (execute), schedule's common case, parking, readying,
 * gosched, systemstack. Finding work when the P's own queue has none (findrunnable,
 * idling, waking Ps, stealing): findrunnable.c.
 *
 * g0 code (everything here on g0) runs with interrupts off, except in the WFI window
 * of m_sleep. Goroutine code runs with interrupts on outside spinlocks. */
#include "runtime.h"
#include "chan.h"          /* park_chan_m releases a channel's lock */
#include "switch.h"

struct sched sched = { .lock = SPINLOCK_INIT("sched") };
struct m ms[GORO_SMP_MAX] GORO_NOSCAN;
struct p ps[GORO_SMP_MAX] GORO_NOSCAN;

struct m *acquirem(void)
{
    bool on = arch_intr_get();
    arch_intr_off();
    struct m *m = getg()->m;
    arch_cpu()->mlocks++;        /* m's core's: m stays on it until releasem */
    if (on)
        arch_intr_on();
    return m;
}

void releasem(struct m *m)
{
    if (--arch_cpu()->mlocks == 0) {
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

/* On g0, gp RUNNING: run it on this M (as execute_bind), the core's timer armed first
 * if it is armed for later than gp's deadline (its slice's end, or the P's first timer
 * if sooner). */
HOT_INLINE __attribute__((noreturn)) void execute_run(struct cpu *c, struct m *m, struct p *pp, struct g *gp,
                                                      bool inherit, uint64_t now)
{
    execute_bind(c, m, pp, gp, inherit, now);
    uint64_t end = slice_end(m);
    uint64_t t0 = (uint64_t)__atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED);
    if (t0 < end)               /* set_slice_timer with what we know (a goroutine, a P) */
        end = t0;
    if (end < m->timer_armed)   /* rarely: after an idle M's sleep, say */
        execute_arm(gp, m, end);
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
    /* casgstatus's fast path, its slow path not returning */
    if (__builtin_expect(!arch_cas32_acquire(&gp->status, G_RUNNABLE, G_RUNNING), 0))
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

/* schedule's slow path: findrunnable, then execute. */
static __attribute__((noinline, noreturn)) void schedule_slow(struct m *m)
{
    bool inherit;
    struct g *gp = findrunnable(m, &inherit);
    execute_here(gp, inherit, arch_time_now());
}

/* schedule's looks (switch.h): attn, then a due timer. */
HOT_INLINE bool schedule_look(struct cpu *c, struct p *pp, uint64_t *now)
{
    return schedule_look_attn(c, pp) && schedule_look_timer(pp, now);
}

/* schedule, inline in the switch paths of this file: schedule_look, then runnext or the
 * ring's head; anything else is findrunnable's. */
HOT_INLINE __attribute__((noreturn)) void schedule_inline(struct cpu *c, struct m *m)
{
    struct p *pp = m->p;
    uint64_t now;
    if (!pp || !schedule_look(c, pp, &now))
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
    if (schedule_look(c, pp, &now)) {
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

/* gopark(rawunlock_park, l, reason) (mutex, waitgroup, cond, once, rwmutex, the world
 * lock, the collector's waits), with the direct switch when the next goroutine is at
 * hand (switch.h's park_direct): l's release is then the switch's store to its word,
 * after the goroutine is WAITING with its registers saved, as a channel's park releases
 * its lock; a waker that takes l and finds the goroutine queued finds it WAITING. l's
 * interrupt-off section (rawlock's push) is popped here without turning interrupts on
 * (they come back on when the goroutine resumes, as after gopark): with it the only
 * one held (noff 1); anything more goes through g0, where schedule throws "holding
 * locks", as before. Untraced: the tracer's block event is park_m's. */
void gopark_rawunlock(uint32_t *l, const char *reason)
{
    struct g *gp = getg();
    if (gp->is_g0)
        throw("gopark: on g0 (%s)", reason);
    if (!__atomic_load_n(l, __ATOMIC_RELAXED))
        throw("rawunlock: lock %p not held", (void *)l);
    struct cpu *c = gp->cpu;     /* interrupts off: l's rawlock */
    bool traced = false;
    TRACE_IF(traced = true);
    if (SWITCH_DIRECT && !traced && c->noff == 1) {
        gp->waitreason = reason;
        struct m *m = c->m;
        c->noff = 0;             /* l's section: the switch's store releases l */
        if (park_direct(c, m, m->p, gp, false, true, false, l) > 0) {
            arch_intr_on();
            return;
        }
        c->noff = 1;             /* back: park_m's rawunlock pops it on g0 */
    }
    gopark(rawunlock_park, l, reason);
}

/* gopark with the direct switch when the next goroutine is at hand, for an unlockf that
 * always returns true and needs interrupts off only (no interrupt-off section held:
 * noff 0): select's commit, which unlocks every channel and arms the timeout, and
 * sleep's, which arms the timer. Those are more than one store, so they can't be the
 * switch's word (gopark_rawunlock's, a channel's park): arch_switch_park_call runs them
 * after gp is WAITING with its registers saved, as park_m does on g0, but on the next
 * goroutine's stack, which this M owns from then on (park_commit_call). What they read
 * of gp's stack they read before their last release, as on g0. Anything else, the
 * tracer on or the queue empty included, goes through g0 (gopark). */
void gopark_commit(bool (*unlockf)(struct g *, void *), void *lock, const char *reason)
{
    arch_intr_off();
    struct g *gp = getg();
    if (gp->is_g0)
        throw("gopark: on g0 (%s)", reason);
    struct cpu *c = gp->cpu;
    bool traced = false;
    TRACE_IF(traced = true);
    if (SWITCH_DIRECT && !traced && c->noff == 0) {
        struct m *m = c->m;
        gp->waitreason = reason;
        m->waitunlockf = unlockf;
        m->waitlock = lock;
        if (park_direct(c, m, m->p, gp, false, false, true, NULL) > 0) {
            arch_intr_on();
            return;
        }
        m->waitunlockf = NULL;
    }
    gopark(unlockf, lock, reason);
}

/* gopark_commit's commit, on the next goroutine's stack (arch_switch_park_call), this
 * core's M running it: gp parked, WAITING. */
void park_commit_call(void *gp)
{
    struct m *m = arch_cpu()->m;
    bool (*unlockf)(struct g *, void *) = m->waitunlockf;
    m->waitunlockf = NULL;
    if (!unlockf(gp, m->waitlock))
        throw("gopark_commit: the commit said not to park");
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

/* chan_park's half on g0 (chan.c): gp WAITING, then the channel's lock released (a waker that
 * dequeues gp's waiter record can't find it running), then the next goroutine. park_m
 * with the channel's unlockf (chan.c's chan_park_commit: unlock, keep interrupts off)
 * in line. */
G0_ENTRY void park_chan_m(void *arg)
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

/* park_chan_m for a chan_park that found pp's queue empty: findrunnable at once
 * (schedule_inline would look again at what chan_park just saw: the cross-core round
 * trip, which parks with nothing else to run, paid 5.9% more on virt-arm for it).
 * Untraced: chan_park tries the direct switch only then. */
G0_ENTRY void park_chan_idle_m(void *arg)
{
    struct g *gp = arg;
    struct m *m = arch_cpu()->m;
    casgstatus(gp, G_RUNNING, G_WAITING);
    dropg(m, gp);
    chan_unlock_intr_off(m->waitlock);
    schedule_slow(m);
}

/* goready's slow path, all of it (tail-called, so that the fast path makes no call
 * that returns and needs no frame): gp's status is to change (cas: it already has),
 * gp is pinned (to its P, pin.c: no wakep, as no other P may run it), or there is no
 * P (the global queue). Interrupts off by flags, which it restores. */
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

/* goready's put, gp RUNNABLE and not pinned, pp this P: runnext, the previous runnext to
 * the ring's tail (runqput's, with its full case out of line), flags back, wakep's look
 * (its slow path a tail call: the fence orders the put before the look). The put needs
 * no release of its own: whoever runs gp (this P's switch, a thief) first moves its
 * status from RUNNABLE by an acquire CAS, which reads our release CAS to RUNNABLE, so
 * it sees all we wrote before that; nothing gp needs is written between the two (one
 * barrier a handoff on ARM). With the tracer on, its unblock event is written in
 * between, to this core's own buffer, which no taker of gp reads. */
HOT_INLINE bool goready_put(struct p *pp, struct g *gp, unsigned long flags)
{
    struct g *old = arch_xchg_owned_ptr_relaxed((void **)&pp->runnext, gp);
    if (old) {
        uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
        uint32_t t = pp->runq_tail;
        if (__builtin_expect(t - h >= RUNQ_SIZE, 0))
            return goready_full(pp, old, flags);
        pp->runq[t % RUNQ_SIZE] = old;
        store_release32(&pp->runq_tail, t + 1);
    }
    arch_intr_restore(flags);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&sched.npidle, __ATOMIC_RELAXED) != 0)
        return goready_wakep();
    return true;
}

/* goready_put out of line: trace.c's trace_unblock_put ends in it (a tail call). */
__attribute__((optimize("omit-frame-pointer"))) bool goready_put_call(struct g *gp, unsigned long flags, struct p *pp)
{
    return goready_put(pp, gp, flags);
}

/* goready for a caller that has turned interrupts off itself (flags: the state before,
 * which this restores): a channel's wake, right after its unlock (chan.h chan_wake).
 * Returns true, always: a receive that readied its sender returns that, and so ends in
 * a tail call here and needs no frame of its own (8 instructions a receive on RISC-V).
 * For the same reason the slow paths are tail calls, wakep's included. No frame record
 * either (5 instructions on RISC-V): a backtrace from a trap in here shows the caller's
 * caller above it. */
HOT_INLINE bool goready_restore_as(struct g *gp, unsigned long flags, bool p_held)
{
    if (__builtin_expect(!arch_cas32_acq_rel(&gp->status, G_WAITING, G_RUNNABLE), 0))
        return goready_slow(gp, flags, false);
    struct p *pp = arch_cpu()->m->p;
    if (__builtin_expect((!p_held && !pp) || gp->pin, 0))
        return goready_slow(gp, flags, true);
    /* With the tracer on: the unblock, then the same put (trace_unblock_put, a tail
     * call as goready_slow, after the looks both paths share: through a function of
     * its own that made them again, a traced round trip paid 24 instructions more on
     * virt-arm; through goready_slow, at 2.2 times the put's cost, 40 on riscv64). */
    TRACE_IF(return trace_unblock_put(gp, flags, pp));
    return goready_put(pp, gp, flags);
}

__attribute__((optimize("omit-frame-pointer"))) bool goready_restore(struct g *gp, unsigned long flags)
{
    return goready_restore_as(gp, flags, false);
}

/* goready_restore for a caller whose M holds a P: a goroutine, or a timer's f (a P's
 * timers fire only on its M while it runs). A channel's wake (chan_wake_restore): no
 * look for a missing P (2 instructions a handoff on virt-arm). */
__attribute__((optimize("omit-frame-pointer"))) bool goready_restore_p(struct g *gp, unsigned long flags)
{
    return goready_restore_as(gp, flags, true);
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
    if (!schedule_look(c, pp, &now))
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

/* goro_gosched's direct switch: gp to the ring's tail t, unpublished (a slot past the
 * tail, which arch_switch_yield moves with release once gp's registers are saved), next
 * runs. */
HOT_INLINE bool gosched_direct(struct cpu *c, struct m *m, struct p *pp, struct g *gp, struct g *next, bool inherit,
                               uint64_t now, uint32_t t)
{
    *runq_slot(pp, t) = gp;
    return switch_direct(c, m, pp, gp, next, inherit, now, false, false, false, G_RUNNABLE, &pp->runq_tail, t + 1);
}

/* Yield: the caller to the tail of its P's ring, the next goroutine runs (runnext, else
 * the ring's head: switch_direct when one is there; gosched_m on g0 otherwise). It
 * keeps its frame record (3 instructions on RISC-V): a parked goroutine's backtrace
 * (tools/gdb, by frame pointers from its context) would skip its caller without it. */
void goro_gosched(void)
{
    struct g *gp = getg();
    if (gp->is_g0)
        return;
    arch_intr_off();
    gp->preempt = false;
    struct cpu *c = gp->cpu;
    struct m *m = c->m;
    struct p *pp = m->p;                  /* a goroutine runs: there is a P */
    bool traced = false;
    TRACE_IF(traced = true);
    if (SWITCH_DIRECT && __builtin_expect(!traced, 1) && schedule_look_attn(c, pp)) {
        stack_check_m(m, gp);
        struct g *next;          /* two calls, so that each folds its slice (inherit) */
        uint64_t now;
        if (!__atomic_load_n(&pp->runnext, __ATOMIC_RELAXED)) {
            uint32_t t;
            if (runqget_ring_tail(pp, &next, &t)) {  /* its take leaves room for gp */
                if (__builtin_expect(schedule_look_timer(pp, &now), 1) &&
                    __builtin_expect(gosched_direct(c, m, pp, gp, next, false, now, t), 1)) {
                    arch_intr_on();
                    return;
                }
                runqput_back(pp, next);
            }
        } else if (pp->runq_tail - __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE) < RUNQ_SIZE &&
                   (next = runqget_next(pp))) {        /* room for gp; full: gosched_m spills */
            if (__builtin_expect(schedule_look_timer(pp, &now), 1) &&
                __builtin_expect(gosched_direct(c, m, pp, gp, next, true, 0, pp->runq_tail), 1)) {
                arch_intr_on();
                return;
            }
            runqput_back(pp, next);
        }
    }
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
