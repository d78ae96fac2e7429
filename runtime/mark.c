/* Marking: grey objects, work buffers, and the scan of roots and stacks.
 *
 * An object is grey once its mark bit is set and it waits in a work buffer to be
 * scanned, black once scanned. shade() greys what a word points to (conservatively:
 * any word that points into an allocated object, interior pointers included). Each P
 * has a work buffer used only by that P (interrupts off around every access); full
 * buffers spill to the global work stack under work_lock, and the ragged barrier
 * (for_each_p, mgc.c) flushes every P's buffer there so the GC can tell the work is
 * done. noscan objects are marked black directly. Sharing (the assists of pacer.c
 * must find work, not park): a marker whose P holds grey objects while the global
 * stack is empty gives away the oldest half of them (balance: as work stealing takes
 * the oldest task, the root of the most work, and in a chain of tables the next table
 * was pushed first), and a P that finds its buffer empty takes half of the global
 * stack, not all of it, so the next P finds some too.
 *
 * Stacks are scanned once per cycle, through suspend_g: the goroutine is stopped at
 * a safe point (or found parked), its stack is scanned from its saved sp to its top,
 * with its saved registers, then it is released. The GC's own goroutine scans itself on
 * g0 with its status waiting (Rule 0: nothing can end up waiting on it meanwhile). */
#include <string.h>
#include "heap.h"
#include "suspend.h"

#define WBUF 256
struct gcwork { int n; uintptr_t buf[WBUF]; };

static struct spinlock work_lock = SPINLOCK_INIT("gc work");
static uintptr_t *gstack;          /* the global work stack (work_lock) */
static size_t gn, gcap;
static uint64_t nscanned;          /* atomic: words scanned, all cycles */
extern char __data_start[], __data_end[], __bss_scan_start[], __bss_end[];

uint64_t words_scanned(void) { return __atomic_load_n(&nscanned, __ATOMIC_RELAXED); }

static struct gcwork *gcw_of(struct p *pp)
{
    if (!pp->gcw && !(pp->gcw = persistent_alloc(sizeof(struct gcwork), 8)))
        throw("gc: no memory for a work buffer");
    return pp->gcw;
}

/* work_lock held: room for n more entries. */
static void gstack_reserve(size_t n)
{
    if (gn + n <= gcap)
        return;
    size_t cap = gcap ? gcap * 2 : 16384;
    while (cap < gn + n)
        cap *= 2;
    uintptr_t *s = page_alloc(cap * sizeof *s);
    if (!s)
        throw("gc: out of memory for the mark stack (%zu entries)", cap);
    if (gstack) {                  /* memcpy from NULL is undefined, even of 0 bytes */
        memcpy(s, gstack, gn * sizeof *s);
        page_free(gstack, gcap * sizeof *s);
    }
    gstack = s;
    gcap = cap;
}

/* Owner of pp (or the world stopped): move its buffer to the global stack. */
void gcwork_flush(struct p *pp)
{
    struct gcwork *w = gcw_of(pp);
    if (!w->n)
        return;
    spin_lock(&work_lock);
    gstack_reserve(w->n);
    memcpy(gstack + gn, w->buf, w->n * sizeof *w->buf);
    gn += w->n;
    w->n = 0;
    spin_unlock(&work_lock);
}

static void push(uintptr_t obj)
{
    intr_push();
    struct p *pp = getg()->m->p;
    struct gcwork *w = gcw_of(pp);
    if (w->n == WBUF)
        gcwork_flush(pp);
    w->buf[w->n++] = obj;
    intr_pop();
}

/* The next grey object for this P, or 0. An empty buffer takes half of the global stack
 * (at most half a buffer), leaving the rest to other Ps. */
static uintptr_t pop(void)
{
    intr_push();
    struct gcwork *w = gcw_of(getg()->m->p);
    uintptr_t obj = 0;
    if (!w->n && __atomic_load_n(&gn, __ATOMIC_RELAXED)) {
        spin_lock(&work_lock);
        int take = (int)((gn + 1) / 2) < WBUF / 2 ? (int)((gn + 1) / 2) : WBUF / 2;
        gn -= take;
        memcpy(w->buf, gstack + gn, take * sizeof *w->buf);
        w->n = take;
        spin_unlock(&work_lock);
    }
    if (w->n)
        obj = w->buf[--w->n];
    intr_pop();
    return obj;
}

/* Give others work (Go's gcWork.balance): when the global stack is empty and this P
 * holds more than a few grey objects, move the oldest half of them there, so that
 * assists and other workers can scan in parallel with us instead of waiting for a
 * spill. The oldest: pushed first, they lead to the most work (the next table of a
 * chain); given the newest (leaves), other Ps ran dry at once while the chain stayed
 * here, on a P whose core may not run for a while (QEMU's round robin under icount). */
static void balance(void)
{
    if (__atomic_load_n(&gn, __ATOMIC_RELAXED))
        return;
    intr_push();
    struct gcwork *w = gcw_of(getg()->m->p);
    if (w->n > 4) {
        int half = w->n / 2;
        spin_lock(&work_lock);
        gstack_reserve(half);
        memcpy(gstack + gn, w->buf, half * sizeof *w->buf);
        gn += half;
        w->n -= half;
        memmove(w->buf, w->buf + half, w->n * sizeof *w->buf);
        spin_unlock(&work_lock);
    }
    intr_pop();
}

bool mark_work_left(void)
{
    if (__atomic_load_n(&gn, __ATOMIC_ACQUIRE))
        return true;
    for (int i = 0; i < sched.gomaxprocs; i++)
        if (ps[i].gcw && ((struct gcwork *)ps[i].gcw)->n)
            return true;
    return false;
}

void shade(uintptr_t p)
{
    struct span *s = span_of(p);
    if (!s)
        return;
    uint32_t i;
    uintptr_t base = object_base(s, p, &i);
    if (i >= s->nelems || !bit_get(s->alloc, i))
        return;                               /* a free slot: not an object */
    uint64_t bit = 1ULL << (i % 64);
    if ((__atomic_load_n(&s->mark[i / 64], __ATOMIC_RELAXED) & bit) ||
        (__atomic_fetch_or(&s->mark[i / 64], bit, __ATOMIC_ACQ_REL) & bit))
        return;
    __atomic_add_fetch(&heap_marked, s->elemsize, __ATOMIC_RELAXED);
    if (!s->noscan)
        push(base);
}

/* Grey everything the words of [lo, hi) point to. Most words are not heap pointers:
 * one unsigned compare against the arena, read once, filters them before the call;
 * four words per iteration (riscv64: 3.75 instructions a word instead of 5, gc_pacer's
 * mark 3.51 -> 3.17 ms at SMP 1 under icount).
 * Pages added to the arena during the scan hold only objects allocated after it began,
 * during mark, so black already. */
void scan_block(uintptr_t lo, uintptr_t hi)
{
    lo = (lo + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
    uintptr_t base = arena_lo, span = __atomic_load_n(&arena_used, __ATOMIC_ACQUIRE) - base;
    uintptr_t a = lo;
    for (; a + 4 * sizeof(uintptr_t) <= hi; a += 4 * sizeof(uintptr_t)) {   /* 4 at a time */
        volatile uintptr_t *v = (volatile uintptr_t *)a;
        uintptr_t w0 = v[0], w1 = v[1], w2 = v[2], w3 = v[3];
        if (w0 - base < span)
            shade(w0);
        if (w1 - base < span)
            shade(w1);
        if (w2 - base < span)
            shade(w2);
        if (w3 - base < span)
            shade(w3);
    }
    for (; a + sizeof(uintptr_t) <= hi; a += sizeof(uintptr_t)) {
        uintptr_t w = *(volatile uintptr_t *)a;
        if (w - base < span)
            shade(w);
    }
    __atomic_add_fetch(&nscanned, (hi - lo) / sizeof(uintptr_t), __ATOMIC_RELAXED);
}

/* Grey what the words of an element being copied point to (channel copies during
 * marking move pointers without goro_store). */
void shade_words(const void *p, size_t n)
{
    if (p && n >= sizeof(uintptr_t))
        scan_block((uintptr_t)p, (uintptr_t)p + n);
}

/* Scan grey objects until there are none (budget < 0) or budget objects are done.
 * Each object is taken and scanned non-preemptibly: an object popped from a buffer but
 * not yet scanned is in no buffer, so a preemption there would let mark termination
 * (or the ragged barrier) see no work left while an assist still holds some, and the
 * object's children would be freed. */
void mark_drain(int budget)
{
    while (budget-- != 0) {
        struct m *m = acquirem();
        uintptr_t obj = pop();
        struct span *s = obj ? span_of(obj) : NULL;
        if (s)
            scan_block(obj, obj + s->elemsize);
        releasem(m);
        if (!obj)
            return;
    }
}

/* Scan grey objects until at least want words are scanned or none is left; returns the
 * words scanned (the unit of assist debt and background credit, pacer.c). Objects are
 * taken and scanned non-preemptibly, as in mark_drain. */
uint64_t mark_drain_words(uint64_t want)
{
    uint64_t done = 0;
    for (uint32_t k = 1; done < want; k++) {
        struct m *m = acquirem();
        uintptr_t obj = pop();
        struct span *s = obj ? span_of(obj) : NULL;
        if (s) {
            scan_block(obj, obj + s->elemsize);
            done += s->elemsize / sizeof(uintptr_t);
            if ((k & 7) == 0 && sched.gomaxprocs > 1)   /* every 8th object; alone, no one to share with */
                balance();
        }
        releasem(m);
        if (!obj)
            break;
    }
    return done;
}

/* Globals and the runtime's own roots: data and bss, channel buffers. */
void mark_roots(void)
{
    scan_block((uintptr_t)__data_start, (uintptr_t)__data_end);   /* not the symbol table between */
    scan_block((uintptr_t)__bss_scan_start, (uintptr_t)__bss_end);
    channels_scan();
}

/* gp isn't running (suspended, or the world is stopped): scan its stack, saved
 * registers and start argument. */
/* GCCHECK builds only: zero gp's dead stack below sp (no red zone on either arch).
 * A conservative scan covers [sp, top); a stale pointer below sp that a later, deeper
 * frame leaves in place (padding, an uninitialised array) would come into the
 * checkmark's range pointing at an object the concurrent mark rightly didn't keep,
 * and look like a missed object. Cleared, every word the checkmark sees on a black
 * stack was written after the scan, from memory the mutator could reach. */
static void clear_dead_stack(struct g *gp, uintptr_t sp)
{
    uintptr_t lo = gp->stack_lo + STACK_CANARY_WORDS * sizeof(uint64_t);
    for (uintptr_t a = lo; a < sp; a += sizeof(uintptr_t))
        *(volatile uintptr_t *)a = 0;
}

void scan_stack_of(struct g *gp)
{
    uintptr_t sp = gp->ctx.sp;
    if (sp < gp->stack_lo || sp > gp->stack_hi)
        throw("gc: goroutine %lld has sp 0x%lx outside its stack 0x%lx-0x%lx", (long long)gp->id,
              (unsigned long)sp, (unsigned long)gp->stack_lo, (unsigned long)gp->stack_hi);
    scan_block(sp, gp->stack_hi);
    if (GORO_GCCHECK) {                /* see above */
        clear_dead_stack(gp, sp);
        gp->gcscan_sp = sp;
    }
    scan_block((uintptr_t)&gp->ctx, (uintptr_t)(&gp->ctx + 1));
    shade((uintptr_t)gp->arg);
    gp->gcscandone = true;
    trace_stackscan(gp);
    __atomic_add_fetch(&gc_stacks_scanned, 1, __ATOMIC_RELAXED);
}

/* A goroutine made during marking is born scanned (black), its stack empty: its
 * argument is shaded, as a barrier would when the pointer moves into the new G. In
 * GCCHECK builds its stack is cleared as a scan's is: a reused stack holds the dead
 * goroutine's frames, pointers to what may be garbage now, which the new goroutine's
 * frames would show to the checkmark through the slots they leave unwritten. */
void scan_born(struct g *gp, uintptr_t arg)
{
    static int nobornclear = -1;   /* gcdebug=nobornclear: gc_stack_reuse_off.c's control */
    shade(arg);
    if (!GORO_GCCHECK)
        return;
    if (nobornclear < 0)
        nobornclear = (int)boot_flags("gcdebug", (const char *const[]){ "nobornclear", NULL });
    if (!nobornclear)
        clear_dead_stack(gp, gp->stack_hi);
    gp->gcscan_sp = gp->stack_hi;
}

static void scan_self_m(void *arg) { scan_stack_of(arg); }

/* Every goroutine's stack, once this cycle (concurrent mark). */
void mark_stacks(void)
{
    spin_lock(&allg_lock);
    struct g *first = allgs;
    spin_unlock(&allg_lock);
    for (struct g *gp = first; gp; gp = gp->alllink) {
        if (gp->gcscandone)
            continue;
        if (gp == getg()) {
            wait_on_g0(scan_self_m, gp, "GC self scan");
            continue;
        }
        /* Non-preemptible from suspend to resume: a worker preempted while it owns a
         * stack (SCAN) could be stopped for the world while the stopper waits for that
         * very SCAN to clear (found by the spin model, tests/model). */
        struct m *m = acquirem();
        struct suspend_state st = suspend_g(gp);
        if (!st.dead && !gp->gcscandone)
            scan_stack_of(gp);
        resume_g(st);
        releasem(m);
    }
}
