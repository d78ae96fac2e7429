/* Host tests of the timer heap in runtime/timer.c: timer_add, timers_run, timer_del and
 * the published timer0_when, checked after every step against the heap invariant and
 * against a plain list of the live timers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "host.h"

#define NG 4096
static struct g gs[NG];
static struct p pp_;
static struct p *const pp = &pp_;

static int gid(struct g *gp) { return gp ? (int)(gp - gs) : -1; }

static void reset(void)
{
    if (pp->timers)
        page_free(pp->timers, pp->timers_cap * sizeof *pp->timers);
    memset(pp, 0, sizeof *pp);
    pp->timer_lock.name = "timer";
    pp->timer0_when = INT64_MAX;          /* as rt_init leaves it */
    memset(gs, 0, sizeof gs);
    for (int i = 0; i < NG; i++) {
        gs[i].id = i;
        gs[i].timer_idx = -1;
    }
    host_nreadied = 0;
}

/* The heap is a heap, every index is right, and timer0_when is its root. */
static bool heap_ok(const char *when)
{
    bool ok = true;
    for (int i = 0; i < pp->ntimers && ok; i++) {
        struct g *gp = pp->timers[i];
        ok &= expect(gp->timer_idx == i && gp->timer_p == pp, "%s: G%d at heap[%d] says index %d, P %p", when,
                     gid(gp), i, gp->timer_idx, (void *)gp->timer_p);
        if (i > 0)
            ok &= expect(pp->timers[(i - 1) / 2]->timer_when <= gp->timer_when,
                         "%s: heap[%d] (%lld) is earlier than its parent heap[%d] (%lld)", when, i,
                         (long long)gp->timer_when, (i - 1) / 2, (long long)pp->timers[(i - 1) / 2]->timer_when);
    }
    int64_t want = pp->ntimers ? pp->timers[0]->timer_when : INT64_MAX;
    ok &= expect(pp->timer0_when == want, "%s: timer0_when %lld, want %lld", when, (long long)pp->timer0_when,
                 (long long)want);
    return ok;
}

static void empty(void)
{
    case_begin("timer empty heap: timers_run fires nothing, timer0_when is INT64_MAX");
    reset();
    pp->timer0_when = 0;
    int n = timers_run(pp, INT64_MAX);
    expect(n == 0 && host_nreadied == 0, "fired %d, readied %d", n, host_nreadied);
    expect(pp->timer0_when == INT64_MAX, "timer0_when %lld after running an empty heap", (long long)pp->timer0_when);
    expect(!timer_del(&gs[0]), "timer_del of a G without a timer returned true");
    case_end();
}

static void add(void)
{
    case_begin("timer timer_add publishes the earliest in timer0_when");
    reset();
    int total0 = timers_total();
    int64_t whens[] = { 50, 30, 40, 10, 20, 10, 60, 5 };
    int64_t want[] = { 50, 30, 30, 10, 10, 10, 10, 5 };
    for (int i = 0; i < 8; i++) {
        timer_add(pp, &gs[i], whens[i]);
        expect(pp->timer0_when == want[i], "after adding %lld: timer0_when %lld, want %lld", (long long)whens[i],
               (long long)pp->timer0_when, (long long)want[i]);
        expect(gs[i].timer_when == whens[i] && gs[i].timer_p == pp, "G%d: timer_when %lld, P %p", i,
               (long long)gs[i].timer_when, (void *)gs[i].timer_p);
        heap_ok("add");
    }
    expect(pp->ntimers == 8, "ntimers %d, want 8", pp->ntimers);
    expect(timers_total() - total0 == 8, "timers_total grew by %d, want 8", timers_total() - total0);
    expect(host_nreadied == 0, "timer_add readied a goroutine");
    timers_run(pp, INT64_MAX);
    expect(timers_total() == total0, "timers_total %d after firing all, want %d", timers_total(), total0);
    case_end();
}

static void run_order(uint64_t seed)
{
    case_begin("timer timers_run fires exactly the due timers, earliest first (1000 timers)");
    reset();
    enum { N = 1000 };                     /* past the first 512-slot array */
    int perm[N];
    for (int i = 0; i < N; i++)
        perm[i] = i;
    srand((unsigned)seed);
    for (int i = N - 1; i > 0; i--) {
        int j = rand() % (i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (int i = 0; i < N; i++)            /* G k sleeps until 100 + k */
        timer_add(pp, &gs[perm[i]], 100 + perm[i]);
    heap_ok("after adding");
    int n = timers_run(pp, 99);
    expect(n == 0 && host_nreadied == 0, "now 99: fired %d before any was due", n);
    for (int k = 0; k < N; k++) {          /* one per tick, in order */
        host_nreadied = 0;
        n = timers_run(pp, 100 + k);
        if (!expect(n == 1 && host_nreadied == 1 && host_readied[0] == &gs[k],
                    "now %d: fired %d, first G%d, want just G%d (seed %llu)", 100 + k, n,
                    host_nreadied ? gid(host_readied[0]) : -1, k, (unsigned long long)seed))
            break;
        expect(gs[k].timer_idx == -1 && gs[k].timer_p == NULL, "fired G%d still says index %d", k, gs[k].timer_idx);
        if (!heap_ok("running"))
            break;
    }
    expect(pp->ntimers == 0 && pp->timer0_when == INT64_MAX, "%d timers left, timer0_when %lld", pp->ntimers,
           (long long)pp->timer0_when);

    /* Batches: everything due at now fires in one call, nothing later does. */
    reset();
    for (int i = 0; i < N; i++)
        timer_add(pp, &gs[perm[i]], 100 + perm[i] / 4);   /* four timers per tick */
    int fired = 0;
    for (int64_t now = 95; now < 100 + N / 4 + 5; now += 7) {
        host_nreadied = 0;
        n = timers_run(pp, now);
        expect(n == host_nreadied, "now %lld: returned %d but readied %d", (long long)now, n, host_nreadied);
        for (int i = 0; i < host_nreadied; i++) {
            int k = gid(host_readied[i]);
            expect(100 + k / 4 <= now && 100 + k / 4 > now - 7, "now %lld: fired G%d due at %d (seed %llu)",
                   (long long)now, k, 100 + k / 4, (unsigned long long)seed);
        }
        fired += n;
        expect(fired == (now < 100 ? 0 : now - 99 > N / 4 ? N : 4 * (int)(now - 99)),
               "now %lld: %d fired so far (seed %llu)", (long long)now, fired, (unsigned long long)seed);
        heap_ok("batches");
    }
    case_end();
}

static void del(uint64_t seed)
{
    case_begin("timer timer_del from the middle, the root and the end keeps the heap");
    reset();
    enum { N = 300 };
    srand((unsigned)seed);
    bool live[N];
    for (int i = 0; i < N; i++) {
        timer_add(pp, &gs[i], rand() % 1000);
        live[i] = true;
    }
    int total0 = timers_total();
    for (int round = 0; round < N / 2; round++) {
        int k;
        switch (round % 3) {
        case 0: k = gid(pp->timers[0]); break;                         /* the root */
        case 1: k = gid(pp->timers[pp->ntimers - 1]); break;           /* the last slot */
        default: k = gid(pp->timers[1 + rand() % (pp->ntimers - 1)]); /* anywhere else */
        }
        int before = pp->ntimers;
        expect(timer_del(&gs[k]), "timer_del(G%d) returned false (seed %llu)", k, (unsigned long long)seed);
        live[k] = false;
        expect(pp->ntimers == before - 1, "ntimers %d after a delete, want %d", pp->ntimers, before - 1);
        expect(gs[k].timer_idx == -1 && gs[k].timer_p == NULL, "deleted G%d keeps index %d", k, gs[k].timer_idx);
        expect(!timer_del(&gs[k]), "deleting G%d twice returned true", k);
        if (!heap_ok("deleting"))
            break;
    }
    expect(total0 - timers_total() == N / 2, "timers_total fell by %d, want %d", total0 - timers_total(), N / 2);
    int n = timers_run(pp, INT64_MAX);
    expect(n == N - N / 2, "fired %d, want the %d never deleted", n, N - N / 2);
    for (int i = 0; i < host_nreadied; i++)
        expect(live[gid(host_readied[i])], "deleted G%d fired (seed %llu)", gid(host_readied[i]),
               (unsigned long long)seed);
    case_end();
}

/* Random adds, deletes and runs, checked against the plain list of live timers. */
static void random_ops(uint64_t seed)
{
    case_begin("timer random add/del/run agrees with a reference list (20000 steps)");
    reset();
    srand((unsigned)seed);
    bool live[NG] = { false };
    int64_t now = 0;
    for (int step = 0; step < 20000; step++) {
        int r = rand() % 10, k = rand() % NG;
        if (r < 5 && !live[k]) {
            timer_add(pp, &gs[k], now + rand() % 500);
            live[k] = true;
        } else if (r < 8) {
            bool had = timer_del(&gs[k]);
            expect(had == live[k], "step %d: timer_del(G%d) returned %d, live %d (seed %llu)", step, k, had, live[k],
                   (unsigned long long)seed);
            live[k] = false;
        } else {
            now += rand() % 60;
            host_nreadied = 0;
            int want = 0;
            for (int i = 0; i < NG; i++)
                want += live[i] && gs[i].timer_when <= now;
            int n = timers_run(pp, now);
            expect(n == want && host_nreadied == want, "step %d now %lld: fired %d, readied %d, want %d (seed %llu)",
                   step, (long long)now, n, host_nreadied, want, (unsigned long long)seed);
            for (int i = 0; i < host_nreadied; i++) {
                struct g *gp = host_readied[i];
                expect(live[gid(gp)] && gp->timer_when <= now, "step %d: fired G%d (live %d, due %lld, now %lld)",
                       step, gid(gp), live[gid(gp)], (long long)gp->timer_when, (long long)now);
                live[gid(gp)] = false;
            }
        }
        int64_t min = INT64_MAX;
        int nlive = 0;
        for (int i = 0; i < NG; i++)
            if (live[i]) {
                nlive++;
                if (gs[i].timer_when < min)
                    min = gs[i].timer_when;
            }
        expect(pp->ntimers == nlive, "step %d: %d in the heap, %d live (seed %llu)", step, pp->ntimers, nlive,
               (unsigned long long)seed);
        expect(pp->timer0_when == min, "step %d: timer0_when %lld, earliest live %lld (seed %llu)", step,
               (long long)pp->timer0_when, (long long)min, (unsigned long long)seed);
        if (!heap_ok("random"))
            break;
    }
    case_end();
}

static void grow(void)
{
    case_begin("timer heap grows past 512 entries and frees the old array");
    reset();
    long bytes0 = host_page_bytes;
    for (int i = 0; i < 1500; i++)
        timer_add(pp, &gs[i], 3000 - i);
    expect(pp->timers_cap == 2048, "capacity %d, want 2048", pp->timers_cap);
    expect(host_page_bytes - bytes0 == 2048 * (long)sizeof(struct g *), "%ld bytes held, want only the %ld-byte array",
           host_page_bytes - bytes0, 2048 * (long)sizeof(struct g *));
    heap_ok("grown");
    int n = timers_run(pp, 3000 - 1000);
    expect(n == 500, "fired %d of the 500 due", n);
    heap_ok("after running");
    case_end();

    case_begin("timer timer_add panics when the heap cannot grow");
    reset();
    jmp_buf jb;
    host_page_alloc_fail = 1;
    if (setjmp(jb) == 0) {
        host_panic_catch = &jb;
        timer_add(pp, &gs[0], 1);
        host_panic_catch = NULL;
        expect(false, "timer_add returned without memory for its heap");
    } else {
        host_panic_catch = NULL;
        expect(strstr(host_panic_msg, "timer_add: out of memory") != NULL, "panic said \"%s\"", host_panic_msg);
        memset(&pp->timer_lock, 0, sizeof pp->timer_lock);   /* the panic left it held */
        struct cpu *c = arch_cpu();
        c->noff = 0;
        arch_intr_on();
    }
    host_page_alloc_fail = 0;
    pp->timers = NULL;
    case_end();
}

int main(void)
{
    host_thread_init(0);
    const char *env = getenv("HOST_SEED");    /* replay a failure with HOST_SEED=N */
    uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
    empty();
    add();
    run_order(seed);
    del(seed);
    random_ops(seed);
    grow();
    reset();
    return host_failures() ? 1 : 0;
}
