/* The torture test of the world (the seed's scenario): on every core at once,
 * goroutines calling goro_for_each_p in a loop, goroutines stopping and starting the
 * world, goroutines spinning with no calls, goroutines allocating and mutating linked
 * structures through goro_store, and back-to-back GC cycles whose mark phase scans all
 * those stacks. Everything must finish intact (checksums), every forEachP must have run
 * on every P, and stacks_scanned must grow. Built with UNWRAPPED=1 (see
 * world_torture_unwrapped.c) the same program must deadlock and hit the watchdog. */
//! smp: 4
//! timeout: 240
//! seeds: 2
//! lockrank: yes
#include "check.h"

#ifndef TORTURE_NS
#define TORTURE_NS 8000000000LL          /* board time */
#endif
#ifndef LISTS
#define LISTS 3
#endif
#ifndef GARBAGE
#define GARBAGE 20                       /* garbage objects per list traversal */
#endif
#ifndef FOREACHP
#define FOREACHP 4                       /* goroutines calling goro_for_each_p */
#endif
#ifndef STWS
#define STWS 1                           /* goroutines stopping the world */
#endif
#ifndef SPINNERS
#define SPINNERS 2                       /* goroutines spinning with no calls */
#endif
#ifndef FN_NS
#define FN_NS 20000                      /* how long the forEachP fn takes on each P */
#endif
#define LEN 200

struct node { struct node *next; uint64_t value; uint64_t check; };
static struct node *lists[LISTS];        /* globals: stored through goro_store */
static volatile int stop;
static goro_waitgroup wg;
static uint64_t foreachp_calls, foreachp_bad, stw_rounds, spins;
static int p_hits[GORO_SMP_MAX];

/* Payload words stay below 16 Mi, where no board has RAM: a conservative collector
 * would otherwise take a random payload word for a pointer, on 32-bit boards often. */
static uint64_t mix(uint64_t v) { return (v * 0x9E3779B97F4A7C15ULL ^ (v >> 29)) & 0xffffff; }

static struct node *node(uint64_t v)
{
    struct node *n = goro_alloc(sizeof *n);
    if (!n)
        goro_panic("torture: out of memory");
    n->value = v & 0xffffff;
    n->check = mix(n->value);
    return n;
}

/* Rebuild a list by replacing random nodes; verify every node's checksum as we go. */
static void mutator(void *arg)
{
    long id = (long)arg;
    /* The generator's state stays below 16 Mi too (an LCG mod 2^24, full period). */
    uint32_t r = (uint32_t)(goro_seed() * 1000 + (uint64_t)id) & 0xffffff;
    uint64_t bad = 0;
    struct node *head = NULL;
    for (int i = 0; i < LEN; i++) {
        struct node *n = node(r + (uint64_t)i);
        goro_store(&n->next, head);
        head = n;
    }
    goro_store(&lists[id], head);
    while (!stop) {
        r = (r * 1664525u + 12345u) & 0xffffff;
        int k = (int)((r >> 4) % LEN), len = 0;
        struct node *prev = NULL;
        for (struct node *n = lists[id]; n; prev = n, n = n->next, len++) {
            if (n->check != mix(n->value))
                bad++;
            if (len == k) {                          /* replace n with a fresh node */
                struct node *fresh = node(r);
                goro_store(&fresh->next, n->next);
                if (prev)
                    goro_store(&prev->next, fresh);
                else
                    goro_store(&lists[id], fresh);
                n = fresh;
            }
        }
        if (len != LEN)
            bad++;
        for (int g = 0; g < GARBAGE; g++)            /* garbage */
            goro_alloc(48 + (r >> 8) % 400);
    }
    if (bad)
        printf("not ok - mutator %ld found %llu broken nodes\n", id, (unsigned long long)bad);
    goro_wg_done(&wg);
}

static void count_p(int p, void *arg)
{
    (void)arg;
    __atomic_add_fetch(&p_hits[p], 1, __ATOMIC_RELAXED);
    /* Work at the safe point keeps the caller waiting a while, as real work (a trace
     * buffer flush) does: with a no-op fn and a stopper that sleeps until the last P is
     * done, the waits got so short that the stack scans seldom caught a goroutine in one,
     * and the unwrapped control went 42 s without its deadlock in one run. */
    for (int64_t t0 = goro_nanotime(); goro_nanotime() - t0 < FN_NS;)
        ;
}

static void foreachp_loop(void *arg)
{
    (void)arg;
    while (!stop) {
        int before[GORO_SMP_MAX], n = goro_gomaxprocs(0);
        for (int i = 0; i < n; i++)
            before[i] = __atomic_load_n(&p_hits[i], __ATOMIC_RELAXED);
        goro_for_each_p(count_p, NULL);
        for (int i = 0; i < n; i++)
            if (__atomic_load_n(&p_hits[i], __ATOMIC_RELAXED) == before[i])
                __atomic_add_fetch(&foreachp_bad, 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&foreachp_calls, 1, __ATOMIC_RELAXED);
    }
    goro_wg_done(&wg);
}

static void stw_loop(void *arg)
{
    (void)arg;
    while (!stop) {
        goro_stop_the_world("torture");
        stw_rounds++;
        goro_start_the_world();
        goro_sleep(100000);
    }
    goro_wg_done(&wg);
}

static void spinner(void *arg)
{
    (void)arg;
    uint64_t n = 0;
    while (!stop)
        n++;                                          /* no calls at all */
    __atomic_add_fetch(&spins, n, __ATOMIC_RELAXED);
    goro_wg_done(&wg);
}

static void gc_loop(void *arg)
{
    (void)arg;
    while (!stop)
        goro_gc();
    goro_wg_done(&wg);
}

int main(void)
{
    goro_gcstats st0, st1;
    goro_gc_stats(&st0);
    goro_wg_add(&wg, LISTS + FOREACHP + STWS + SPINNERS + 1);
    for (long i = 0; i < LISTS; i++)
        goro_go(mutator, (void *)i);
    for (int i = 0; i < FOREACHP; i++)
        goro_go(foreachp_loop, NULL);
    for (int i = 0; i < STWS; i++)
        goro_go(stw_loop, NULL);
    for (int i = 0; i < SPINNERS; i++)
        goro_go(spinner, NULL);
    goro_go(gc_loop, NULL);
    int64_t end = goro_nanotime() + TORTURE_NS, beat = 0;
    while (goro_nanotime() < end) {
        goro_sleep(50000000);
        if (++beat % 20 == 0) {               /* a heartbeat: a hang shows where it stopped */
            goro_gcstats st;
            goro_gc_stats(&st);
            printf("# t=%llds: %llu GCs, %llu forEachP, %llu STW\n", (long long)(beat / 20),
                   (unsigned long long)(st.num_gc - st0.num_gc), (unsigned long long)foreachp_calls,
                   (unsigned long long)stw_rounds);
        }
    }
    stop = 1;
    goro_wg_wait(&wg);
    while (goro_numgoroutine() > 1)      /* each has exited, not only called wg_done: */
        goro_sleep(100000);              /* trace_torture's trace must see every end */
    goro_gc_stats(&st1);
    uint64_t bad = 0;
    for (int i = 0; i < LISTS; i++) {
        int len = 0;
        for (struct node *n = lists[i]; n; n = n->next, len++)
            bad += n->check != mix(n->value);
        bad += len != LEN;
    }
    printf("# %llu GC cycles, %llu stacks scanned, %llu forEachP calls, %llu STW rounds, pause max %llu us\n",
           (unsigned long long)(st1.num_gc - st0.num_gc),
           (unsigned long long)(st1.stacks_scanned - st0.stacks_scanned), (unsigned long long)foreachp_calls,
           (unsigned long long)stw_rounds, (unsigned long long)st1.pause_max_ns / 1000);
    check(bad == 0, "linked structures intact (checksums)", "%llu broken", (unsigned long long)bad);
    check(foreachp_bad == 0 && (foreachp_calls > 0 || !FOREACHP), "every forEachP ran fn on every P", "%llu of %llu calls missed a P",
          (unsigned long long)foreachp_bad, (unsigned long long)foreachp_calls);
    check(st1.num_gc - st0.num_gc >= 3 && st1.stacks_scanned > st0.stacks_scanned, "GC cycles ran and scanned stacks",
          "%llu cycles", (unsigned long long)(st1.num_gc - st0.num_gc));
    check((stw_rounds > 0 || !STWS) && (spins > 0 || !SPINNERS), "stop-the-world rounds and spinners progressed", "stw %llu",
          (unsigned long long)stw_rounds);
    return check_failures;
}
