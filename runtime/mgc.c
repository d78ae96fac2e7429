/* The garbage collector's cycle: concurrent mark with a hybrid write barrier, a ragged
 * barrier through forEachP, stop-the-world mark termination, concurrent sweep; and the
 * pacer that decides when a cycle starts and what allocation during it costs (pacer.c).
 *
 * One cycle, run by the GC goroutine (a system goroutine, not counted by
 * goro_numgoroutine), as docs/design/collector.md lists it:
 *   1. Sweep termination, world stopped: finish the last sweep, turn the write barrier
 *      on (gcphase = MARK), forget which stacks were scanned, start the pacer's count.
 *   2. Concurrent mark: globals and channel buffers, then every goroutine's stack via
 *      suspend_g (mark.c), then the grey objects. Allocation is black. Allocating
 *      goroutines pay for what they allocate in scan work (assists, below).
 *   3. Ragged barrier: goro_for_each_p flushes each P's work buffer at a safe point of
 *      that P; drain; repeat until a round brings nothing new.
 *   4. Mark termination, world stopped: flush and drain everything, rescan globals and
 *      channel buffers, scan any stack still unscanned, (GCCHECK=1: checkmark), turn the
 *      barrier off, return cached spans, advance the sweep generation, set the next
 *      goal and trigger.
 *   5. Concurrent sweep (sweep.c): the allocators in proportion to what they allocate
 *      (all that is left once the next trigger is passed), lazily any allocator that
 *      needs a span, and the GC goroutine only while its core is otherwise idle (all of
 *      it when goro_gc waits); then it parks, so the next trigger finds it parked.
 *
 * Pacing: the heap should stay at its goal, max(4 MiB, reachable * (1 + GORO_GOGC/100)),
 * however fast the mutators allocate. Marking takes time, and the mutators allocate
 * meanwhile, so (Go's pacer, mgcpacer.go, simplified):
 *   1. The goal grows from the bytes the mark reached, not all it marked: objects
 *      allocated during mark are black whether reachable or not, and counting them
 *      would raise the goal by the very allocation it is meant to bound.
 *   2. The cycle starts at a trigger before the goal. The runway (goal - trigger) is
 *      what the mutators allocated from the last trigger to the end of that mark, scaled
 *      by all the work over the GC goroutine's share of it: the allocation the next
 *      cycle would see if its background worker did everything. It is clamped to
 *      between 5% and 50% of goal - marked. The trigger compares the "paced heap",
 *      marked + allocated since, not heap_alloc, so unswept garbage doesn't fire it.
 *   3. During mark every P owes scan work for the bytes allocated on it, at a ratio
 *      recomputed at each payment: expected work left (the last cycle's words scanned)
 *      over heap left to the goal (past it, to 1.1 x the goal). A P pays once it owes
 *      4 KiB: first from the GC goroutine's credit (each chunk it scans is credited),
 *      then by scanning itself; with neither credit nor grey objects it parks until the
 *      GC goroutine credits more or mark ends. Allocation during mark is thereby at most
 *      (work done) / ratio: the distance to the goal.
 *   4. An allocator that reaches the goal before the cycle's mark has started (its
 *      goroutine not yet scheduled, the last sweep not finished) parks until it starts.
 *      The allocator that fires the trigger finishes the last sweep, readies the parked
 *      GC goroutine onto its own P and yields to it, so the cycle starts at once: no
 *      other core has to be scheduled first (under QEMU's round robin, icount, that
 *      took 1-7 ms while the GC goroutine swept on another core).
 *   5. The GC goroutine is the dedicated worker: 25% of the CPU with 4 Ps. With fewer,
 *      it yields whenever it used more than 25% of the Ps' time since mark began and
 *      someone else wants its core (Go's fractional worker); assists do the rest.
 *   6. Markers balance: a P that holds grey objects while the global stack is empty
 *      moves the oldest half there, so assists find work (a chain of objects otherwise
 *      stays on one P, and assists would park instead of scanning). Debtors parked
 *      for credit are readied onto the global queue with idle Ps woken for them (Go's
 *      injectglist), not onto the GC goroutine's P, where they would share one core.
 *   7. After mark termination every allocation sweeps spans in proportion to its bytes,
 *      so the sweep ends before the paced heap is half way to the trigger and
 *      heap_alloc falls to the live heap early.
 * Measured (make bench TEST=gc_pacer, MTTCG, SMP 1 2 4): heap_alloc peaks at 1.10-1.16 x
 * the goal on riscv64 and virt-arm, from 2-22 x with the old pacing. The price shows in
 * gc_pacer_mutator_share: with every core allocating as fast as it can, one cycle's
 * fixed costs (stopping the world twice, suspending each goroutine, the ragged barrier)
 * outlast the time the mutators need to allocate the whole runway, so at SMP 2 and 4 they
 * spend much of mark parked, and the goal is held by their waiting (share 0.63 / 0.24 /
 * 0.12 at SMP 1 / 2 / 4 under icount on riscv64, peak 1.00 / 1.01 / 1.12 x; 0.25 / 0.12
 * / 0.06 before steps 4, 6 and 7's second pass; why, and the bound this benchmark puts
 * on it, in docs/design/pacer.md).
 * Rejected: (a) the old scheme, a trigger at the goal with fixed assists (every 64th
 * allocation scanned 32 objects): the heap grew 16-28 x past the goal, as assists had
 * nothing to do with the debt. (b) Go's full controller (a PI-tuned consMark, idle
 * workers, a GC CPU limiter): more state than a board runtime needs when a hard wait
 * at the goal bounds the heap anyway; the measured runway only decides how much of
 * the cost falls on assists. (c) Per-goroutine debt, as Go: it needs a field in every
 * g; per-P debt charges the same allocations, since one P runs one goroutine at a time.
 * (d) Extra dedicated workers beyond the GC goroutine: up to 4 Ps one worker is Go's
 * 25%; at 8 Ps (the virt boards allow it) Go would run two, here assists make up the
 * difference (not measured at 8). gcpacer=off on the command line
 * restores (a), for the negative control tests/gc_pacer_goal_off.c.
 *
 * Write barrier (goro_store, the hybrid barrier of Go's proposal 17503): during mark,
 * shade the pointer being overwritten, and the new pointer while the writer's stack is
 * grey (gcscandone false; g0 counts as grey: its stack is never scanned). A black
 * stack can only have got a white pointer by loading it from the heap, where the
 * deletion half protects it, or from an allocation, which is black. Go's runtime shades
 * both unconditionally; an earlier goro did too, because the conditional form lost
 * torture-test nodes, a loss not seen again since the allocator's publication bug was
 * fixed (an object that existed only as a span index across a preemption), in
 * world_torture, gc_concurrent_trees and the GCCHECK tests. tests/gc_barrier_insert.c
 * checks the grey-stack case and fails without the insertion half. The fast path (a
 * load of gcphase, one branch, the store) sits in the section .text.goro_store, which
 * is never an async safe point (rt_trap_exit), so a goroutine can't be stopped between
 * seeing "off" and storing while the world turns the barrier on. The slow path stores
 * non-preemptibly, so the writer's stack can't be scanned between the test of
 * gcscandone and the store.
 *
 * gc_lock guards the request/done counters and waiters. */
#include "heap.h"
#include "runq.h"

uint32_t gcphase;
uint64_t heap_marked;
uint64_t gc_stacks_scanned;
static uint64_t heap_live;
static uint64_t num_gc, pause_total, pause_max;
uint64_t gc_last_mark_ns, gc_last_pause_max;  /* the last cycle's, for benchmarks */
static uint64_t cycle_pause_max;

static uint32_t gc_lock;                 /* rawlock */
static uint64_t gc_requested, gc_done;   /* cycles asked for / finished (gc_lock) */
static bool gc_running;                  /* gc_lock */
static struct g *gc_g;                   /* the GC goroutine, parked when idle (gc_lock) */
static bool gc_parked;
static struct g *gc_waiters;             /* goroutines in goro_gc (gc_lock) */
static uint32_t gc_g_made;               /* atomic */

/* ---- the write barrier ---- */
/* Non-preemptible: the shades and the store happen in one mark phase. */
static __attribute__((noinline)) void write_barrier(void **slot, void *ptr)
{
    struct m *m = acquirem();
    if (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) != GC_OFF) {
        shade((uintptr_t)*slot);
        struct g *gp = getg();
        if (gp->is_g0 || !gp->gcscandone)
            shade((uintptr_t)ptr);
    }
    *slot = ptr;
    releasem(m);
}

__attribute__((section(".text.goro_store"), noinline)) void goro_store(void *slot, void *ptr)
{
    if (__builtin_expect(__atomic_load_n(&gcphase, __ATOMIC_RELAXED) != GC_OFF, 0)) {
        write_barrier(slot, ptr);
        return;
    }
    *(void **)slot = ptr;
}

/* ---- stop-the-world phases ---- */

/* A pause: from the stop request (world lock held) to the world running again. */
static void pause_end(int64_t t0)
{
    uint64_t d = (uint64_t)(nanotime() - t0);
    pause_total += d;
    if (d > pause_max)
        pause_max = d;
    if (d > cycle_pause_max)
        cycle_pause_max = d;
}

static void sweep_termination(void)
{
    goro_stop_the_world("GC sweep termination");
    int64_t t0 = stw_begin_ns;
    while (sweepone())
        ;
    spin_lock(&allg_lock);
    for (struct g *gp = allgs; gp; gp = gp->alllink)
        gp->gcscandone = false;
    spin_unlock(&allg_lock);
    __atomic_store_n(&heap_marked, 0, __ATOMIC_RELAXED);
    pacer_mark_start();
    __atomic_store_n(&gcphase, GC_MARK, __ATOMIC_SEQ_CST);
    goro_start_the_world();
    pause_end(t0);
}

static void flush_p(int p, void *arg)
{
    (void)arg;
    gcwork_flush(&ps[p]);
}

static void mark_termination(void)
{
    goro_stop_the_world("GC mark termination");
    int64_t t0 = stw_begin_ns;
    __atomic_store_n(&gcphase, GC_MARKTERM, __ATOMIC_SEQ_CST);
    for (int i = 0; i < sched.gomaxprocs; i++)
        gcwork_flush(&ps[i]);
    mark_roots();
    spin_lock(&allg_lock);
    struct g *first = allgs;
    spin_unlock(&allg_lock);
    for (struct g *gp = first; gp; gp = gp->alllink) {
        uint32_t s = readgstatus(gp);
        if (s == G_PREEMPTED)          /* only a suspend_g in progress may leave one */
            throw("mark termination: goroutine %lld left preempted (scanned %d)", (long long)gp->id,
                  gp->gcscandone);
        if (!gp->gcscandone && s != G_DEAD && gp != getg())
            scan_stack_of(gp);         /* the world is stopped: no one runs it */
    }
    mark_drain(-1);
    if (GORO_GCCHECK)
        checkmark();
    __atomic_store_n(&gcphase, GC_OFF, __ATOMIC_SEQ_CST);
    for (int i = 0; i < GORO_SMP_MAX; i++)      /* Ps beyond gomaxprocs keep caches too */
        mcache_flush(&ps[i]);
    heap_live = __atomic_load_n(&heap_marked, __ATOMIC_RELAXED);
    __atomic_add_fetch(&sweepgen, 2, __ATOMIC_SEQ_CST);
    sweep_start();
    pacer_mark_done(heap_live);
    goro_start_the_world();
    pause_end(t0);
}

/* The background sweep: one span at a time, non-preemptibly. A sweeper preempted
 * while it owns a span (sweepgen - 1) would leave an allocator on its core spinning,
 * interrupts off, for a span only the preempted sweeper can finish (a hang at SMP=1). */
static bool bgsweepone(void)
{
    struct m *m = acquirem();
    bool more = sweepone();
    releasem(m);
    return more;
}

/* Nothing else wants this core, and no next cycle is asked for (gc_lock held). */
static bool gc_may_sweep(void)
{
    struct m *m = acquirem();
    bool idle = runqempty(m->p) && !__atomic_load_n(&sched.runq_size, __ATOMIC_RELAXED);
    releasem(m);
    return idle && gc_requested <= gc_done + 1;
}

/* After mark termination. For goro_gc's waiters (and the old pacing) the whole sweep;
 * otherwise only while the core has nothing else to run and no cycle is due (Go's
 * bgsweep, which yields whenever others are busy), the rest being the allocators'
 * (pacer.c's proportional sweep, the lazy sweep in refill, the next sweep termination).
 * So the GC goroutine is parked, not sweeping on another core, when the next trigger
 * readies it onto the triggering allocator's P: the mark starts at once. */
static void bgsweep(void)
{
    rawlock(&gc_lock);
    bool all = gc_waiters || pacer_off;
    rawunlock(&gc_lock);
    for (;;) {
        if (!all) {
            rawlock(&gc_lock);
            bool go = gc_may_sweep();
            rawunlock(&gc_lock);
            if (!go)
                return;
        }
        if (!bgsweepone())
            return;
    }
}

static void gc_cycle(void)
{
    cycle_pause_max = 0;
    trace_gc_phase(TR_GC_SWEEPTERM);
    sweep_termination();
    pacer_assist_wake();                    /* allocators that waited at the goal */
    int64_t t0 = nanotime();
    trace_gc_phase(TR_GC_MARK);
    pacer_bg_start();
    mark_roots();
    mark_stacks();
    pacer_bg_drain();
    do {
        goro_for_each_p(flush_p, NULL);     /* ragged barrier */
        pacer_bg_drain();
    } while (mark_work_left());
    gc_last_mark_ns = (uint64_t)(nanotime() - t0);
    trace_gc_phase(TR_GC_MARKTERM);
    mark_termination();
    pacer_assist_wake();                    /* debtors parked in this mark */
    gc_last_pause_max = cycle_pause_max;
    trace_gc_phase(TR_GC_SWEEP);
    bgsweep();
    trace_gc_phase(TR_GC_OFF);
    num_gc++;
}

/* ---- the GC goroutine and its requests ---- */

/* Release gc_lock and ready the goroutines waiting for a cycle (gc_lock held). */
static void gc_release_waiters(void)
{
    struct g *w = gc_waiters;
    gc_waiters = NULL;
    rawunlock(&gc_lock);
    for (; w; ) {
        struct g *next = w->waitlink;
        goready(w);
        w = next;
    }
}

/* gopark's unlockf for the GC goroutine going idle: the waiters are readied only once
 * it is WAITING, so a goroutine that goro_gc() returns to finds the collector idle
 * (goro_ps shows it "GC idle", not still running its loop on another core). */
static bool gc_idle_unlock(struct g *gp, void *arg)
{
    (void)gp;
    (void)arg;
    gc_release_waiters();
    return true;
}

static void gc_main(void *arg)
{
    (void)arg;
    rawlock(&gc_lock);
    for (;;) {
        if (gc_done >= gc_requested) {
            gc_parked = true;
            gopark(gc_idle_unlock, NULL, "GC idle");
            rawlock(&gc_lock);
            continue;
        }
        gc_running = true;
        rawunlock(&gc_lock);
        gc_cycle();
        rawlock(&gc_lock);
        gc_done++;
        gc_running = false;
        if (gc_done < gc_requested) {          /* another cycle is due: wake them now */
            gc_release_waiters();
            rawlock(&gc_lock);
        }
    }
}

/* Ask for a cycle that starts after now; wait for it if wait. */
static void gc_request(bool wait)
{
    uint32_t zero = 0;
    if (cas_acq_rel(&gc_g_made, &zero, 1, false, __ATOMIC_RELAXED)) {
        struct g *gp = newproc_system(gc_main, NULL);
        if (!gp)
            throw("gc: no memory for the GC goroutine");
        rawlock(&gc_lock);
        gc_g = gp;
        rawunlock(&gc_lock);
    }
    rawlock(&gc_lock);
    uint64_t want = gc_done + (gc_running ? 2 : 1);
    if (gc_requested < want)
        gc_requested = want;
    struct g *wake = NULL;
    if (gc_parked && gc_g) {
        gc_parked = false;
        wake = gc_g;
    }
    rawunlock(&gc_lock);
    if (wake)
        goready(wake);
    if (!wait)
        return;
    /* Queue ourselves only now, after the GC goroutine is readied: a waiter on the list
     * may be readied by it at any moment, so it must already be parking. */
    rawlock(&gc_lock);
    while (gc_done < want) {
        struct g *me = getg();
        me->waitlink = gc_waiters;
        gc_waiters = me;
        gopark_rawunlock(&gc_lock, "GC wait");
        rawlock(&gc_lock);
    }
    rawunlock(&gc_lock);
}

void goro_gc(void) { gc_request(true); }

/* After an allocation: start a cycle when the heap reached its goal. */
void gc_trigger_check(void)
{
    if (!pacer_should_trigger() || __atomic_load_n(&gcphase, __ATOMIC_RELAXED) != GC_OFF)
        return;
    /* A cycle still sweeping counts as done: the next one is due (it waits for the
     * sweep to end); one already asked for is enough. */
    if (gc_requested > gc_done + (__atomic_load_n(&gc_running, __ATOMIC_RELAXED) ? 1 : 0))
        return;
    pacer_triggered();
    gc_request(false);
    if (!getg()->cpu->mlocks && !pacer_off)
        goro_gosched();      /* let the GC goroutine start now, not at our slice's end */
}

void goro_gc_stats(goro_gcstats *out)
{
    out->num_gc = num_gc;
    out->heap_live = heap_live;
    out->heap_alloc = __atomic_load_n(&heap_alloc, __ATOMIC_RELAXED);
    out->heap_sys = heap_sys;
    out->pause_total_ns = pause_total;
    out->pause_max_ns = pause_max;
    out->stacks_scanned = __atomic_load_n(&gc_stacks_scanned, __ATOMIC_RELAXED);
}
