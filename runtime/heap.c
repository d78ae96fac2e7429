/* The collected heap: size classes, spans, per-P caches, and goro_alloc.
 *
 * The arena is a board region [__heap_start, __heap_end) (linker.ld), cut into 8 KiB
 * pages. A span is a run of pages: one page of equal objects of a small size class
 * (16 B .. 2 KiB), or the pages of one large object. spans[] maps every arena page to
 * its span, so a conservative pointer (even interior) finds its object in O(1).
 *
 * Allocation (after Go's malloc.go): each P caches one span per span class (size class
 * x scan/noscan) and allocates from it with no lock (interrupts off, so nothing else on
 * this core touches its cache). An exhausted span goes back to its class's central list
 * and the cache takes a swept span with free slots from there, sweeping unswept spans
 * first if needed (lazy sweep), or a fresh span from the page heap. Large objects get
 * their own span from the page heap. During marking, new objects are allocated black.
 *
 * Publication: from the moment a slot's alloc bit is set until the allocator returns,
 * the only reference to the new object is implicit (a span and an index), which no
 * conservative scan can see. So the allocator must not be preemptible until the
 * pointer itself is in a register: otherwise a whole cycle could run in between, find
 * the object allocated, unmarked and unreferenced, and free it under its caller (an
 * allocation in GC_OFF is white). alloc_small keeps interrupts off through the zeroing
 * and computes p before turning them on; alloc_large is non-preemptible throughout.
 * (Found by tests/gc_concurrent_trees at SMP=1 and 2: a timer tick taken at the
 * intr_pop that used to come before `p = base + i * size` freed live tree nodes.)
 *
 * Locks: heap_lock guards the page heap, spans[], allspans and span states (interrupts
 * off); central[spc].lock guards that class's partial list and the incache/inpartial
 * flags. Order: central -> heap_lock -> mem_lock. */
#include <string.h>
#include "heap.h"

extern char __heap_start[], __heap_end[];

static const uint16_t class_size[NUM_CLASSES] = {
    0, 16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
    640, 768, 896, 1024, 1280, 1536, 1792, 2048,
};
static uint8_t size_to_class[MAX_SMALL / 16 + 1];

struct spinlock heap_lock = SPINLOCK_INIT("heap");
uintptr_t arena_lo, arena_used;                    /* heap_lock for writes; atomic reads */
static uintptr_t arena_hi;                         /* heap_lock */
static struct span **spans;                        /* per page; heap_lock for writes */
static struct span *free_spans;                    /* free page runs (heap_lock) */
static struct span *span_pool;                     /* unused span structs (heap_lock) */
struct span **allspans;                            /* every span ever in use (heap_lock) */
uint32_t nallspans;
static uint32_t allspans_cap;
uint64_t heap_alloc, heap_sys;

static struct central {
    struct spinlock lock;
    struct span *partial;          /* swept spans with free slots, not in a cache */
} central[NUM_SPC];

void heap_init(void)
{
    arena_lo = ((uintptr_t)__heap_start + HEAP_PAGE - 1) & ~(uintptr_t)(HEAP_PAGE - 1);
    arena_hi = (uintptr_t)__heap_end & ~(uintptr_t)(HEAP_PAGE - 1);
    arena_used = arena_lo;
    spans = persistent_alloc((arena_hi - arena_lo) / HEAP_PAGE * sizeof *spans, 8);
    if (!spans)
        throw("heap_init: no memory for the span table");
    memset(spans, 0, (arena_hi - arena_lo) / HEAP_PAGE * sizeof *spans);
    for (int c = 1, sz = 0; sz <= MAX_SMALL; sz += 16) {
        while (class_size[c] < sz)
            c++;
        size_to_class[sz / 16] = (uint8_t)c;
    }
    for (int i = 0; i < NUM_SPC; i++)
        central[i].lock = (struct spinlock)SPINLOCK_INIT("central");
    for (int i = 0; i < GORO_SMP_MAX; i++)
        if (!(ps[i].mcache = persistent_alloc(sizeof(struct mcache), 8)))
            throw("heap_init: no memory for caches");
    pacer_init();
}

/* The in-use span holding address p, or NULL. Any context. */
struct span *span_of(uintptr_t p)
{
    if (p < arena_lo || p >= __atomic_load_n(&arena_used, __ATOMIC_ACQUIRE))
        return NULL;
    struct span *s = __atomic_load_n(&spans[(p - arena_lo) / HEAP_PAGE], __ATOMIC_ACQUIRE);
    return s && __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SPAN_INUSE ? s : NULL;
}

/* The base of the object p points into (an interior pointer is fine), and its index. */
uintptr_t object_base(struct span *s, uintptr_t p, uint32_t *idx)
{
    uint32_t i = s->nelems == 1 ? 0 : (uint32_t)((p - s->base) / s->elemsize);
    *idx = i;
    return s->base + (uintptr_t)i * s->elemsize;
}

/* ---- the page heap (heap_lock held) ---- */
static struct span *span_struct(void)
{
    struct span *s = span_pool;
    if (s)
        span_pool = s->next;
    else if (!(s = persistent_alloc(sizeof *s, 16)))
        return NULL;
    memset(s, 0, sizeof *s);
    return s;
}

static void set_pages(struct span *s, struct span *to)
{
    for (uint32_t i = 0; i < s->npages; i++)
        __atomic_store_n(&spans[(s->base - arena_lo) / HEAP_PAGE + i], to, __ATOMIC_RELEASE);
}

static bool allspans_add(struct span *s)
{
    if (nallspans == allspans_cap) {
        uint32_t cap = allspans_cap ? allspans_cap * 2 : 1024;
        struct span **a = page_alloc(cap * sizeof *a);
        if (!a)
            return false;
        if (allspans) {            /* memcpy from NULL is undefined, even of 0 bytes */
            memcpy(a, allspans, nallspans * sizeof *a);
            page_free(allspans, allspans_cap * sizeof *a);
        }
        allspans = a;
        allspans_cap = cap;
    }
    allspans[nallspans++] = s;
    return true;
}

/* A span of npages in use, from a free run (first fit, split) or fresh arena. */
struct span *span_alloc(uint32_t npages)
{
    spin_lock(&heap_lock);
    struct span *s = NULL;
    for (struct span **l = &free_spans; *l; l = &(*l)->next)
        if ((*l)->npages >= npages) {
            s = *l;
            *l = s->next;
            break;
        }
    if (s && s->npages > npages) {                 /* split: the rest stays free */
        struct span *rest = span_struct();
        if (rest && !allspans_add(rest)) {         /* every span must be swept */
            rest->next = span_pool;
            span_pool = rest;
            rest = NULL;
        }
        if (rest) {
            rest->base = s->base + (uintptr_t)npages * HEAP_PAGE;
            rest->npages = s->npages - npages;
            rest->state = SPAN_FREE;
            set_pages(rest, rest);
            rest->next = free_spans;
            free_spans = rest;
            s->npages = npages;
        }
    }
    if (!s && arena_hi - arena_used >= (uintptr_t)npages * HEAP_PAGE && (s = span_struct())) {
        s->base = arena_used;
        s->npages = npages;
        if (!allspans_add(s)) {
            s->next = span_pool;
            span_pool = s;
            s = NULL;
        } else {
            __atomic_store_n(&arena_used, arena_used + (uintptr_t)npages * HEAP_PAGE, __ATOMIC_RELEASE);
            heap_sys += (uint64_t)npages * HEAP_PAGE;
        }
    }
    if (s) {
        uintptr_t base = s->base;
        uint32_t n = s->npages;
        memset(s, 0, sizeof *s);
        s->base = base;
        s->npages = n;
        s->sweepgen = __atomic_load_n(&sweepgen, __ATOMIC_ACQUIRE);
        set_pages(s, s);
        __atomic_store_n(&s->state, SPAN_INUSE, __ATOMIC_RELEASE);
    }
    spin_unlock(&heap_lock);
    return s;
}

/* Return a span's pages to the page heap. The span struct stays in allspans (marked
 * free) for the sweeper, and is reused by span_alloc of the same base or the pool. */
void span_free(struct span *s)
{
    spin_lock(&heap_lock);
    __atomic_store_n(&s->state, SPAN_FREE, __ATOMIC_RELEASE);
    s->next = free_spans;
    free_spans = s;
    spin_unlock(&heap_lock);
}

/* ---- central lists (the class's lock held by the caller unless noted) ---- */
void central_put(struct span *s)
{
    struct central *c = &central[s->spc];
    if (s->inpartial || s->incache)
        return;
    s->prev = NULL;
    s->next = c->partial;
    if (c->partial)
        c->partial->prev = s;
    c->partial = s;
    s->inpartial = 1;
}

void central_remove(struct span *s)
{
    struct central *c = &central[s->spc];
    if (!s->inpartial)
        return;
    if (s->prev) s->prev->next = s->next;
    else c->partial = s->next;
    if (s->next) s->next->prev = s->prev;
    s->inpartial = 0;
}

/* Sweep takes the class lock itself: put a swept span where it belongs. */
void central_lock(int spc) { spin_lock(&central[spc].lock); }
void central_unlock(int spc) { spin_unlock(&central[spc].lock); }

static void span_init_class(struct span *s, int spc)
{
    s->spc = (uint8_t)spc;
    s->noscan = spc & 1;
    s->elemsize = class_size[spc / 2];
    s->nelems = HEAP_PAGE / s->elemsize;
    s->nfree = s->nelems;
}

/* Class lock held: take a span off the partial list, claimed for a cache at once, so
 * a sweeper that finishes it concurrently neither lists nor frees it. */
static struct span *take_partial(struct central *c)
{
    struct span *s = c->partial;
    if (s) {
        central_remove(s);
        s->incache = 1;
    }
    return s;
}

/* Interrupts off, on pp. A swept span of class spc with a free slot, into the cache. */
static struct span *refill(struct mcache *mc, int spc)
{
    struct central *c = &central[spc];
    spin_lock(&c->lock);
    struct span *old = mc->alloc[spc];
    if (old) {
        old->incache = 0;
        if (old->nfree)
            central_put(old);
    }
    mc->alloc[spc] = NULL;
    struct span *s = take_partial(c);
    spin_unlock(&c->lock);
    for (int tries = 0; !s && tries < 64 && sweepone(); tries++) {   /* lazy sweep */
        spin_lock(&c->lock);
        s = take_partial(c);
        spin_unlock(&c->lock);
    }
    if (s) {
        span_ensure_swept(s);              /* a span left on the list from the last cycle */
    } else {
        if (!(s = span_alloc(1)))
            return NULL;
        span_init_class(s, spc);
        spin_lock(&c->lock);
        s->incache = 1;
        spin_unlock(&c->lock);
    }
    mc->alloc[spc] = s;
    return s;
}

/* World stopped: every P's cached spans go back to central, for the sweep. */
void mcache_flush(struct p *pp)
{
    struct mcache *mc = pp->mcache;
    for (int spc = 0; spc < NUM_SPC; spc++) {
        struct span *s = mc->alloc[spc];
        if (!s)
            continue;
        spin_lock(&central[spc].lock);
        s->incache = 0;
        spin_unlock(&central[spc].lock);
        mc->alloc[spc] = NULL;
    }
}

static uint32_t next_free(struct span *s)
{
    for (uint32_t w = s->freeindex / 64; w < SPAN_WORDS; w++) {
        uint64_t freebits = ~s->alloc[w];
        if (w == s->freeindex / 64)
            freebits &= ~0ULL << (s->freeindex % 64);
        if (freebits) {
            uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(freebits);
            if (i < s->nelems)
                return i;
        }
    }
    return UINT32_MAX;
}

static void mark_new(struct span *s, uint32_t i)
{
    if (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) != GC_OFF) {   /* allocate black */
        __atomic_fetch_or(&s->mark[i / 64], 1ULL << (i % 64), __ATOMIC_RELAXED);
        __atomic_add_fetch(&heap_marked, s->elemsize, __ATOMIC_RELAXED);
    }
}

/* s's next free slot, allocated (black while marking): its index. */
static inline uint32_t take_slot(struct span *s, int spc)
{
    uint32_t i = next_free(s);
    if (i == UINT32_MAX)
        throw("heap: span %p of class %d has nfree %u but no free slot", (void *)s->base, spc, (unsigned)s->nfree);
    s->alloc[i / 64] |= 1ULL << (i % 64);
    s->freeindex = i + 1;
    s->nfree--;
    mark_new(s, i);
    return i;
}

/* GCCHECK builds: take_slot out of line, so that the bitmap words it reads (the free
 * search's and the `|=`'s; 64-bit words, held in 32-bit halves on ARM) stay in registers
 * the call gives back, which alloc_small clears before turning interrupts on. A tick
 * taken at that intr_pop saved them in its trap frame, and a goroutine whose stack was
 * scanned earlier then showed the checkmark a bitmap half that looked like an interior
 * pointer to a garbage object (virt-arm, world_torture_checkmark, about 1 run in 200:
 * the word 0x41488349 in r5, the upper half of an alloc word loaded by the `|=`, still
 * there at the `cpsie`). To the collector such a word only keeps garbage one more cycle;
 * the checkmark cannot tell it from a pointer the mark missed. */
static __attribute__((noinline)) uint32_t take_slot_out_of_line(struct span *s, int spc) { return take_slot(s, spc); }

static void *alloc_small(size_t size, bool noscan)
{
    int spc = size_to_class[(size + 15) / 16] * 2 + noscan;
    intr_push();
    struct mcache *mc = getg()->m->p->mcache;
    struct span *s = mc->alloc[spc];
    if (!s || s->nfree == 0)
        s = refill(mc, spc);
    if (!s) {
        intr_pop();
        return NULL;
    }
    uint32_t i = GORO_GCCHECK ? take_slot_out_of_line(s, spc) : take_slot(s, spc);
    __atomic_add_fetch(&heap_alloc, s->elemsize, __ATOMIC_RELAXED);
    void *p = (void *)(s->base + (uintptr_t)i * s->elemsize);
    memset(p, 0, s->elemsize);
    if (GORO_GCCHECK)
        arch_clear_scratch();          /* memset's end pointers too: see take_slot_out_of_line */
    intr_pop();                        /* p is live from here: see "Publication" above */
    return p;
}

/* Non-preemptible (mlocks, interrupts on: zeroing a large object takes a while) from
 * the span's allocation until p is in a register: a cycle can't end in between, with the
 * span allocated but not yet an object, or an object no pointer on any stack names. */
static void *alloc_large(size_t size, bool noscan)
{
    uint32_t npages = (uint32_t)((size + HEAP_PAGE - 1) / HEAP_PAGE);
    struct m *m = acquirem();
    struct span *s = span_alloc(npages);
    if (!s) {
        releasem(m);
        return NULL;
    }
    s->spc = noscan;
    s->noscan = noscan;
    s->elemsize = npages * HEAP_PAGE;
    s->nelems = 1;
    memset((void *)s->base, 0, s->elemsize);
    intr_push();                       /* alloc bit and mark in one phase, as alloc_small */
    s->alloc[0] = 1;
    mark_new(s, 0);
    intr_pop();
    __atomic_add_fetch(&heap_alloc, s->elemsize, __ATOMIC_RELAXED);
    void *p = (void *)s->base;
    releasem(m);
    return p;
}

static void *mallocgc(size_t n, bool noscan)
{
    if (getg()->is_g0 || is_boot_thread(getg()))
        throw("goro_alloc: called outside a goroutine");
    if (n == 0)
        n = 1;
    if (n > arena_hi - arena_lo)
        return NULL;
    gc_assist(n);
    for (int attempt = 0; attempt < 2; attempt++) {
        void *p = n <= MAX_SMALL ? alloc_small(n, noscan) : alloc_large(n, noscan);
        if (p) {
            gc_trigger_check();
            return p;
        }
        goro_gc();                      /* out of memory: a full collection, then retry */
    }
    return NULL;
}

void *goro_alloc(size_t n) { return mallocgc(n, false); }
void *goro_alloc_noscan(size_t n) { return mallocgc(n, true); }
