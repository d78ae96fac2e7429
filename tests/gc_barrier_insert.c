/* The insertion half of the write barrier: while a goroutine's stack is grey (not yet
 * scanned this cycle), goro_store shades the pointer it stores. Without that, a white
 * object whose only reference moves from a grey stack into a black object, and leaves
 * the stack before the scan, is freed while reachable.
 *
 * Each worker, per round: before a cycle, allocates an object W and keeps only a
 * masked copy of its address (invisible to the conservative scan, as if the slot were
 * overwritten before the scan); once marking has begun and its own stack is still
 * grey, it allocates B (black: allocated during mark), stores W into B with goro_store
 * and drops W, all non-preemptible so that the scan can't come in between. B stays
 * reachable from a global. Two cycles later W must still hold its pattern: a freed W
 * is poisoned by the sweep or reused. A round whose stack was scanned before it saw
 * the mark phase doesn't count; the test needs enough rounds that did (30, or at least 8
 * within 40 s of board time). It runs at SMP=4: with 2 cores the window is so narrow that
 * some runs made fewer than 8 in 200 rounds.
 *
 * Negative control: without shade(ptr) in write_barrier (mgc.c) this fails at once. */
//! smp: 4
//! timeout: 90
//! seeds: 2
//! lockrank: yes
#include "check.h"
#include "heap.h"

#define MASK ((uintptr_t)0x5a5a5a5a5a5a5a5aULL)
#define NWMAX 16
#define ROUNDS 2000
#define WANT_HITS 30            /* insertions made while the stack was grey, all workers... */
#define MIN_HITS 8              /* ...at least this many before the deadline */
#define DEADLINE_NS 40000000000LL   /* 20 s gave virt-arm SMP 4 4-7 hits under host load 8-20 */

struct obj {
    struct obj *p;
    uint64_t pat[7];
};

static struct obj *keep[NWMAX];       /* globals: written through goro_store */
static volatile int done;
static int bad[NWMAX];
static int total_hits;               /* atomic: insertions made while the stack was grey */
/* Globals are scanned before the stacks: this ballast holds the mark phase's stack
 * scans back long enough for running workers to see marking begin with grey stacks.
 * 256 K words since scan_block reads four words an iteration: with 64 K, riscv64's
 * LOCKRANK run made 5 hits in 20 s (30 in 7 s before); with 256 K, 30-32 in 7-19 s. */
static volatile uintptr_t ballast[256 * 1024];
static int64_t deadline;
static goro_waitgroup wg;

static uint64_t num_gc(void)
{
    goro_gcstats st;
    goro_gc_stats(&st);
    return st.num_gc;
}

/* W, known only as a masked address. noinline: W's address stays in this dead frame. */
static __attribute__((noinline)) uintptr_t make_hidden(uint64_t tag)
{
    struct obj *w = goro_alloc(sizeof *w);
    if (!w)
        goro_panic("out of memory");
    for (int i = 0; i < 7; i++)
        w->pat[i] = tag + (uint64_t)i;
    return (uintptr_t)w ^ MASK;
}

/* The insertion, with W's address alive only in this frame and its registers. */
static __attribute__((noinline)) void insert(struct obj *b, uintptr_t hidden)
{
    goro_store(&b->p, (void *)(hidden ^ MASK));
}

/* Overwrite the caller-saved registers and the dead stack that held W's address. */
static __attribute__((noinline)) uint64_t scrub(uint64_t x)
{
    volatile uint64_t junk[64];
    for (int i = 0; i < 64; i++)
        junk[i] = x * (uint64_t)(i + 1);
    uint64_t a = x + 1, b = x ^ 3, c = x * 5, d = x - 7, e = x << 2, f = x >> 1, g = ~x, h = x | 9;
    for (int i = 0; i < 8; i++) {
        a += b ^ c; b += c ^ d; c += d ^ e; d += e ^ f; e += f ^ g; f += g ^ h; g += h ^ a; h += a ^ b;
    }
    return a + b + c + d + e + f + g + h + junk[x % 64];
}

static void worker(void *arg)
{
    long id = (long)arg;
    uint64_t sink = 0;
    for (int r = 0; r < ROUNDS && __atomic_load_n(&total_hits, __ATOMIC_RELAXED) < WANT_HITS &&
                    goro_nanotime() < deadline; r++) {
        uint64_t tag = ((uint64_t)id << 32) | ((uint64_t)r << 8);
        while (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) != GC_OFF)
            goro_gosched();
        uint64_t n0 = num_gc();
        uintptr_t hidden = make_hidden(tag);
        sink += scrub(tag);
        /* Wait for marking to begin (the driver collects back to back). */
        int64_t until = goro_nanotime() + 2000000000LL;
        while (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) == GC_OFF && goro_nanotime() < until)
            ;
        struct obj *b = goro_alloc(sizeof *b);
        if (!b)
            goro_panic("out of memory");
        bool hit = false;
        struct m *m = acquirem();
        /* Only in the first mark after W's allocation: a cycle that completed since
         * then rightly freed W (it was hidden from it). */
        if (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) == GC_MARK && !getg()->gcscandone && num_gc() == n0) {
            insert(b, hidden);
            hit = true;
        }
        releasem(m);
        hidden = 0;
        sink += scrub(tag + 1);
        if (!hit)
            continue;
        __atomic_add_fetch(&total_hits, 1, __ATOMIC_RELAXED);
        goro_store(&keep[id], b);
        b = NULL;
        while (num_gc() < n0 + 2)         /* W's cycle ends, the next one sweeps */
            goro_sleep(100000);
        struct obj *w = keep[id]->p;
        for (int i = 0; i < 7; i++)
            if (w->pat[i] != tag + (uint64_t)i) {
                if (!bad[id]++)
                    printf("# worker %ld round %d: W %p word %d is 0x%llx, want 0x%llx\n", id, r, (void *)w, i,
                           (unsigned long long)w->pat[i], (unsigned long long)(tag + (uint64_t)i));
                break;
            }
    }
    (void)sink;
    goro_wg_done(&wg);
}

static void driver(void *arg)
{
    (void)arg;
    while (!done)
        goro_gc();
}

int main(void)
{
    ballast[0] = 1;
    deadline = goro_nanotime() + DEADLINE_NS;
    int nw = 2 * goro_ncpu();
    if (nw > NWMAX)
        nw = NWMAX;
    goro_wg_add(&wg, nw);
    for (long i = 0; i < nw; i++)
        goro_go(worker, (void *)i);
    goro_go(driver, NULL);
    goro_wg_wait(&wg);
    done = 1;
    int h = total_hits, b = 0;
    for (int i = 0; i < nw; i++)
        b += bad[i];
    printf("# %d workers: %d insertions while the stack was grey, %d objects lost\n", nw, h, b);
    check(h >= MIN_HITS, "insertions made while the writer's stack was grey", "only %d", h);
    check(b == 0, "an object stored from a grey stack into a black one survives", "%d of %d lost", b, h);
    return check_failures;
}
