/* The pacer: when a cycle starts, what allocation during mark costs, and how fast the
 * sweep goes, so that the heap stays at its goal (the essay is in mgc.c; the protocol
 * in brief follows).
 *
 * Heap sizes. heap_alloc (heap.c) counts every allocated object, garbage not yet
 * swept included. The pacer counts instead the "paced heap": the bytes the last mark
 * found live plus everything allocated since (Go's heapLive), total_alloc() being
 * heap_alloc + heap_freed, so unswept garbage doesn't start the next cycle.
 *
 * Cycle k's numbers, set at mark termination with the world stopped (pacer_mark_done):
 *   goal    = max(4 MiB, reached * (1 + GOGC/100), marked * 9/8), reached being the
 *             marked bytes less those allocated (black) during the mark
 *   trigger = goal - runway, the runway being what the mutators allocated from the last
 *             trigger to mark termination, times all the work over the GC goroutine's
 *             part of it; clamped to [5%, 50%] of goal - marked
 *   work    = the words the last cycle scanned (the expected scan work)
 * During mark, each P owes scan work for the bytes allocated on it: assist_ratio words
 * per byte = remaining work / (goal - paced heap), recomputed at every payment. Work
 * the GC goroutine does goes into bg_credit, which debtors steal before scanning
 * themselves; a debtor that finds neither credit nor grey objects parks on assist_q
 * until credit arrives or mark ends, and is then readied onto the global queue with an
 * idle P woken for it (ready_all), not onto the GC goroutine's busy P. The total allocated during mark is then at most
 * (work done) / ratio, which is the distance left to the goal. Outside mark, an
 * allocator at the goal parks on assist_q until the next mark starts; an allocator that
 * finds the trigger passed finishes the last sweep first (Go's gcStart does), so the
 * cycle it asks for can start at once.
 *
 * Locks: assist_lock (a rawlock: interrupts off) guards assist_q; it is a leaf. Every
 * other field is atomic or written only with the world stopped. */
#include <string.h>
#include "heap.h"

#ifndef GORO_GOGC
#define GORO_GOGC 100
#endif
#define MIN_GOAL          (4ULL << 20)
#define MIN_RUNWAY_FRAC   50        /* % of goal - marked: the earliest trigger */
#define MAX_RUNWAY_FRAC   5         /* % of goal - marked: the latest trigger */
#define ASSIST_BYTES      4096      /* debt a P may carry before it pays */
#define ASSIST_MIN_WORDS  512       /* an assist scans at least this much (fewer, longer assists) */
#define BG_CHUNK_WORDS    2048      /* background work between credit flushes */
#define HARD_GOAL_PCT     110       /* past the goal, assists pace to 1.1 x goal */

bool pacer_off;                     /* gcpacer=off: trigger at the goal, fixed assists (the old pacing) */
static bool pacer_stop;             /* gcpacer=stop: every allocation during mark waits for its end */

static uint64_t goal = MIN_GOAL, trigger = MIN_GOAL * 7 / 8;   /* world stopped for writes */
static uint64_t live_basis, alloc_basis;    /* marked at the last mark termination; total_alloc() then */
static uint64_t work_expected;              /* scan words the next mark should need */
static uint64_t last_work;                  /* words the last cycle scanned (0: none yet) */

/* This cycle's measurements (from pacer_mark_start). */
static uint64_t trigger_alloc;              /* total_alloc() when the cycle was asked for */
static uint64_t mark_words0;                /* words_scanned() at mark start */
static uint64_t mark_alloc0;                /* total_alloc() at mark start */
static uint64_t assist_words;               /* atomic: work done by assists this cycle */
static int64_t bg_credit;                   /* atomic: background work not yet stolen */
static int64_t assist_debt[GORO_SMP_MAX];   /* atomic, bytes: > 0 owed, < 0 credit */
static int64_t mark_t0, bg_busy;            /* GC goroutine only: the utilization clock */

static uint32_t assist_lock;                /* rawlock */
static struct g *assist_q;                  /* assist_lock: debtors with nothing to scan,
                                               allocators waiting for mark to start */
static uint32_t assist_nq;                  /* atomic hint: assist_q isn't empty */

/* Sweep pacing, set at mark termination. */
static uint64_t sweep_alloc0, sweep_bytes_per_span;

uint64_t total_alloc(void)
{
    return __atomic_load_n(&heap_alloc, __ATOMIC_RELAXED) + __atomic_load_n(&heap_freed, __ATOMIC_RELAXED);
}

static uint64_t paced_heap(void) { return live_basis + (total_alloc() - alloc_basis); }

/* Once, before the first allocation: the gcpacer= knob of the command line (on; off:
 * the old pacing; stop: allocations during mark wait for its end, a negative control). */
void pacer_init(void)
{
    int k = boot_choice("gcpacer", (const char *const[]){ "on", "off", "stop", NULL }, 0);
    pacer_off = k == 1;
    pacer_stop = k == 2;
    if (pacer_off)
        trigger = goal;
}

bool pacer_should_trigger(void)
{
    return (pacer_off ? __atomic_load_n(&heap_alloc, __ATOMIC_RELAXED) : paced_heap()) >= trigger;
}

/* The trigger fired: the runway is measured from here (Go starts the cycle in the
 * allocating goroutine; here the GC goroutine must first be scheduled). */
void pacer_triggered(void)
{
    uint64_t zero = 0, now = total_alloc();
    __atomic_compare_exchange_n(&trigger_alloc, &zero, now, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* ---- mark start and mark termination ---- */

/* World stopped (sweep termination), just before marking. */
void pacer_mark_start(void)
{
    mark_words0 = words_scanned();
    mark_alloc0 = total_alloc();
    if (!trigger_alloc)                 /* goro_gc, not the trigger: count from here */
        trigger_alloc = total_alloc();
    __atomic_store_n(&assist_words, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&bg_credit, 0, __ATOMIC_RELAXED);
    for (int i = 0; i < GORO_SMP_MAX; i++)
        __atomic_store_n(&assist_debt[i], 0, __ATOMIC_RELAXED);
    /* First cycle: no history; assume every word of the heap may need scanning. */
    work_expected = last_work ? last_work : paced_heap() / sizeof(uintptr_t) + 1;
}

/* World stopped, mark termination, marked = bytes marked this cycle. The new goal and
 * trigger, from this cycle's allocation per unit of background work. */
void pacer_mark_done(uint64_t marked)
{
    uint64_t work = words_scanned() - mark_words0;
    uint64_t alloc = total_alloc() - trigger_alloc;
    uint64_t aw = __atomic_load_n(&assist_words, __ATOMIC_RELAXED), bg = work > aw ? work - aw : 0;
    trigger_alloc = 0;
    last_work = work ? work : 1;
    /* Objects allocated during mark are marked (black) whether reachable or not: the
     * goal grows from the reachable bytes only, or floating garbage would raise it. */
    uint64_t black = total_alloc() - mark_alloc0;
    uint64_t reached = marked > black ? marked - black : 0;
    if (pacer_off)                      /* the old pacing counted them */
        reached = marked;
    goal = reached + reached * GORO_GOGC / 100;
    if (goal < marked + marked / 8)     /* room to allocate at all */
        goal = marked + marked / 8;
    if (goal < MIN_GOAL)
        goal = MIN_GOAL;
    live_basis = marked;
    alloc_basis = total_alloc();
    uint64_t dist = goal - marked;
    /* From the trigger to now the mutators allocated alloc while the GC goroutine did
     * bg of the work: had it done all of it, they would have allocated alloc * work / bg
     * (an overestimate: assists slowed them). That is the runway the next cycle needs. */
    uint64_t runway = dist;
    if (bg && alloc < (1ULL << 40) && work < (1ULL << 23))
        runway = alloc * work / bg;
    uint64_t lo = dist * MAX_RUNWAY_FRAC / 100, hi = dist * MIN_RUNWAY_FRAC / 100;
    if (runway < lo)
        runway = lo;
    if (runway > hi)
        runway = hi;
    trigger = pacer_off ? goal : goal - runway;
    /* Sweep every span before the paced heap has grown half way to the trigger. */
    uint64_t sweep_runway = (trigger - marked) / 2 + 1;
    sweep_alloc0 = alloc_basis;
    sweep_bytes_per_span = nallspans ? sweep_runway / nallspans + 1 : sweep_runway;
}

/* ---- the background worker ---- */

/* Target share of one core for the GC goroutine: 25% of the Ps, at most one whole P. */
static int64_t bg_over_target(int64_t now)
{
    int np = sched.gomaxprocs;
    return np >= 4 ? 0 : bg_busy * 4 - (now - mark_t0) * np;   /* > 0: over 25% */
}

void pacer_bg_start(void)
{
    mark_t0 = nanotime();
    bg_busy = 0;
}

/* The GC goroutine's drain, until no grey object is left: chunks of work credited to
 * bg_credit (waking parked assists), and yields when it used more than its 25% while
 * others want the core (a yield that comes straight back means nobody did). */
void pacer_bg_drain(void)
{
    int64_t quiet_until = 0;
    for (;;) {
        int64_t t0 = nanotime();
        if (!pacer_off && t0 >= quiet_until && bg_over_target(t0) > 0) {
            goro_gosched();
            if (nanotime() - t0 > 50000)     /* someone else ran: check again */
                continue;
            quiet_until = t0 + 1000000;     /* nobody did: don't ask again for 1 ms */
        }
        int64_t t1 = nanotime();
        uint64_t w = mark_drain_words(BG_CHUNK_WORDS);
        bg_busy += nanotime() - t1;
        if (!pacer_off)
            __atomic_add_fetch(&bg_credit, (int64_t)w, __ATOMIC_RELAXED);
        if (__atomic_load_n(&assist_nq, __ATOMIC_RELAXED))
            pacer_assist_wake();
        if (!w)
            return;
    }
}

/* ---- assists ---- */

/* Scan words owed per byte allocated, << 16, from the work and heap left this cycle. */
static uint64_t assist_ratio(void)
{
    uint64_t done = words_scanned() - mark_words0;
    uint64_t left = work_expected > done ? work_expected - done : 0;
    if (left < work_expected / 16)       /* more work than expected: keep paying */
        left = work_expected / 16 + 1;
    uint64_t h = paced_heap(), g = goal;
    if (h + ASSIST_BYTES >= g)           /* past the goal: pace to the hard goal */
        g = goal * HARD_GOAL_PCT / 100;
    uint64_t room = g > h + ASSIST_BYTES ? g - h : ASSIST_BYTES;
    return (left << 16) / room + 1;
}

/* Ready the parked goroutines of list (linked by waitlink) onto the global queue and
 * wake as many idle Ps for them (Go's injectglist): the waker, the GC goroutine, keeps
 * its own P marking, so readied there (goready) they would all wait behind it or for
 * thieves one at a time. Pinned ones go to their P as in goready. */
static void ready_all(struct g *list)
{
    int n = 0;
    while (list) {
        struct g *gp = list, *next = gp->waitlink;
        list = next;
        if (gp->pin) {
            goready(gp);
            continue;
        }
        intr_push();
        casgstatus(gp, G_WAITING, G_RUNNABLE);
        gp = trace_gounblock(gp);
        globrunqput(gp);
        intr_pop();
        n++;
    }
    if (!n)
        return;
    spin_lock(&sched.lock);
    for (struct p *pp = sched.pidle, *next; pp && n > 0; pp = next, n--) {
        next = pp->link;
        pidlewake(pp, true);
    }
    spin_unlock(&sched.lock);
    wakep();                             /* none idle now: a spinning M may still look */
}

/* Wake every parked debtor (credit arrived, or mark is over). */
void pacer_assist_wake(void)
{
    rawlock(&assist_lock);
    struct g *w = assist_q;
    assist_q = NULL;
    __atomic_store_n(&assist_nq, 0, __ATOMIC_RELAXED);
    rawunlock(&assist_lock);
    ready_all(w);
}

/* Park until credit arrives or mark ends; false if mark is already over. */
static bool assist_park(void)
{
    rawlock(&assist_lock);
    if (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) != GC_MARK) {
        rawunlock(&assist_lock);
        return false;
    }
    struct g *me = getg();
    me->waitlink = assist_q;
    assist_q = me;
    __atomic_store_n(&assist_nq, 1, __ATOMIC_RELAXED);
    gopark_rawunlock(&assist_lock, "GC assist wait");
    return true;
}

/* Take up to want words of background credit; returns what was taken. */
static int64_t steal_credit(int64_t want)
{
    int64_t c = __atomic_load_n(&bg_credit, __ATOMIC_RELAXED);
    for (;;) {
        if (c <= 0)
            return 0;
        int64_t take = c < want ? c : want;
        if (__atomic_compare_exchange_n(&bg_credit, &c, c - take, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            return take;
    }
}

/* During mark, the allocation of n bytes on this P: pay the P's debt in scan work. */
static void assist_alloc(size_t n)
{
    struct g *gp = getg();
    if (gp->system || gp->cpu->mlocks)      /* the collector itself, or can't park */
        return;
    int pi = (int)(gp->m->p - ps);
    if (__atomic_add_fetch(&assist_debt[pi], (int64_t)n, __ATOMIC_RELAXED) < ASSIST_BYTES)
        return;
    int64_t debt = __atomic_exchange_n(&assist_debt[pi], 0, __ATOMIC_RELAXED);
    while (debt > 0 && __atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) == GC_MARK) {
        uint64_t ratio = assist_ratio();
        int64_t words = (int64_t)(((uint64_t)debt * ratio) >> 16) + 1;
        words -= steal_credit(words);
        if (words > 0) {
            uint64_t want = (uint64_t)words < ASSIST_MIN_WORDS ? ASSIST_MIN_WORDS : (uint64_t)words;
            uint64_t got = mark_drain_words(want);
            __atomic_add_fetch(&assist_words, got, __ATOMIC_RELAXED);
            words -= (int64_t)got;
        }
        if (words <= 0) {                /* paid, maybe with some over: keep it as credit */
            debt = -(int64_t)(((uint64_t)-words << 16) / ratio);
            break;
        }
        debt = (int64_t)(((uint64_t)words << 16) / ratio) + 1;
        if (!assist_park())
            return;                      /* mark is over: debts are forgotten */
    }
    if (debt && __atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) == GC_MARK)
        __atomic_add_fetch(&assist_debt[pi], debt, __ATOMIC_RELAXED);
}

/* pacer off: the old fixed assists (every 64th allocation scans 32 grey objects). */
static void assist_fixed(void)
{
    static uint32_t tick;
    if ((__atomic_add_fetch(&tick, 1, __ATOMIC_RELAXED) & 63) == 0)
        mark_drain(32);
}

/* ---- proportional sweep ---- */

/* Outside mark: sweep as many spans as the bytes allocated since mark termination pay
 * for, so that the sweep ends before the paced heap is half way to the trigger; all of
 * what is left once the trigger is passed (the GC goroutine no longer sweeps it: mgc.c's
 * bgsweep). */
static void sweep_pace(void)
{
    uint64_t target = (total_alloc() - sweep_alloc0) / sweep_bytes_per_span;
    if (pacer_should_trigger())              /* the next cycle is due: finish the sweep */
        target = UINT64_MAX;
    while (sweep_progress() < target) {
        struct m *m = acquirem();            /* as bgsweepone (mgc.c) */
        bool more = sweepone();
        releasem(m);
        if (!more)
            break;
    }
}

/* Outside mark, at the goal: the cycle is late (its goroutine not yet scheduled, or the
 * last sweep not done). Ask for it, and park until its mark starts; then pay as usual. */
static void wait_for_mark(void)
{
    struct g *gp = getg();
    if (gp->system || gp->cpu->mlocks)
        return;
    gc_trigger_check();
    rawlock(&assist_lock);
    if (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) != GC_OFF || paced_heap() < goal) {
        rawunlock(&assist_lock);
        return;
    }
    gp->waitlink = assist_q;
    assist_q = gp;
    __atomic_store_n(&assist_nq, 1, __ATOMIC_RELAXED);
    gopark_rawunlock(&assist_lock, "GC wait for mark");
}

/* Before an allocation of n bytes (a goroutine, not g0). */
void gc_assist(size_t n)
{
    uint32_t phase = __atomic_load_n(&gcphase, __ATOMIC_RELAXED);
    if (phase == GC_OFF && !pacer_off) {
        if (sweep_pending())
            sweep_pace();
        if (paced_heap() + n < goal)
            return;
        wait_for_mark();
        phase = __atomic_load_n(&gcphase, __ATOMIC_RELAXED);
    }
    if (phase == GC_MARK && pacer_stop) {     /* the negative control: mutators stopped */
        struct g *gp = getg();
        if (!gp->system && !gp->cpu->mlocks)
            while (assist_park())
                ;
        return;
    }
    if (phase == GC_MARK) {
        if (pacer_off)
            assist_fixed();
        else
            assist_alloc(n);
    }
}
