/* runtime.h: the runtime's private interface: G, M and P, the scheduler's entry points,
 * and the helpers every runtime file shares. The state machines are documented where
 * they are owned: goroutine states in proc.c, P states in sched.c. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "goro.h"
#include "kernel.h"
#include "timer.h"
#include "upcall.h"     /* the kernel's calls into the runtime, defined here */

#ifndef GORO_TIMESLICE_NS
#define GORO_TIMESLICE_NS 10000000LL      /* 10 ms */
#endif
#define RUNQ_SIZE 256
#define STACK_CANARY 0x9e3779b97f4a7c15ULL
#define STACK_CANARY_WORDS 4

/* Goroutine states (proc.c has the transition table). */
enum {
    G_IDLE,        /* just allocated, not yet initialised */
    G_RUNNABLE,    /* on a run queue; not executing; stack not owned */
    G_RUNNING,     /* executing on an M that owns its stack; not on a run queue */
    G_WAITING,     /* parked (wait reason says on what); stack owned by no one running it */
    G_PREEMPTED,   /* stopped at an async safe point for a suspend_g; like waiting, but
                      only the suspender may make it runnable again */
    G_DEAD,        /* exited (or never started); on a free list, stack kept for reuse */
    G_SCAN = 0x1000, /* with RUNNABLE/WAITING/PREEMPTED: a scanner owns the stack now */
};

struct sudog;

struct g {
    struct cpu *cpu;            /* first (arch_cpu()): core running this g; set by execute */
    struct context ctx;         /* saved registers while not running (owned by whoever owns the g) */
    uintptr_t stack_lo, stack_hi;
    uint32_t status;            /* atomic: G_* (casgstatus) */
    bool preempt;               /* atomic: a preemption was asked for */
    bool preempt_stop;          /* atomic: stop as G_PREEMPTED (suspend_g) */
    uint8_t pin;                /* P id + 1 it is pinned to, 0: none (pin.c has the rules) */
    bool is_g0;                 /* an M's scheduler g */
    uint32_t select_done;       /* atomic: select wake-up claimed (chan.c) */
    int64_t id;
    const char *waitreason;     /* while G_WAITING */
    goro_fn fn;                 /* entry function, for reports */
    void *arg;
    struct m *m;                /* M running it, while running; stale otherwise (the direct
                                   switch leaves it): read it only with status RUNNING */
    struct g *schedlink;        /* run queue link (owned by the queue) */
    struct g *waitlink;         /* mutex/waitgroup wait queue link (owned by that lock) */
    struct g *alllink;          /* allgs list (append only, under allg_lock) */
    struct trapframe *tf;       /* the async safe point, while preempted from a trap */
    struct sudog *waiting;      /* select: the sudog that woke it (chan.c) */
    struct _reent *reent;       /* newlib state, made on first use (newlib.c) */
    struct timer timer;         /* goro_sleep's (timer.c) */
    uint8_t handoff;            /* mutex handed to this waiter directly (mutex.c) */
    bool system;                /* a runtime goroutine: not counted, not reported as user */
    bool gcscandone;            /* stack scanned (black) this GC cycle (mark.c) */
    uintptr_t gcscan_sp;        /* GCCHECK: its sp at that scan, for the checkmark's report */
};

/* What arch_switch_* take for a thread t (switch.h, trace.c): t, or its context
 * (kernel/arch.h, ARCH_SWITCH_BY_CTX). */
#define SWITCH_ARG(t) (ARCH_SWITCH_BY_CTX ? (void *)&(t)->ctx : (void *)(t))

/* One M per core, for the whole run. Owned by its core. */
struct m {
    int id;
    struct g *g0;               /* scheduler stack */
    struct g *curg;             /* running goroutine, NULL on g0 */
    struct p *p;                /* attached P, NULL if none */
    /* Its non-preemptible depth is its core's (struct cpu's mlocks: one M per core). */
    bool spinning;              /* looking for work (counted in sched.nmspinning) */
    uint32_t wakeup;            /* atomic: wakep took our idle P for us and counted us spinning;
                                   set under sched.lock before the P runs, taken by idle() */
    uint64_t rand;              /* fastrand state */
    uintptr_t g0_top;
    bool (*waitunlockf)(struct g *, void *);  /* park: run on g0 after the switch */
    void *waitlock;
    /* curg's time slice, in counter ticks: it began at slice_start and ends
     * slice_ticks later (slice_end). The switch stores only the start (one store, where
     * the end was a load of the global length, an add and a store: 3 instructions on
     * riscv64 and 8 on virt-arm a fresh slice); the tick, which needs the end, adds.
     * slice_ticks is the global's copy (boot.c), one load off the M, as the tick's
     * other fields. */
    uint64_t slice_start;
    uint64_t slice_ticks;
    uint64_t timer_armed;       /* the deadline this core's timer is set for (UINT64_MAX:
                                   none); interrupts off (preempt.c) */
    struct timer *firing;       /* the timer whose f runs on this core now (timer.c) */
    uintptr_t canary[2];        /* stack_check_m's words (set once at boot) */
};

/* P states (sched.c owns them). */
enum { P_IDLE, P_RUNNING, P_GCSTOP, P_DEAD };

struct p {
    /* First: a read-modify-write's address (an AMO's, or ARM's ldrex/strex) takes no
     * offset, so the owner's take and put need no add for it. */
    struct g *runnext;          /* atomic: runs next, inherits the time slice */
    int id;
    uint32_t status;            /* atomic: P_* */
    struct m *m;                /* M it is attached to */
    struct p *link;             /* idle list (sched.lock) */
    /* The switch path's fields first, ahead of the ring: within a load's immediate
     * offset from the P (RISC-V: 2 KiB), so each is one load. */
    /* atomic: a hint that findrunnable has something for this P that its run queue
     * doesn't show: schedule_inline's one look (with the P's first timer) on every
     * switch, findrunnable's on the slow path, where it is cleared (exchange, acquire)
     * before anything it stands for is looked at. Every setter sets it by RMW
     * (fetch_or), with release after publishing what it stands for, so that the
     * owner's exchange, reading any later value, synchronizes with each of them (a
     * release sequence: RMWs only). ATTN_LOOK: a forEachP fn, pinned goroutines in the
     * inbox, a stop of the world (gcwaiting, set on every P, with the P's status
     * P_GCSTOP and, by procresize, P_DEAD behind it); ATTN_FAIR: the owner's countdown
     * (fairtick) says look at the global queue, set only when that queue has something
     * or a stop of the world waits (switch.h's fair_look). */
    uint32_t attn;
    int fairtick;               /* owner only: fresh slices left until ATTN_FAIR */
    int64_t timer0_when;        /* atomic: earliest timer, INT64_MAX if none */
    /* Free dead goroutines with their default stacks (owner only): spawn and exit. */
    struct g *gfree;
    int ngfree;
    /* Run queue: a ring; the owner puts at tail, anyone takes at head by CAS. */
    uint32_t runq_head, runq_tail;  /* atomic */
    struct g *runq[RUNQ_SIZE];
    int idled_by;               /* sched.lock: the M that last put it on the idle list (reports) */
    /* The inbox (pin.c): goroutines pinned to this P, readied elsewhere. pin_head:
     * atomic, a stack pushers CAS onto (no lock), emptied whole by the owner's
     * exchange, PIN_CLOSED while the P is dead; pin_next: owner only, taken and not
     * yet run, oldest first. */
    struct g *pin_head;
    struct g *pin_next;
    /* Timers (timer.c): a min-heap on when (timer0_when above), guarded by timer_lock. */
    struct spinlock timer_lock;
    struct timer **timers;
    int ntimers, timers_cap;
    /* The world (world.c). */
    void (*safe_point_fn)(struct p *);  /* atomic: run at the next safe point */
    /* The collector (heap.c, mark.c): owner only, or with the world stopped. */
    struct mcache *mcache;
    void *gcw;
};
enum { ATTN_LOOK = 1, ATTN_FAIR = 2 };   /* struct p's attn bits */
#define PIN_CLOSED ((struct g *)1)          /* struct p's pin_head while the P is dead (pin.c) */
#define FAIR_TICKS 61                    /* fresh slices between looks at the global queue (Go's 61) */

/* Scheduler-wide state; fields guarded by sched.lock unless marked atomic. Lock
 * order: channel/mutex locks -> a struct timer's lock -> timer_lock -> sched.lock ->
 * allg_lock -> console. */
struct sched {
    struct spinlock lock;
    struct g *runq_head, *runq_tail;    /* global run queue */
    int runq_size;
    struct p *pidle;                    /* idle Ps (their Ms sleep in WFI) */
    int npidle;                         /* atomic reads allowed */
    int nmspinning;                     /* atomic */
    int gomaxprocs;
    uint32_t gcwaiting;                 /* atomic: stop the world in progress */
    int stopwait;
    int64_t goidgen;                    /* atomic */
    int ngoroutines;                    /* atomic: alive, main included */
    struct g *gfree;                    /* global free dead Gs */
    int ngfree;
};

extern struct sched sched;
extern uint64_t slice_ticks;
extern uint64_t gc_stacks_scanned;     /* atomic (mgc.c) */           /* GORO_TIMESLICE_NS in counter ticks (benchmarks may shorten it) */
extern struct m ms[GORO_SMP_MAX];
extern struct p ps[GORO_SMP_MAX];
extern struct g *allgs;
extern struct spinlock allg_lock;

static inline struct g *getg(void) { return (struct g *)arch_thread(); }

/* Is gp (getg()) the boot thread: a core before it becomes an M (rt_boot), when the
 * thread register holds the core's struct cpu, whose first word points at itself
 * (kernel/arch.h)? A struct g's first word points at its core's cpu, never at the g,
 * so on the boot thread there is no goroutine and no g0 to look at. */
static inline bool is_boot_thread(const struct g *gp) { return *(void *const *)gp == (const void *)gp; }

/* For the switch path's helpers: inline even where gcc deems the code cold (the
 * scheduler ends in noreturn calls, which gcc predicts are rarely reached). */
#define HOT_INLINE static inline __attribute__((always_inline))

/* A release store of a 32-bit word, as a release fence and a single plain store (a
 * volatile aligned word: one store instruction, as Linux's WRITE_ONCE): the same
 * guarantee to a reader that loads it with acquire, and on RISC-V two instructions
 * less on the switch path: gcc 12 makes every atomic store an AMO (a release store:
 * fence, amoswap; a relaxed one: amoswap), which also needs the address in a register;
 * this is a fence and a store with its offset. ARM: the same dmb and str. */
HOT_INLINE void store_release32(uint32_t *p, uint32_t v)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
    *(volatile uint32_t *)p = v;
}

/* Non-preemptible sections (Go's acquirem/releasem). */
struct m *acquirem(void);
void releasem(struct m *m);

/* worldsema.c: the world lock */
void worldsema_acquire(void);
void worldsema_release(void);

/* world.c: stopping the world and forEachP (world.c has the protocol). */
void gcstopm(struct m *m, struct p *pp);         /* schedule: park this M for a stop */
void run_safe_point_fn(struct p *pp);            /* schedule: pp's forEachP fn, if any */
extern int64_t stw_begin_ns;                     /* when the current stop began (world lock held) */
extern uint32_t world_resends;                   /* preemption rounds re-sent while waiting for Ps */

/* newlib.c */
void rt_reent_exit(struct g *gp);                /* on g0: free gp's newlib state as it exits */

/* proc.c */
struct g *newproc(goro_fn fn, void *arg, size_t stack);
struct g *newproc_system(goro_fn fn, void *arg);
uint32_t readgstatus(struct g *gp);
void casgstatus_slow(struct g *gp, uint32_t from, uint32_t to);
_Noreturn void casgstatus_illegal(struct g *gp, uint32_t from, uint32_t to);
_Noreturn void casgstatus_owned_bad(struct g *gp, uint32_t from, uint32_t to);
bool castogscan(struct g *gp, uint32_t from);
const char *gstatus_name(uint32_t s);
void goexit_m(void *arg);

/* sched.c */
_Noreturn void schedule(void);
void execute(struct g *gp) __attribute__((noreturn));
void gopark(bool (*unlockf)(struct g *, void *), void *lock, const char *reason);
/* gopark for an unlockf that always returns true and needs interrupts off only, with
 * the direct switch when the next goroutine is at hand (sched.c): select's, sleep's. */
void gopark_commit(bool (*unlockf)(struct g *, void *), void *lock, const char *reason);
void goready(struct g *gp);
bool goready_restore(struct g *gp, unsigned long flags);   /* true, always */
bool goready_restore_p(struct g *gp, unsigned long flags); /* the same, this M holding a P */
bool goready_put_call(struct g *gp, unsigned long flags, struct p *pp);   /* trace.c's (sched.c) */
void ready_locked_queue(struct g *gp);
void gosched_m(void *arg);
void systemstack(void (*fn)(void *), void *arg, const char *waitreason);

/* Rule 0 (docs/design/world.md, "Rule 0"): code that waits for other Ps runs the wait,
 * fn(arg), on this M's g0 with its own goroutine WAITING for reason meanwhile, so that
 * a stack scanner never waits for it. Every such site calls this, by name. The
 * UNWRAPPED=1 debug build leaves Rule 0 out here (the goroutine stays RUNNING), the
 * negative control tests/world_torture_unwrapped.c and tests/model/ show deadlocks. */
static inline void wait_on_g0(void (*fn)(void *), void *arg, const char *reason)
{
    systemstack(fn, arg, GORO_UNWRAPPED ? NULL : reason);
}
/* findrunnable.c: finding work, idle Ps, waking them */
struct g *findrunnable(struct m *m, bool *inherit);   /* schedule's slow path: a goroutine, with a P */
void wakep_slow(void);
void pidlewake(struct p *pp, bool locked);
_Noreturn void schedule_exit(struct m *m);
void checkdead(void);
void sched_trace_all(void);

/* pin.c */
void pin_put(struct p *mine, struct g *gp, bool next);
bool pin_forward(struct p *pp, struct g *gp, bool locked);
struct g *pin_take(struct p *pp);
void pin_resize(int n);
void pin_open(struct p *pp);

/* Is gp pinned to a P other than pp? (pin.c) */
HOT_INLINE bool pin_elsewhere(struct g *gp, struct p *pp)
{
    return gp->pin && gp->pin != pp->id + 1;
}

/* runq.c */
struct g *runqsteal(struct p *pp, struct p *victim, bool steal_next);
void globrunqput(struct g *gp);
void globrunqputbatch(struct g *head, struct g *tail, int n);
struct g *globrunqget(struct p *pp, int max);

/* preempt.c */
void preempt_request(struct g *gp);
void preempt_park_m(void *arg);
void slice_timer_arm(struct m *m, uint64_t deadline);

/* The end of curg's time slice (struct m). */
HOT_INLINE uint64_t slice_end(struct m *m) { return m->slice_start + m->slice_ticks; }

/* Interrupts off: the earlier of curg's slice end and the P's first timer, that timer
 * taken as no sooner than floor (0 but after a tick that fired timers: preempt.c's
 * tick_throttle). */
HOT_INLINE uint64_t slice_timer_deadline_floor(struct m *m, uint64_t floor)
{
    uint64_t deadline = m->curg ? slice_end(m) : UINT64_MAX;
    if (m->p) {
        uint64_t t = (uint64_t)__atomic_load_n(&m->p->timer0_when, __ATOMIC_RELAXED);
        if (t < floor)
            t = floor;
        if (t < deadline)
            deadline = t;
    }
    return deadline;
}

HOT_INLINE uint64_t slice_timer_deadline(struct m *m) { return slice_timer_deadline_floor(m, 0); }

/* Interrupts off. Arm this core's timer for slice_timer_deadline, unless it is already
 * armed for that or sooner: a timer armed too early fires, and rt_timer_interrupt
 * re-arms it for the real deadline (preempt.c). */
HOT_INLINE void set_slice_timer(struct m *m)
{
    uint64_t deadline = slice_timer_deadline(m);
    if (deadline < m->timer_armed)
        slice_timer_arm(m, deadline);
}

/* irq.c: the wake word a goroutine parks on for an interrupt (irq.c has its table). */
struct wakeword {
    uintptr_t w;                /* atomic: 0, gp, gp|PARKED, FIRED (irq.c) */
    int why;                    /* the parked goroutine's result, written by its waker */
    bool timed;                 /* the waiter's: this wait has a timeout (tm) */
    bool uncounted;             /* irqdebug=nodeadcount: checkdead doesn't count its waiter */
    struct timer tm;            /* the timeout, armed in the park's commit (irq.c) */
};
extern uint32_t ext_waiters;    /* atomic: goroutines waiting on a wake word (checkdead) */
int  ww_prepare(struct wakeword *ww);   /* 0 registered, 1 fired since (no park), GORO_EBUSY */
void ww_cancel(struct wakeword *ww);    /* withdraw ww_prepare's registration */
int  ww_park(struct wakeword *ww, const char *reason, int64_t timeout_ns);  /* 0, GORO_ETIMEDOUT, GORO_EINVAL */
bool ww_fire(struct wakeword *ww, int why, bool intr);   /* any context; intr: a device interrupt */

/* timer.c: see timer.h */

/* stack.c */
bool stack_alloc(struct g *gp, size_t size);
void stack_free(struct g *gp);
void stack_guard_init(void);
extern bool stack_guards_off;
/* The guard under gp's stack, for arch_ctx_init; NULL when guards are off (stack.c). */
static inline void *stack_guard_of(struct g *gp)
{
    size_t guard = arch_stack_guard_size();
    return guard && !stack_guards_off ? (void *)(gp->stack_lo - guard) : NULL;
}
void stack_g0_init(struct g *g0, uintptr_t lo, uintptr_t hi, void (*entry)(void));
_Noreturn void stack_overflow(struct g *gp);

/* mem.c: memory for the runtime's own structures (never freed; recycled by owners). */
void *persistent_alloc(size_t size, size_t align);   /* zeroed */
void *page_alloc(size_t size);     /* 4 KiB multiples, from a size-class free list */
void page_free(void *p, size_t size);
size_t mem_in_use(void);

/* lock.c: a raw lock word with interrupts off, for locks embedded in public types. */
void rawlock(uint32_t *l);
#if GORO_LOCKRANK
void rawlock_ranked(uint32_t *l, const char *file);
#define rawlock(l) rawlock_ranked((l), __FILE__)    /* ranked by the file taking it (lockrank.h) */
#endif
void rawunlock(uint32_t *l);
bool rawunlock_park(struct g *gp, void *l);   /* a gopark unlockf */
void gopark_rawunlock(uint32_t *l, const char *reason);   /* gopark(rawunlock_park, l, reason) (sched.c) */

/* rawunlock's checks but the held one (LOCKRANK builds: l's rank released), without the
 * release: for a park whose switch stores the word (gopark_rawunlock). */
static inline __attribute__((always_inline)) void rawunlock_check(uint32_t *l)
{
#if GORO_LOCKRANK
    lockrank_release(l);
#else
    (void)l;
#endif
}

/* rand.c */
uint32_t fastrand(void);
uint32_t fastrandn(uint32_t n);

/* Runtime panics: the reason with the goroutine and core (kernel panic()). */
#define throw(...) panic(__VA_ARGS__)

/* proc.c's transition table (see there), as a predicate that folds away for constant
 * arguments: every casgstatus call site names its transition. */
HOT_INLINE bool gstatus_legal(uint32_t from, uint32_t to)
{
    switch (from) {
    case G_IDLE: return to == G_RUNNABLE;
    case G_RUNNABLE: return to == G_RUNNING;
    case G_RUNNING: return to == G_RUNNABLE || to == G_WAITING || to == G_PREEMPTED || to == G_DEAD;
    case G_WAITING: return to == G_RUNNABLE || to == G_RUNNING;   /* the latter: systemstack, Rule 0 */
    case G_PREEMPTED: return to == G_RUNNABLE || to == G_WAITING;
    case G_DEAD: return to == G_RUNNABLE;
    default: return false;
    }
}

/* from -> to; waits while a scanner owns the goroutine (G_SCAN). The fast path is one
 * atomic; a status other than from (a scanner's SCAN bit, or a bug) goes to
 * casgstatus_slow, which spins under a watchdog or throws.
 * A RUNNING goroutine is never scanned in place (castogscan takes only runnable,
 * waiting and preempted ones), so only its owner writes its status: leaving RUNNING
 * is a check and a release store (the saved context and everything else written
 * before it is visible to whoever takes the goroutine by its new status), and a
 * failed check throws, without returning (so the switch paths on g0 keep nothing
 * across it). A DEAD one
 * is never scanned either (it belongs to the free list's owner, proc.c): newproc's
 * DEAD -> RUNNABLE is the same check and store. Entering RUNNING acquires the stack a
 * scanner may just have released. */
HOT_INLINE void casgstatus(struct g *gp, uint32_t from, uint32_t to)
{
    if (!gstatus_legal(from, to))
        casgstatus_illegal(gp, from, to);
    if (from == G_RUNNING || from == G_DEAD) {
        if (__builtin_expect(__atomic_load_n(&gp->status, __ATOMIC_RELAXED) != from, 0))
            casgstatus_owned_bad(gp, from, to);  /* not running (not dead): a bug */
        store_release32(&gp->status, to);
        return;
    }
    if (__builtin_expect(!(to == G_RUNNING ? arch_cas32_acquire(&gp->status, from, to)
                                           : arch_cas32_acq_rel(&gp->status, from, to)), 0))
        casgstatus_slow(gp, from, to);
}

/* The stack canary (stack.c), checked at every switch and tick: the machine words at
 * both ends of it, which an overflow running down the stack or jumping a large frame
 * reaches first and last (on 32-bit ARM, the top half of the top 64-bit canary word
 * and the bottom half of the bottom one: little-endian). One branch when intact. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "stack_check reads canary halves little-endian");
#define STACK_CANARY_LO ((uintptr_t)STACK_CANARY)
#define STACK_CANARY_HI ((uintptr_t)(STACK_CANARY >> (64 - 8 * sizeof(uintptr_t))))
HOT_INLINE void stack_check_words(struct g *gp, uintptr_t lo, uintptr_t hi)
{
    const uintptr_t *c = (const uintptr_t *)gp->stack_lo;
    if (__builtin_expect(((c[0] ^ lo) | (c[STACK_CANARY_WORDS * 8 / sizeof(uintptr_t) - 1] ^ hi)) != 0, 0))
        stack_overflow(gp);
}

HOT_INLINE void stack_check(struct g *gp) { stack_check_words(gp, STACK_CANARY_LO, STACK_CANARY_HI); }

/* stack_check with the words from m (the direct switch's, which holds m): one load
 * where the constant takes two instructions on RISC-V and four on ARM. With 64-bit
 * words the two are one value, and two compare-and-branches on it take 2 instructions
 * less than stack_check_words' xor-or-branch. With 32-bit words (ARM) only the top
 * word, the one an overflow running down the stack reaches first: 5 instructions where
 * both ends were 9. There every stack has a guard page below its canary (armed once,
 * for good: docs/design/stack-guard.md), which faults on a run past it; a large frame
 * that jumps both is caught by the bottom word at the goroutine's next trip through g0
 * or tick (stack_check), as the direct switch does not look at it. */
HOT_INLINE void stack_check_m(const struct m *m, struct g *gp)
{
    if (sizeof(uintptr_t) == 8) {
        uintptr_t lo = m->canary[0];
        const uintptr_t *c = (const uintptr_t *)gp->stack_lo;
        if (__builtin_expect(c[0] != lo, 0) || __builtin_expect(c[STACK_CANARY_WORDS - 1] != lo, 0))
            stack_overflow(gp);
    } else {
        const uintptr_t *c = (const uintptr_t *)gp->stack_lo;
        if (__builtin_expect(c[STACK_CANARY_WORDS * 8 / sizeof(uintptr_t) - 1] != m->canary[1], 0))
            stack_overflow(gp);
    }
}

/* On g0, gp just left running (its status already changed): detach it from its M
 * (Go's dropg). */
HOT_INLINE void dropg(struct m *m, struct g *gp)
{
    m->curg = NULL;
    gp->m = NULL;
}

/* Switch from the calling goroutine to its M's g0 and run fn(arg) there (sched.c).
 * Interrupts must be off. g0 never re-enables interrupts by popping what the goroutine
 * pushed. */
HOT_INLINE void mcall(void (*fn)(void *), void *arg)
{
    struct g *gp = getg();
    struct g *g0 = gp->m->g0;   /* loaded once: arch_set_thread clobbers memory */
    gp->cpu->intena = false;
    arch_set_thread(g0);
    arch_mcall(&gp->ctx, &g0->ctx, fn, arg);
}

/* mcall for a switch that goes straight to schedule (gosched, a channel's park): the
 * goroutine holds no interrupt-off section (schedule throws otherwise, before anything
 * on g0 pops), so intena is dead (the next outermost intr_push rewrites it) and is left
 * as it is. Not for gopark: its unlockf runs first, and a rawlock's release there pops
 * the section the goroutine pushed (a mutex's, noff 1 -> 0), which must not turn
 * interrupts on on g0 (it did: world_torture hung and crashed). */
HOT_INLINE void mcall_sched(void (*fn)(void *), void *arg)
{
    struct g *gp = getg();
    struct g *g0 = gp->m->g0;
    arch_set_thread(g0);
    arch_mcall(&gp->ctx, &g0->ctx, fn, arg);
}

/* Wake one idle P's M to look for work, unless an M is already spinning (sched.c).
 * The caller has just made a goroutine runnable (runqput has no fence): the fence
 * orders that before our look at npidle, against idle()'s drop of nmspinning and its
 * recheck of the queues. No idle P, the usual case, costs the fence and one load;
 * wakep_slow takes the P and sends the IPI non-preemptibly. */
HOT_INLINE void wakep(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&sched.npidle, __ATOMIC_RELAXED) != 0)
        wakep_slow();
}

#include "runq.h"        /* the owner's run queue fast paths (inline) */
#include "trace.h"       /* the tracer's event sites (inline; they need struct g and p) */
