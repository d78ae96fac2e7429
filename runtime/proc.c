/* Goroutines: their states, creation, exit and recycling.
 *
 * A goroutine's status is its ownership rule (see runtime.h for each state). The legal
 * transitions, and who makes them:
 *
 *   from \ to   RUNNABLE           RUNNING     WAITING   PREEMPTED       DEAD
 *   IDLE        newproc            -           -         -               -
 *   RUNNABLE    -                  execute     -         -               -
 *   RUNNING     gosched, preempt   -           gopark    preempt (stop)  goexit
 *   WAITING     goready            Rule 0 end  -         -               -
 *   PREEMPTED   resume_g           -           -         -               -
 *   DEAD        newproc (reuse)    -           -         -               -
 *
 * "Rule 0 end": a goroutine waiting on g0 for other Ps (systemstack with a wait reason,
 * sched.c) goes back to running without a run queue: it never left its M.
 *
 * A scanner takes RUNNABLE, WAITING or PREEMPTED to the same state | G_SCAN
 * (castogscan) and back; while SCAN is set, every other transition of that goroutine
 * waits (casgstatus spins), because the scanner owns the stack.
 *
 * Dead goroutines keep their default-size stacks and go on a free list, per P first
 * (no lock), spilling to a global one under sched.lock, so spawn+exit allocates nothing
 * in steady state. */
#include <string.h>
#include "runtime.h"
#include "heap.h"

struct g *allgs;                                     /* allg_lock */
struct spinlock allg_lock = SPINLOCK_INIT("allg");
#define GFREE_LOCAL_MAX 64

uint32_t readgstatus(struct g *gp) { return __atomic_load_n(&gp->status, __ATOMIC_ACQUIRE); }

const char *gstatus_name(uint32_t s)
{
    static const char *const names[] = { "idle", "runnable", "running", "waiting", "preempted", "dead" };
    s &= ~(uint32_t)G_SCAN;
    return s < sizeof names / sizeof names[0] ? names[s] : "?";
}

_Noreturn void casgstatus_illegal(struct g *gp, uint32_t from, uint32_t to)
{
    throw("casgstatus: illegal transition %s -> %s (goroutine %lld)", gstatus_name(from), gstatus_name(to),
          (long long)gp->id);
}

/* casgstatus's slow path for a goroutine only its owner changes (leaving RUNNING,
 * DEAD -> RUNNABLE: never scanned in place, runtime.h): it is not in state from. */
_Noreturn void casgstatus_owned_bad(struct g *gp, uint32_t from, uint32_t to)
{
    uint32_t cur = readgstatus(gp);
    throw("casgstatus: goroutine %lld is %s%s, not %s (to %s)", (long long)gp->id, gstatus_name(cur),
          cur & G_SCAN ? "+scan" : "", gstatus_name(from), gstatus_name(to));
}

/* casgstatus's slow path (runtime.h): gp is not in state from. If a scanner owns it
 * (from|SCAN), wait for the scanner, under a watchdog; anything else is a bug. */
void casgstatus_slow(struct g *gp, uint32_t from, uint32_t to)
{
    if (!gstatus_legal(from, to))
        casgstatus_illegal(gp, from, to);
    struct watchdog w = { 0 };
    for (uint32_t cur = from, spins = 0;; cur = from) {
        if (cas_acq_rel(&gp->status, &cur, to, false, __ATOMIC_ACQUIRE))
            return;
        if (cur != (from | G_SCAN) || from == G_RUNNING)
            throw("casgstatus: goroutine %lld is %s%s, not %s (to %s)", (long long)gp->id,
                  gstatus_name(cur), cur & G_SCAN ? "+scan" : "", gstatus_name(from), gstatus_name(to));
        arch_relax();
        if ((++spins & 0xffff) == 0) {          /* a scanner holding SCAN that long is stuck */
            uint64_t now = arch_time_now();
            if (!w.start)
                watchdog_start(&w, now, ns_to_ticks(WATCHDOG_STALL_NS));
            else if (watchdog_waited(&w, now) > ns_to_ticks(WATCHDOG_LOCK_NS))
                throw("watchdog: casgstatus waited %lld ms for a scanner to release goroutine %lld (%s -> %s)",
                      WATCHDOG_MS(WATCHDOG_LOCK_NS), (long long)gp->id, gstatus_name(from), gstatus_name(to));
        }
    }
}

/* from -> from|G_SCAN, for a scanner; false if the goroutine isn't in state from. */
bool castogscan(struct g *gp, uint32_t from)
{
    return cas_acq_rel(&gp->status, &from, from | G_SCAN, false, __ATOMIC_ACQUIRE);
}

/* gfput's slow path: gp has a stack of another size, or pp's list is full. */
static void gfput_slow(struct p *pp, struct g *gp)
{
    if (gp->stack_lo && gp->stack_hi - gp->stack_lo != GORO_STACK_DEFAULT)
        stack_free(gp);                 /* none: gfget's stack_alloc failed */
    gp->schedlink = pp->gfree;
    pp->gfree = gp;
    if (++pp->ngfree < GFREE_LOCAL_MAX)
        return;
    spin_lock(&sched.lock);
    while (pp->ngfree > GFREE_LOCAL_MAX / 2) {
        struct g *x = pp->gfree;
        pp->gfree = x->schedlink;
        pp->ngfree--;
        x->schedlink = sched.gfree;
        sched.gfree = x;
        sched.ngfree++;
    }
    spin_unlock(&sched.lock);
}

/* Interrupts off (owner of pp): gp is dead; keep it for reuse. */
static inline void gfput(struct p *pp, struct g *gp)
{
    if (gp->stack_hi - gp->stack_lo == GORO_STACK_DEFAULT && pp->ngfree + 1 < GFREE_LOCAL_MAX) {
        gp->schedlink = pp->gfree;
        pp->gfree = gp;
        pp->ngfree++;
        return;
    }
    gfput_slow(pp, gp);
}

/* Interrupts off (owner of pp): a dead G with a stack of the given size, or NULL, for
 * newproc_slow: pp's list is empty, or its first G has a stack of another size (newproc1
 * takes the first G of the right size itself). */
static struct g *gfget(struct p *pp, size_t stack)
{
    if (!pp->gfree && sched.ngfree) {
        spin_lock(&sched.lock);
        while (sched.gfree && pp->ngfree < GFREE_LOCAL_MAX / 2) {
            struct g *x = sched.gfree;
            sched.gfree = x->schedlink;
            sched.ngfree--;
            x->schedlink = pp->gfree;
            pp->gfree = x;
            pp->ngfree++;
        }
        spin_unlock(&sched.lock);
    }
    struct g *gp = pp->gfree;
    if (!gp)
        return NULL;
    pp->gfree = gp->schedlink;
    pp->ngfree--;
    if (gp->stack_hi - gp->stack_lo != stack) {
        if (gp->stack_lo)
            stack_free(gp);
        if (!stack_alloc(gp, stack)) {
            gfput(pp, gp);
            return NULL;
        }
    }
    return gp;
}

static struct g *galloc(size_t stack)
{
    struct g *gp = persistent_alloc(sizeof *gp, 64);
    if (!gp)
        return NULL;
    gp->status = G_DEAD;
    if (!stack_alloc(gp, stack))
        return NULL;             /* the G itself is lost; memory is exhausted anyway */
    spin_lock(&allg_lock);
    gp->alllink = allgs;
    allgs = gp;
    spin_unlock(&allg_lock);
    return gp;
}

/* A goroutine's start, the prepared frame execute resumes (arch_ctx_restart): ra is
 * the arch's start (arch_ctx_start), which calls goentry with no caller, on an empty
 * stack. A dead G keeps its stack and its context's guard (arch_ctx_init wrote it for
 * that stack), so starting it again writes only the context's start words. */
static void goentry(void);

/* newproc's common part, from a dead G with a stack of the right size to a runnable G
 * in pp's runnext. Interrupts off by arch_intr_save (flags), which it restores: the
 * section nests no deeper than the locks it may take (runqput_full's, shade's), which
 * push and pop on their own, so it needs no count (intr_push's noff). */
static inline __attribute__((always_inline)) void newproc_fields(struct g *gp, goro_fn fn, void *arg, bool system)
{
    gp->fn = fn;
    gp->arg = arg;
    gp->preempt = gp->preempt_stop = false;
    gp->pin = 0;                 /* with the two above and is_g0: one store (one word) */
    gp->is_g0 = false;
    gp->waitreason = NULL;
    gp->system = system;
    arch_ctx_restart(&gp->ctx, (void *)gp->stack_hi, goentry);
    gp->id = __atomic_add_fetch(&sched.goidgen, 1, __ATOMIC_RELAXED);
    if (!system)
        __atomic_add_fetch(&sched.ngoroutines, 1, __ATOMIC_RELAXED);
}

static inline __attribute__((always_inline)) struct g *newproc_start(unsigned long flags, struct cpu *c,
                                                                     struct g *gp, goro_fn fn, void *arg,
                                                                     bool system)
{
    newproc_fields(gp, fn, arg, system);
    /* During marking a new goroutine's stack is born scanned (black): mark.c. The
     * phase changes only with the world stopped, so never while a P runs this with
     * interrupts off: a relaxed load. (An interrupt handler's spawn on a stopped P's
     * core might read the old phase: OFF leaves the stack to mark termination, which
     * scans every stack not done; MARK shades the argument.) */
    gp->gcscandone = __atomic_load_n(&gcphase, __ATOMIC_RELAXED) != 0;
    if (__builtin_expect(gp->gcscandone, 0))
        scan_born(gp, (uintptr_t)arg);
    casgstatus(gp, G_DEAD, G_RUNNABLE);
    trace_gocreate(gp);
    runqput(c->m->p, gp, true);
    arch_intr_restore(flags);
    wakep();
    return gp;
}

/* newproc's slow path: pp's free list has no G with a stack of this size (c: the
 * caller's core, interrupts still off by flags). A new G, or one whose stack was
 * replaced, gets a whole new context (arch_ctx_init: its guard too). */
static __attribute__((noinline)) struct g *newproc_slow(unsigned long flags, struct cpu *c, goro_fn fn,
                                                        void *arg, size_t stack, bool system)
{
    struct g *gp = gfget(c->m->p, stack);
    if (!gp) {
        arch_intr_restore(flags);
        if (!(gp = galloc(stack)))
            return NULL;
        flags = arch_intr_save();
        c = arch_cpu();
    }
    arch_ctx_init(&gp->ctx, (void *)gp->stack_hi, stack_guard_of(gp), goentry);
    return newproc_start(flags, c, gp, fn, arg, system);
}

/* Create a goroutine running fn(arg) and put it in the current P's runnext. Interrupts
 * stay off from taking a dead G off the P's list to putting it on the P's queue: one
 * section, not two (galloc, which may take time, runs with them on). Inline in its
 * three callers, so that the default size's rounding folds away. */
static inline __attribute__((always_inline)) struct g *newproc1(goro_fn fn, void *arg, size_t stack, bool system)
{
    if (stack < 4096)
        stack = 4096;
    stack = (stack + 4095) & ~(size_t)4095;
    unsigned long flags = arch_intr_save();
    struct cpu *c = arch_cpu();
    struct p *pp = c->m->p;
    struct g *gp = pp->gfree;
    if (__builtin_expect(!gp || gp->stack_hi - gp->stack_lo != stack, 0))
        return newproc_slow(flags, c, fn, arg, stack, system);
    pp->gfree = gp->schedlink;
    pp->ngfree--;
    return newproc_start(flags, c, gp, fn, arg, system);
}

struct g *newproc(goro_fn fn, void *arg, size_t stack) { return newproc1(fn, arg, stack, false); }

/* A runtime goroutine (the GC's): not counted by goro_numgoroutine. */
struct g *newproc_system(goro_fn fn, void *arg) { return newproc1(fn, arg, GORO_STACK_DEFAULT, true); }

/* goexit_dead's tracer event, out of line (the tracer on): trace_goend inline there
 * made goentry's frame room for trace_event's stack arguments on ARM, and gcc left
 * trace_goend itself out of line, its nop with it, on RISC-V. */
static __attribute__((noinline, cold)) void goexit_trace(struct g *gp) { trace_ev(EV_GOEND, gp->id, 0); }

/* The end of gp (RUNNING, on this M, interrupts off): dead, off its M, uncounted. */
static inline __attribute__((always_inline)) void goexit_dead(struct m *m, struct g *gp)
{
    stack_check(gp);
    casgstatus(gp, G_RUNNING, G_DEAD);
    TRACE_IF(goexit_trace(gp));
    dropg(m, gp);
    if (!gp->system)
        __atomic_sub_fetch(&sched.ngoroutines, 1, __ATOMIC_RELAXED);
}

/* On g0: the end of gp (its status is still RUNNING), when its free list spills to the
 * global one (gfput_slow: other Ps may take it from there, so not while we run on its
 * stack). goro_goexit came here without saving gp's registers (arch_mcall_drop): gp's
 * context is stale from here on, and nothing reads a dead G's context. */
void goexit_m(void *arg)
{
    struct g *gp = arg;
    struct m *m = gp->m;
    goexit_dead(m, gp);
    gfput(m->p, gp);
    schedule();
}

/* goro_go's slow paths, tail-called (interrupts off by flags), so that its fast path
 * makes no call that returns and needs no frame: newproc1 does it all (no G of the
 * default size on the P's list, a collection's mark, the tracer on); a full ring;
 * an idle P to wake. */
static __attribute__((noinline)) int64_t goro_go_slow(goro_fn fn, void *arg, unsigned long flags)
{
    arch_intr_restore(flags);
    struct g *gp = newproc1(fn, arg, GORO_STACK_DEFAULT, false);
    return gp ? gp->id : GORO_ENOMEM;
}

static __attribute__((noinline)) int64_t goro_go_full(struct p *pp, struct g *old, unsigned long flags, int64_t id)
{
    runqput_full(pp, old);
    arch_intr_restore(flags);
    wakep();
    return id;
}

static __attribute__((noinline)) int64_t goro_go_wakep(int64_t id)
{
    wakep_slow();
    return id;
}

/* newproc1 for the default size, its common case (a dead G on the P's list, no mark,
 * no tracer) inline: a leaf, every slow path a tail call. */
int64_t goro_go(goro_fn fn, void *arg)
{
    if (!fn)
        goro_panic("goro_go: nil function");
    unsigned long flags = arch_intr_save();
    struct p *pp = arch_cpu()->m->p;
    struct g *gp = pp->gfree;
    bool traced = false;
    TRACE_IF(traced = true);
    if (__builtin_expect(!gp || gp->stack_hi - gp->stack_lo != GORO_STACK_DEFAULT || traced ||
                         __atomic_load_n(&gcphase, __ATOMIC_RELAXED) != 0, 0))   /* newproc_start's */
        return goro_go_slow(fn, arg, flags);
    pp->gfree = gp->schedlink;
    pp->ngfree--;
    newproc_fields(gp, fn, arg, false);
    gp->gcscandone = false;
    if (__builtin_expect(__atomic_load_n(&gp->status, __ATOMIC_RELAXED) != G_DEAD, 0))
        throw("goro_go: goroutine %lld on the free list is not dead", (long long)gp->id);
    store_release32(&gp->status, G_RUNNABLE);    /* casgstatus(DEAD, RUNNABLE) */
    int64_t id = gp->id;
    struct g *old = runnext_put(pp, gp);
    if (old) {                   /* runqput's tail, with its full case out of line */
        uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
        uint32_t t = pp->runq_tail;
        if (__builtin_expect(t - h >= RUNQ_SIZE, 0))
            return goro_go_full(pp, old, flags, id);
        pp->runq[t % RUNQ_SIZE] = old;
        store_release32(&pp->runq_tail, t + 1);
    }
    arch_intr_restore(flags);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);     /* wakep */
    if (__atomic_load_n(&sched.npidle, __ATOMIC_RELAXED) != 0)
        return goro_go_wakep(id);
    return id;
}

int64_t goro_go_stack(goro_fn fn, void *arg, size_t stack_bytes)
{
    if (!fn)
        goro_panic("goro_go: nil function");
    struct g *gp = newproc(fn, arg, stack_bytes);
    return gp ? gp->id : GORO_ENOMEM;
}

/* The end of goroutine gp, the caller. Its newlib state goes first, on its own stack.
 * Usually its G goes on its P's free list right here, still on its stack, and the next
 * goroutine runs from here too (schedule_exit), without a trip through g0: the list
 * is the P's own, taken from only by this M with interrupts off (newproc1; procresize
 * with the world stopped, which waits for this P), so the G and its stack stay unused
 * until this M has left them. A list that would spill (to the global list, where any
 * core takes from) goes to g0 first: there goexit_m frees it, after arch_mcall_drop
 * (as arch_mcall, saving nothing: nothing resumes the goroutine). Inline in goentry
 * (a function's return) and goro_goexit. */
static inline __attribute__((always_inline, noreturn)) void goexit1(struct g *gp)
{
    if (gp->reent)               /* rt_reent_exit's own first look, without the call */
        rt_reent_exit(gp);
    arch_intr_off();
    struct m *m = gp->m;
    struct p *pp = m->p;
    /* No c->intena = false, as mcall writes: it is read only when noff drops to 0, and
     * written first whenever noff leaves 0 (intr_push), so a stale value is never read. */
    if (__builtin_expect(gp->stack_hi - gp->stack_lo == GORO_STACK_DEFAULT && pp->ngfree + 1 < GFREE_LOCAL_MAX, 1)) {
        goexit_dead(m, gp);
        gp->schedlink = pp->gfree;   /* gfput's local case */
        pp->gfree = gp;
        pp->ngfree++;
        schedule_exit(m);
    }
    struct g *g0 = m->g0;        /* loaded once: arch_set_thread clobbers memory */
    arch_set_thread(g0);
    arch_mcall_drop(&g0->ctx, goexit_m, gp);
}

_Noreturn void goro_goexit(void)
{
    struct g *gp = getg();
    if (gp->is_g0)
        throw("goro_goexit: not on a goroutine");
    goexit1(gp);
}

/* First code of every goroutine (on its own stack, interrupts off from execute); its
 * return is the goroutine's end. */
static void goentry(void)
{
    arch_intr_on();
    struct g *gp = getg();
    gp->fn(gp->arg);
    goexit1(getg());
}

int64_t goro_id(void) { return getg()->is_g0 ? 0 : getg()->id; }
int goro_numgoroutine(void) { return __atomic_load_n(&sched.ngoroutines, __ATOMIC_RELAXED); }
int goro_ncpu(void) { return ncpu; }
int goro_cpu(void) { return arch_cpu()->id; }
