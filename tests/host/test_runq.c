/* Host tests of runtime/runq.c: the per-P ring (FIFO, runnext, overflow to the global
 * queue, stealing half, gosched's swap of head and tail), the global queue, and a
 * concurrency test: one owner thread putting, getting and swapping while thief threads
 * steal, where every G put must be taken exactly once. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "host.h"

#define NG 16384
static struct g gs[NG];
static struct p pa, pb;

static struct g *G(int i) { return &gs[i]; }
static int gid(struct g *gp) { return gp ? (int)(gp - gs) : -1; }

static void reset(void)
{
    memset(&sched, 0, sizeof sched);
    sched.lock.name = "sched";
    sched.gomaxprocs = 1;
    memset(&pa, 0, sizeof pa);
    memset(&pb, 0, sizeof pb);
    memset(gs, 0, sizeof gs);
    for (int i = 0; i < NG; i++)
        gs[i].id = i;
}

static uint32_t ringlen(struct p *pp)
{
    return __atomic_load_n(&pp->runq_tail, __ATOMIC_ACQUIRE) - __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
}

/* The ring of pp from head to tail is exactly ids from..from+n-1 (step 1). */
static void expect_ring(struct p *pp, int from, int n, const char *what)
{
    expect(ringlen(pp) == (uint32_t)n, "%s: ring holds %u, want %d", what, ringlen(pp), n);
    for (uint32_t i = 0; i < ringlen(pp) && i < (uint32_t)n; i++) {
        struct g *gp = pp->runq[(pp->runq_head + i) % RUNQ_SIZE];
        expect(gid(gp) == from + (int)i, "%s: ring[%u] is G%d, want G%d", what, i, gid(gp), from + (int)i);
    }
}

/* Walk the global queue, checking size, links and tail; returns the count walked. */
static int glob_walk(struct g **out, int max)
{
    int n = 0;
    struct g *last = NULL;
    for (struct g *gp = sched.runq_head; gp && n < max + 1; gp = gp->schedlink) {
        if (n < max)
            out[n] = gp;
        last = gp;
        n++;
    }
    expect(n == sched.runq_size, "global queue: %d linked, runq_size says %d", n, sched.runq_size);
    expect(sched.runq_tail == last, "global queue: tail is G%d, last linked is G%d", gid(sched.runq_tail), gid(last));
    expect(!last || last->schedlink == NULL, "global queue: tail G%d links on to G%d", gid(last),
           last ? gid(last->schedlink) : -1);
    return n;
}

static void fifo(void)
{
    case_begin("runq put/get is FIFO, runqempty follows it");
    reset();
    bool inherit = true;
    expect(runqempty(&pa), "a fresh P is not empty");
    expect(runqget(&pa, &inherit) == NULL, "get from an empty P returned a G");
    expect(!inherit, "get from an empty P set inherit");
    for (int round = 0; round < 3; round++) {      /* the ring wraps on later rounds */
        for (int i = 0; i < 200; i++)
            runqput(&pa, G(i), false);
        expect(!runqempty(&pa), "P with 200 Gs is empty");
        expect(pa.runnext == NULL, "put(next=false) set runnext");
        for (int i = 0; i < 200; i++) {
            struct g *gp = runqget(&pa, &inherit);
            expect(gid(gp) == i, "round %d: get %d returned G%d, want G%d", round, i, gid(gp), i);
            expect(!inherit, "round %d: a G from the ring inherits the time slice", round);
        }
        expect(runqempty(&pa), "P is not empty after taking all");
        expect(runqget(&pa, &inherit) == NULL, "get after draining returned a G");
    }
    expect(sched.runq_size == 0, "the global queue got %d Gs", sched.runq_size);
    case_end();
}

static void runnext(void)
{
    case_begin("runq runnext runs first, inherits, and kicks the old one to the tail");
    reset();
    bool inherit = false;
    runqput(&pa, G(1), false);
    runqput(&pa, G(2), false);
    runqput(&pa, G(10), true);
    expect(pa.runnext == G(10), "runnext is G%d, want G10", gid(pa.runnext));
    expect_ring(&pa, 1, 2, "after put(G10, next)");
    runqput(&pa, G(11), true);              /* G10 goes to the tail */
    expect(pa.runnext == G(11), "runnext is G%d, want G11", gid(pa.runnext));
    expect(ringlen(&pa) == 3 && pa.runq[(pa.runq_tail - 1) % RUNQ_SIZE] == G(10),
           "the old runnext G10 is not at the tail (ring holds %u, tail G%d)", ringlen(&pa),
           gid(pa.runq[(pa.runq_tail - 1) % RUNQ_SIZE]));
    int want[] = { 11, 1, 2, 10 };
    for (int i = 0; i < 4; i++) {
        struct g *gp = runqget(&pa, &inherit);
        expect(gid(gp) == want[i], "get %d returned G%d, want G%d", i, gid(gp), want[i]);
        expect(inherit == (i == 0), "get %d (G%d): inherit %d, want %d", i, gid(gp), inherit, i == 0);
    }
    expect(runqempty(&pa), "P is not empty");
    reset();
    runqput(&pa, G(5), true);
    expect(!runqempty(&pa), "a P with only a runnext is empty");
    expect(runqget(&pa, &inherit) == G(5) && inherit, "runnext alone not returned with inherit");
    expect(runqempty(&pa), "P is not empty after taking its runnext");
    case_end();
}

static void overflow(void)
{
    case_begin("runq a full ring moves half of itself and the new G to the global queue");
    reset();
    for (int i = 0; i < RUNQ_SIZE; i++)
        runqput(&pa, G(i), false);
    expect(ringlen(&pa) == RUNQ_SIZE, "ring holds %u, want %d", ringlen(&pa), RUNQ_SIZE);
    expect(sched.runq_size == 0, "global queue has %d before the ring is over full", sched.runq_size);
    runqput(&pa, G(RUNQ_SIZE), false);
    expect_ring(&pa, RUNQ_SIZE / 2, RUNQ_SIZE / 2, "after overflow");
    struct g *glob[RUNQ_SIZE];
    int n = glob_walk(glob, RUNQ_SIZE);
    expect(n == RUNQ_SIZE / 2 + 1, "global queue holds %d, want %d", n, RUNQ_SIZE / 2 + 1);
    for (int i = 0; i < n && i < RUNQ_SIZE / 2; i++)
        expect(gid(glob[i]) == i, "global[%d] is G%d, want G%d", i, gid(glob[i]), i);
    if (n == RUNQ_SIZE / 2 + 1)
        expect(glob[RUNQ_SIZE / 2] == G(RUNQ_SIZE), "the new G is not last on the global queue");

    /* A full ring overflowing through runnext: the kicked G is the one that moves. */
    reset();
    runqput(&pa, G(1000), true);
    for (int i = 0; i < RUNQ_SIZE; i++)
        runqput(&pa, G(i), false);
    runqput(&pa, G(1001), true);
    expect(pa.runnext == G(1001), "runnext is G%d, want G1001", gid(pa.runnext));
    n = glob_walk(glob, RUNQ_SIZE);
    expect(n == RUNQ_SIZE / 2 + 1 && glob[n - 1] == G(1000), "the kicked runnext G1000 is not last on the "
           "global queue (%d there, last G%d)", n, n ? gid(glob[n - 1]) : -1);
    expect_ring(&pa, RUNQ_SIZE / 2, RUNQ_SIZE / 2, "after overflow through runnext");
    case_end();
}

static void swap(void)
{
    case_begin("runq swap takes the head and puts at the tail, on an empty and a full ring");
    reset();
    expect(runqswap(&pa, G(500)) == NULL && ringlen(&pa) == 0, "swap on an empty ring put or took");
    for (int i = 0; i < RUNQ_SIZE; i++)
        runqput(&pa, G(i), false);
    struct g *gp = runqswap(&pa, G(RUNQ_SIZE));
    expect(gp == G(0), "swap on a full ring took G%d, want G0", gid(gp));
    expect_ring(&pa, 1, RUNQ_SIZE, "after a swap on a full ring");
    expect(sched.runq_size == 0, "a swap spilled %d to the global queue", sched.runq_size);
    case_end();
}

static void steal(void)
{
    case_begin("runq steal takes half (rounded up) in order, and runnext only when asked");
    int sizes[] = { 1, 2, 7, 10, 255, 256 };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = sizes[s], take = n - n / 2;
        reset();
        pa.runq_head = pa.runq_tail = 250 + s;           /* the rings wrap past slot 255 */
        pb.runq_head = pb.runq_tail = 0xfffffff0u + s;   /* and the indices past 2^32 */
        for (int i = 0; i < n; i++)
            runqput(&pa, G(i), false);
        runqput(&pa, G(999), true);
        struct g *gp = runqsteal(&pb, &pa, true);
        expect(gp == G(0), "n=%d: steal returned G%d, want G0", n, gid(gp));
        expect_ring(&pb, 1, take - 1, "thief");
        expect_ring(&pa, take, n - take, "victim");
        expect(pa.runnext == G(999), "n=%d: steal took runnext while the ring had Gs", n);
    }
    reset();
    runqput(&pa, G(7), true);
    expect(runqsteal(&pb, &pa, false) == NULL, "steal_next=false took the runnext");
    expect(pa.runnext == G(7), "steal_next=false disturbed the runnext");
    expect(runqsteal(&pb, &pa, true) == G(7), "steal_next=true did not take the runnext");
    expect(pa.runnext == NULL && runqempty(&pa), "victim not empty after its runnext was stolen");
    expect(runqempty(&pb), "thief's ring got Gs from a runnext steal");
    expect(runqsteal(&pb, &pa, true) == NULL, "steal from an empty P returned a G");
    case_end();
}

static void global(void)
{
    case_begin("runq global queue is FIFO, for single puts and batches");
    reset();
    struct g *glob[512];
    for (int i = 0; i < 3; i++)
        globrunqput(G(i));
    G(3)->schedlink = G(4);                 /* a batch comes linked by its caller */
    G(4)->schedlink = G(5);
    globrunqputbatch(G(3), G(5), 3);
    int n = glob_walk(glob, 512);
    expect(n == 6, "global queue holds %d, want 6", n);
    for (int i = 0; i < n && i < 6; i++)
        expect(glob[i] == G(i), "global[%d] is G%d, want G%d", i, gid(glob[i]), i);
    spin_lock(&sched.lock);
    struct g *gp = globrunqget(&pa, 1);
    spin_unlock(&sched.lock);
    expect(gp == G(0) && sched.runq_size == 5 && runqempty(&pa), "globrunqget(max 1) returned G%d, "
           "size %d, ring %u", gid(gp), sched.runq_size, ringlen(&pa));
    case_end();
}

static void global_share(void)
{
    case_begin("runq globrunqget takes a fair share into the ring");
    reset();
    bool inh;
    struct g *gp, *glob[512];
    for (int i = 0; i < 10; i++)
        globrunqput(G(i));
    sched.gomaxprocs = 2;                   /* share = 10/2 + 1 = 6 */
    spin_lock(&sched.lock);
    gp = globrunqget(&pa, 0);
    spin_unlock(&sched.lock);
    expect(gp == G(0), "returned G%d, want G0", gid(gp));
    expect_ring(&pa, 1, 5, "fair share");
    expect(glob_walk(glob, 512) == 4 && glob[0] == G(6), "global queue after a fair share: head G%d",
           gid(sched.runq_head));
    spin_lock(&sched.lock);
    gp = globrunqget(&pb, 2);
    spin_unlock(&sched.lock);
    expect(gp == G(6), "max 2: returned G%d, want G6", gid(gp));
    expect_ring(&pb, 7, 1, "max 2");
    sched.gomaxprocs = 1;
    spin_lock(&sched.lock);
    gp = globrunqget(&pb, 0);               /* the last two: queue emptied */
    spin_unlock(&sched.lock);
    expect(gp == G(8) && runqget(&pb, &inh) == G(7) && runqget(&pb, &inh) == G(9),
           "draining the global queue: returned G%d", gid(gp));
    if (!expect(sched.runq_head == NULL && sched.runq_tail == NULL && sched.runq_size == 0,
                "an emptied global queue keeps head G%d tail G%d size %d", gid(sched.runq_head),
                gid(sched.runq_tail), sched.runq_size)) {
        case_end();                         /* the global queue is broken: stop here */
        return;
    }
    globrunqput(G(100));                    /* a stale tail would lose this one */
    spin_lock(&sched.lock);
    gp = globrunqget(&pb, 0);
    spin_unlock(&sched.lock);
    expect(gp == G(100), "put after emptying: got G%d back, want G100", gid(gp));
    spin_lock(&sched.lock);
    gp = globrunqget(&pb, 0);
    spin_unlock(&sched.lock);
    expect(gp == NULL, "an empty global queue returned G%d", gid(gp));
    case_end();
}

static void global_cap(void)
{
    case_begin("runq globrunqget takes at most half a ring");
    reset();
    struct g *gp;
    for (int i = 0; i < 300; i++)
        globrunqput(G(i));
    spin_lock(&sched.lock);
    gp = globrunqget(&pa, 0);
    spin_unlock(&sched.lock);
    expect(gp == G(0), "returned G%d, want G0", gid(gp));
    expect_ring(&pa, 1, RUNQ_SIZE / 2 - 1, "capped share");
    expect(sched.runq_size == 300 - RUNQ_SIZE / 2, "global size %d, want %d", sched.runq_size, 300 - RUNQ_SIZE / 2);
    expect(sched.runq_head == G(RUNQ_SIZE / 2), "global head G%d, want G%d", gid(sched.runq_head), RUNQ_SIZE / 2);
    case_end();
}

/* ---- concurrency ---- */
#define NTHIEF 3
#define NP (NTHIEF + 1)
#define MIN_STEALS 20000           /* the test must have exercised these, or it fails */
#define MIN_FULL 200
static struct p cp[NP];
static uint32_t gstate[NG];        /* atomic: 0 free (owner may put it), 1 on some queue */
static uint64_t nput, ntake, nsteal, nglob, nfull, ndup, nbad;
static int first_dup = -1;
static volatile bool stop;
static uint64_t seed0;

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A G came off some queue (NULL: none did). */
static void take(struct g *gp)
{
    if (!gp)
        return;
    if (gp < gs || gp >= gs + NG) {
        __atomic_add_fetch(&nbad, 1, __ATOMIC_RELAXED);
        return;
    }
    uint32_t one = 1;
    if (!__atomic_compare_exchange_n(&gstate[gp - gs], &one, 0, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        __atomic_add_fetch(&ndup, 1, __ATOMIC_RELAXED);
        int none = -1;
        __atomic_compare_exchange_n(&first_dup, &none, (int)(gp - gs), false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
        return;
    }
    __atomic_add_fetch(&ntake, 1, __ATOMIC_RELAXED);
}

static void take_global(struct p *pp, int max)
{
    spin_lock(&sched.lock);
    struct g *gp = globrunqget(pp, max);
    spin_unlock(&sched.lock);
    if (gp) {
        __atomic_add_fetch(&nglob, 1, __ATOMIC_RELAXED);
        take(gp);
    }
}

/* Owner: put a free G (false if none is free now). */
static bool put_one(struct p *pp, uint64_t *cursor, bool next)
{
    struct g *gp = NULL;
    for (int i = 0; i < 64 && !gp; i++, (*cursor)++)
        if (!__atomic_load_n(&gstate[*cursor % NG], __ATOMIC_ACQUIRE))
            gp = &gs[*cursor % NG];
    if (!gp)
        return false;
    __atomic_store_n(&gstate[gp - gs], 1, __ATOMIC_RELEASE);
    __atomic_add_fetch(&nput, 1, __ATOMIC_RELAXED);
    if (ringlen(pp) == RUNQ_SIZE)
        __atomic_add_fetch(&nfull, 1, __ATOMIC_RELAXED);
    runqput(pp, gp, next);
    return true;
}

static void *owner(void *arg)
{
    (void)arg;
    host_thread_init(0);
    struct p *pp = &cp[0];
    uint64_t rnd = seed0, cursor = 0;
    bool inh;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        uint64_t r = xorshift(&rnd);
        if (r % 64 == 0) {                           /* a burst: overflow while thieves steal */
            for (int i = 0; i < RUNQ_SIZE + 64 && put_one(pp, &cursor, false); i++)
                ;
            continue;
        }
        switch (r % 16) {
        default:
            put_one(pp, &cursor, (r >> 8) % 8 == 0);
            break;
        case 8: {                                    /* now and then a gosched: swap a G in */
            if ((r >> 8) % 4) {                      /* else a put, as default: the ring */
                put_one(pp, &cursor, false);         /* must grow for the thieves */
                break;
            }
            struct g *gp = NULL;
            for (int i = 0; i < 64 && !gp; i++, cursor++)
                if (!__atomic_load_n(&gstate[cursor % NG], __ATOMIC_ACQUIRE))
                    gp = &gs[cursor % NG];
            if (!gp)
                break;
            __atomic_store_n(&gstate[gp - gs], 1, __ATOMIC_RELEASE);
            __atomic_add_fetch(&nput, 1, __ATOMIC_RELAXED);
            struct g *next = runqswap(pp, gp);
            take(next ? next : gp);                  /* NULL: gp was not put, it runs on */
            break;
        }
        case 9: case 10: case 11: case 12:          /* run one */
            take(runqget(pp, &inh));
            break;
        case 13:                                     /* the global queue */
            take_global(pp, ringlen(pp) == 0 ? 0 : 1);
            break;
        case 14:                                     /* steal back, into an empty ring */
            if (ringlen(pp) == 0) {
                struct g *gp = runqsteal(pp, &cp[1 + (r >> 8) % NTHIEF], (r >> 16) & 1);
                if (gp) {
                    __atomic_add_fetch(&nsteal, 1, __ATOMIC_RELAXED);
                    take(gp);
                }
            }
            break;
        }
    }
    return NULL;
}

static void *thief(void *arg)
{
    int id = (int)(intptr_t)arg;
    host_thread_init(id);
    struct p *pp = &cp[id];
    uint64_t rnd = seed0 * (id + 1) + id;
    bool inh;
    struct g *gp;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        while ((gp = runqget(pp, &inh)))             /* its ring is empty before each steal */
            take(gp);
        uint64_t r = xorshift(&rnd);
        if (r % 32 == 0) {
            take_global(pp, 0);
            continue;
        }
        int victim = (r >> 8) % 4 ? 0 : 1 + (r >> 16) % NTHIEF;   /* mostly the owner */
        if (victim == id)
            continue;
        gp = runqsteal(pp, &cp[victim], (r >> 24) & 1);
        if (gp) {
            __atomic_add_fetch(&nsteal, 1, __ATOMIC_RELAXED);
            take(gp);
        } else {
            sched_yield();                           /* let the owner refill (2 host cores) */
        }
    }
    while ((gp = runqget(pp, &inh)))
        take(gp);
    return NULL;
}

static void concurrent(double seconds)
{
    reset();
    memset(cp, 0, sizeof cp);
    sched.gomaxprocs = NP;
    const char *env = getenv("HOST_SEED");
    seed0 = (env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL)) | 1;
    pthread_t t[NP];
    pthread_create(&t[0], NULL, owner, NULL);
    for (int i = 1; i < NP; i++)
        pthread_create(&t[i], NULL, thief, (void *)(intptr_t)i);
    /* At least `seconds`, and on until enough steals and overflows (at most 30 s more: a
     * loaded host may leave the thieves little CPU time). */
    struct timespec t0, now, tick = { 0, 20 * 1000 * 1000 };
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double elapsed;
    do {
        nanosleep(&tick, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        elapsed = (double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9;
    } while (elapsed < seconds || (elapsed < seconds + 30 && (__atomic_load_n(&nsteal, __ATOMIC_RELAXED) < MIN_STEALS ||
                                                              __atomic_load_n(&nfull, __ATOMIC_RELAXED) < MIN_FULL)));
    __atomic_store_n(&stop, true, __ATOMIC_RELAXED);
    for (int i = 0; i < NP; i++)
        pthread_join(t[i], NULL);

    /* Every P's owner is gone: this thread owns them all now. Drain what is left. */
    bool inh;
    struct g *gp;
    for (int i = 0; i < NP; i++)
        while ((gp = runqget(&cp[i], &inh)))
            take(gp);
    while (sched.runq_size)
        take_global(&cp[0], 1);

    printf("# runq concurrent: %.1f s, %llu puts, %llu steals, %llu overflows, %llu global takes, seed %llu\n",
           elapsed, (unsigned long long)nput, (unsigned long long)nsteal, (unsigned long long)nfull,
           (unsigned long long)nglob, (unsigned long long)seed0);
    case_begin("runq concurrent owner and %d thieves: every G taken exactly once", NTHIEF);
    expect(ndup == 0, "%llu Gs taken twice (first G%d) (seed %llu)", (unsigned long long)ndup, first_dup,
           (unsigned long long)seed0);
    expect(nbad == 0, "%llu taken pointers are not Gs at all (seed %llu)", (unsigned long long)nbad,
           (unsigned long long)seed0);
    int lost = 0, first_lost = -1;
    for (int i = 0; i < NG; i++)
        if (gstate[i]) {
            if (!lost)
                first_lost = i;
            lost++;
        }
    expect(lost == 0, "%d Gs put and never taken (first G%d) (seed %llu)", lost, first_lost,
           (unsigned long long)seed0);
    expect(ntake == nput, "%llu puts but %llu takes (seed %llu)", (unsigned long long)nput,
           (unsigned long long)ntake, (unsigned long long)seed0);
    for (int i = 0; i < NP; i++)
        expect(runqempty(&cp[i]), "P%d not empty after draining", i);
    expect(sched.runq_head == NULL && sched.runq_tail == NULL, "global queue not empty after draining");
    expect(nsteal >= MIN_STEALS, "only %llu steals: the thieves did not get to steal", (unsigned long long)nsteal);
    expect(nfull >= MIN_FULL, "only %llu puts into a full ring: the overflow path hardly ran",
           (unsigned long long)nfull);
    case_end();
}

int main(int argc, char **argv)
{
    host_thread_init(NP);
    fifo();
    runnext();
    overflow();
    swap();
    steal();
    global();
    global_share();
    global_cap();
    concurrent(argc > 1 ? atof(argv[1]) : 1.0);
    return host_failures() ? 1 : 0;
}
