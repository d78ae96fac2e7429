/* Collector correctness under concurrency: binary trees mutated by several goroutines
 * (subtrees replaced and swapped through goro_store) while collections run back to back; the trees
 * stay intact (every node's sum checked, and a freed node would read as poison) and
 * steady-state allocation doesn't grow the heap without bound.
 * At SMP=1 and 2 (goroutines preempted often) this found the allocator's publication
 * bug (runtime/heap.c): a tick taken between setting a slot's alloc bit and computing
 * its pointer let a whole cycle free the new node under its caller. Negative control:
 * move alloc_small's intr_pop() back before `p = ...` and every run here fails. */
//! smp: 1 2 4
//! seeds: 3
//! timeout: 120
//! lockrank: yes
#include "check.h"

struct tree { struct tree *left, *right; uint64_t key, sum; };
#define WORKERS 3
static struct tree *roots[WORKERS];
static volatile int stop;
static goro_waitgroup wg;
static uint64_t bad;

static struct tree *build(int depth, uint64_t key)
{
    struct tree *t = goro_alloc(sizeof *t);
    t->key = key;
    if (depth > 0) {
        goro_store(&t->left, build(depth - 1, key * 2));
        goro_store(&t->right, build(depth - 1, key * 2 + 1));
    }
    t->sum = key + (t->left ? t->left->sum : 0) + (t->right ? t->right->sum : 0);
    return t;
}

static uint64_t verify(struct tree *t)
{
    if (!t)
        return 0;
    uint64_t s = t->key + verify(t->left) + verify(t->right);
    if (s != t->sum)
        __atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
    return s;
}

static void worker(void *arg)
{
    long id = (long)arg;
    /* A 24-bit generator: its state never looks like a heap pointer on any board, which
     * matters to GCCHECK on 32-bit (a live integer equal to a dead object's address is
     * a root to the checkmark but was rightly left white by the concurrent mark). */
    uint32_t r = (uint32_t)(goro_seed() * 31 + (uint64_t)id) & 0xffffff;
    goro_store(&roots[id], build(8, 1));
    while (!stop) {
        r = (r * 1103515245u + 12345u) & 0xffffff;
        /* Replace a random subtree at depth 2 with a fresh one of the same keys. */
        struct tree *parent = roots[id]->left;
        if ((r >> 16) & 1)
            parent = roots[id]->right;
        struct tree **slot = (r >> 17) & 1 ? &parent->left : &parent->right;
        if ((r >> 18) & 1) {
            goro_store(slot, build(6, (*slot)->key));
        } else {
            /* Swap parent's subtrees (sums stay right). Between the stores one subtree
             * is held only by this goroutine's stack, which may already be black: only
             * the barrier's shade of the overwritten pointer keeps it. */
            struct tree *held = parent->left;
            goro_store(&parent->left, parent->right);
            build(4, 0);                                /* garbage: time for a cycle */
            goro_store(&parent->right, held);
        }
        verify(roots[id]);
    }
    goro_wg_done(&wg);
}

static void collector(void *arg)
{
    (void)arg;
    while (!stop)
        goro_gc();
    goro_wg_done(&wg);
}

int main(void)
{
    goro_wg_add(&wg, WORKERS + 1);
    for (long i = 0; i < WORKERS; i++)
        goro_go(worker, (void *)i);
    goro_go(collector, NULL);
    goro_gcstats st;
    uint64_t sys_early = 0;
    for (int i = 0; i < 40; i++) {
        goro_sleep(50000000);
        if (i == 10) {
            goro_gc_stats(&st);
            sys_early = st.heap_sys;
        }
    }
    stop = 1;
    goro_wg_wait(&wg);
    for (int i = 0; i < WORKERS; i++)
        verify(roots[i]);
    goro_gc_stats(&st);
    printf("# %llu cycles, heap_sys %llu KiB (at 0.5 s %llu KiB), live %llu KiB\n", (unsigned long long)st.num_gc,
           (unsigned long long)st.heap_sys / 1024, (unsigned long long)sys_early / 1024,
           (unsigned long long)st.heap_live / 1024);
    check(bad == 0, "trees intact under concurrent collection (checkmark on)", "%llu bad sums", (unsigned long long)bad);
    check(st.num_gc >= 3, "collections ran", "%llu", (unsigned long long)st.num_gc);
    check(st.heap_sys <= 2 * sys_early + (8u << 20), "steady-state allocation doesn't grow the heap",
          "%llu KiB after %llu KiB", (unsigned long long)st.heap_sys / 1024, (unsigned long long)sys_early / 1024);
    return check_failures;
}
