/* Sweeping: freeing the objects the last mark left unmarked, lazily and concurrently.
 *
 * Span sweep generations (Go's mspan.sweepgen), with sweepgen advanced by 2 at each
 * mark termination (world stopped):
 *   s->sweepgen == sweepgen - 2   the span needs sweeping
 *   s->sweepgen == sweepgen - 1   it is being swept (by whoever won the CAS)
 *   s->sweepgen == sweepgen       swept, ready to allocate from
 * Every allocation sweeps spans in proportion to the bytes it takes (pacer.c's
 * sweep_pace), so the sweep ends, and heap_alloc falls to the live heap, long before the
 * next cycle is due; an allocator that finds the next cycle due finishes the sweep; an
 * allocator that takes a span from a central list sweeps it first if nobody has (lazy
 * sweep), so allocation never waits for the whole sweep. The GC goroutine sweeps after
 * mark termination only while its core has nothing else to run (all of it for
 * goro_gc's waiters: mgc.c's bgsweep), and sweep termination finishes what is left. heap_freed
 * counts the bytes freed: heap_alloc + heap_freed is every byte ever allocated. Freed objects are overwritten with a
 * poison pattern, so a use after free reads garbage that tests can see. */
#include <string.h>
#include "heap.h"

#define POISON 0xdeadbeefdeadbeefULL
uint32_t sweepgen = 2;
uint64_t heap_freed;                            /* atomic */
static uint32_t sweep_next, sweep_limit;        /* atomic: allspans index to sweep next */

void sweep_start(void)                          /* world stopped, after sweepgen += 2 */
{
    __atomic_store_n(&sweep_limit, nallspans, __ATOMIC_RELEASE);
    __atomic_store_n(&sweep_next, 0, __ATOMIC_RELEASE);
}

static void poison(uintptr_t p, size_t n)
{
    for (uint64_t *w = (uint64_t *)p, *e = (uint64_t *)(p + n); w < e; w++)
        *w = POISON;
}

/* Sweep s (we own it: its sweepgen is sweepgen - 1). for_cache: the caller takes the
 * span into its cache, so it doesn't go back to a list or to the page heap. */
static void sweep_owned(struct span *s, bool for_cache)
{
    if (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) != GC_OFF)
        throw("sweep: span 0x%lx swept during marking (sweepgen %u of %u)", (unsigned long)s->base,
              (unsigned)s->sweepgen, (unsigned)sweepgen);
    if (s->nelems == 1) {                                     /* a large object */
        if (!(s->mark[0] & 1)) {
            __atomic_sub_fetch(&heap_alloc, s->elemsize, __ATOMIC_RELAXED);
            __atomic_add_fetch(&heap_freed, s->elemsize, __ATOMIC_RELAXED);
            poison(s->base, s->elemsize);
            s->alloc[0] = 0;
            __atomic_store_n(&s->sweepgen, sweepgen, __ATOMIC_RELEASE);
            span_free(s);
            return;
        }
        s->mark[0] = 0;
        __atomic_store_n(&s->sweepgen, sweepgen, __ATOMIC_RELEASE);
        return;
    }
    uint32_t freed = 0;
    for (int w = 0; w < SPAN_WORDS; w++) {
        uint64_t dead = s->alloc[w] & ~s->mark[w];
        s->alloc[w] &= s->mark[w];
        s->mark[w] = 0;
        freed += (uint32_t)__builtin_popcountll(dead);
        while (dead) {
            uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(dead);
            dead &= dead - 1;
            poison(s->base + (uintptr_t)i * s->elemsize, s->elemsize);
        }
    }
    s->nfree += freed;
    s->freeindex = 0;
    if (freed) {
        __atomic_sub_fetch(&heap_alloc, (uint64_t)freed * s->elemsize, __ATOMIC_RELAXED);
        __atomic_add_fetch(&heap_freed, (uint64_t)freed * s->elemsize, __ATOMIC_RELAXED);
    }
    __atomic_store_n(&s->sweepgen, sweepgen, __ATOMIC_RELEASE);
    if (for_cache)
        return;
    central_lock(s->spc);
    bool release = false;
    if (!s->incache) {
        if (s->nfree == s->nelems) {
            central_remove(s);
            release = true;
        } else if (s->nfree) {
            central_put(s);
        }
    }
    central_unlock(s->spc);
    if (release)
        span_free(s);
}

/* Make sure s is swept; true if this call swept it. for_cache as above. */
static bool ensure(struct span *s, bool for_cache)
{
    uint32_t sg = __atomic_load_n(&sweepgen, __ATOMIC_ACQUIRE), want = sg - 2;
    if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SPAN_INUSE)
        return false;
    if (cas_acq_rel(&s->sweepgen, &want, sg - 1, false, __ATOMIC_ACQUIRE)) {
        sweep_owned(s, for_cache);
        return true;
    }
    while (__atomic_load_n(&s->sweepgen, __ATOMIC_ACQUIRE) == sg - 1)   /* someone else sweeps it */
        arch_relax();
    return false;
}

bool span_ensure_swept(struct span *s) { return ensure(s, true); }

/* Spans of this sweep taken so far (swept, or being swept), and whether any is left. */
uint32_t sweep_progress(void)
{
    uint32_t n = __atomic_load_n(&sweep_next, __ATOMIC_ACQUIRE), lim = __atomic_load_n(&sweep_limit, __ATOMIC_ACQUIRE);
    return n < lim ? n : lim;
}

bool sweep_pending(void)
{
    return __atomic_load_n(&sweep_next, __ATOMIC_RELAXED) < __atomic_load_n(&sweep_limit, __ATOMIC_RELAXED);
}

/* Sweep one unswept span, if any is left; false when the sweep is done. */
bool sweepone(void)
{
    for (;;) {
        uint32_t i = __atomic_fetch_add(&sweep_next, 1, __ATOMIC_ACQ_REL);
        if (i >= __atomic_load_n(&sweep_limit, __ATOMIC_ACQUIRE))
            return false;
        spin_lock(&heap_lock);
        struct span *s = allspans[i];
        spin_unlock(&heap_lock);
        if (ensure(s, false))
            return true;
    }
}
