/* Host tests of the timer heap in runtime/timer.c: timer_add, timers_run, timer_del,
 * timers_move, timer_start/timer_stop and periodic timers, and
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
static int tid(struct timer *t) { return t ? (int)((struct g *)t->arg - gs) : -1; }

/* Every timer's f: ready its goroutine, as goro_sleep's does. */
static void fire(struct timer *t, uint64_t seq)
{
    (void)seq;
    goready(t->arg);
}

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
        gs[i].timer.f = fire;
        gs[i].timer.arg = &gs[i];
    }
    host_nreadied = 0;
}

/* The heap is a heap, every index is right, and timer0_when is its root. */
static bool heap_ok(const char *when)
{
    bool ok = true;
    for (int i = 0; i < pp->ntimers && ok; i++) {
        struct timer *t = pp->timers[i];
        ok &= expect(t->idx == i && t->pp == pp, "%s: G%d at heap[%d] says index %d, P %p", when,
                     tid(t), i, t->idx, (void *)t->pp);
        if (i > 0)
            ok &= expect(pp->timers[(i - 1) / 2]->when <= t->when,
                         "%s: heap[%d] (%lld) is earlier than its parent heap[%d] (%lld)", when, i,
                         (long long)t->when, (i - 1) / 2, (long long)pp->timers[(i - 1) / 2]->when);
    }
    int64_t want = pp->ntimers ? pp->timers[0]->when : INT64_MAX;
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
    expect(!timer_del(&gs[0].timer), "timer_del of a G without a timer returned true");
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
        timer_add(pp, &gs[i].timer, whens[i]);
        expect(pp->timer0_when == want[i], "after adding %lld: timer0_when %lld, want %lld", (long long)whens[i],
               (long long)pp->timer0_when, (long long)want[i]);
        expect(gs[i].timer.when == whens[i] && gs[i].timer.pp == pp, "G%d: timer_when %lld, P %p", i,
               (long long)gs[i].timer.when, (void *)gs[i].timer.pp);
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
        timer_add(pp, &gs[perm[i]].timer, 100 + perm[i]);
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
        expect(gs[k].timer.pp == NULL, "fired G%d still says P %p", k, (void *)gs[k].timer.pp);
        if (!heap_ok("running"))
            break;
    }
    expect(pp->ntimers == 0 && pp->timer0_when == INT64_MAX, "%d timers left, timer0_when %lld", pp->ntimers,
           (long long)pp->timer0_when);

    /* Batches: everything due at now fires in one call, nothing later does. */
    reset();
    for (int i = 0; i < N; i++)
        timer_add(pp, &gs[perm[i]].timer, 100 + perm[i] / 4);   /* four timers per tick */
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
        timer_add(pp, &gs[i].timer, rand() % 1000);
        live[i] = true;
    }
    int total0 = timers_total();
    for (int round = 0; round < N / 2; round++) {
        int k;
        switch (round % 3) {
        case 0: k = tid(pp->timers[0]); break;                         /* the root */
        case 1: k = tid(pp->timers[pp->ntimers - 1]); break;           /* the last slot */
        default: k = tid(pp->timers[1 + rand() % (pp->ntimers - 1)]); /* anywhere else */
        }
        int before = pp->ntimers;
        expect(timer_del(&gs[k].timer), "timer_del(G%d) returned false (seed %llu)", k, (unsigned long long)seed);
        live[k] = false;
        expect(pp->ntimers == before - 1, "ntimers %d after a delete, want %d", pp->ntimers, before - 1);
        expect(gs[k].timer.pp == NULL, "deleted G%d keeps P %p", k, (void *)gs[k].timer.pp);
        expect(!timer_del(&gs[k].timer), "deleting G%d twice returned true", k);
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
            timer_add(pp, &gs[k].timer, now + rand() % 500);
            live[k] = true;
        } else if (r < 8) {
            bool had = timer_del(&gs[k].timer);
            expect(had == live[k], "step %d: timer_del(G%d) returned %d, live %d (seed %llu)", step, k, had, live[k],
                   (unsigned long long)seed);
            live[k] = false;
        } else {
            now += rand() % 60;
            host_nreadied = 0;
            int want = 0;
            for (int i = 0; i < NG; i++)
                want += live[i] && gs[i].timer.when <= now;
            int n = timers_run(pp, now);
            expect(n == want && host_nreadied == want, "step %d now %lld: fired %d, readied %d, want %d (seed %llu)",
                   step, (long long)now, n, host_nreadied, want, (unsigned long long)seed);
            for (int i = 0; i < host_nreadied; i++) {
                struct g *gp = host_readied[i];
                expect(live[gid(gp)] && gp->timer.when <= now, "step %d: fired G%d (live %d, due %lld, now %lld)",
                       step, gid(gp), live[gid(gp)], (long long)gp->timer.when, (long long)now);
                live[gid(gp)] = false;
            }
        }
        int64_t min = INT64_MAX;
        int nlive = 0;
        for (int i = 0; i < NG; i++)
            if (live[i]) {
                nlive++;
                if (gs[i].timer.when < min)
                    min = gs[i].timer.when;
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
        timer_add(pp, &gs[i].timer, 3000 - i);
    expect(pp->timers_cap == 2048, "capacity %d, want 2048", pp->timers_cap);
    expect(host_page_bytes - bytes0 == 2048 * (long)sizeof(struct timer *), "%ld bytes held, want only the %ld-byte array",
           host_page_bytes - bytes0, 2048 * (long)sizeof(struct timer *));
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
        timer_add(pp, &gs[0].timer, 1);
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

/* f of the generic cases: records the seq it was given and what t->seq was then. */
static uint64_t seen_seq[8], seen_tseq[8];
static int nseen;
static void record(struct timer *t, uint64_t seq)
{
    if (nseen < 8) {
        seen_seq[nseen] = seq;
        seen_tseq[nseen] = t->seq;
    }
    nseen++;
}

static void generic(void)
{
    case_begin("timer a periodic timer stays armed, skips the periods already past, f gets its seq");
    reset();
    struct timer t = { .period = 10, .f = record };
    nseen = 0;
    timer_add(pp, &t, 100);
    expect(timers_run(pp, 99) == 0 && nseen == 0, "fired before its time");
    expect(timers_run(pp, 100) == 1 && t.pp == pp && t.when == 110, "at 100: fired %d, P %p, next %lld", nseen,
           (void *)t.pp, (long long)t.when);
    expect(timers_run(pp, 145) == 1 && t.when == 150, "at 145: %d firings, next %lld (want one firing, next 150)",
           nseen - 1, (long long)t.when);
    expect(nseen == 2 && seen_seq[1] == t.seq && t.nrunning == 0, "seq %llu given, t.seq %llu, nrunning %u",
           (unsigned long long)seen_seq[1], (unsigned long long)t.seq, t.nrunning);
    expect(timer_del(&t) && !t.pp && pp->ntimers == 0 && pp->timer0_when == INT64_MAX, "delete left it armed");
    case_end();

    case_begin("timer timer_start/timer_stop bump seq; stop says whether it disarmed; a double start panics");
    reset();
    memset(&ps[0], 0, sizeof ps[0]);
    ps[0].timer0_when = INT64_MAX;
    ps[0].timer_lock.name = "timer";
    struct timer u = { .f = record };
    nseen = 0;
    timer_start(&u, 50);
    expect(u.pp == &ps[0] && u.seq == 1, "started: P %p (want P 0, no M here), seq %llu", (void *)u.pp,
           (unsigned long long)u.seq);
    jmp_buf jb;
    if (setjmp(jb) == 0) {
        host_panic_catch = &jb;
        timer_start(&u, 60);
        host_panic_catch = NULL;
        expect(false, "a second timer_start of an armed timer returned");
    } else {
        host_panic_catch = NULL;
        expect(strstr(host_panic_msg, "armed already") != NULL, "panic said \"%s\"", host_panic_msg);
        u.lock = 0;                                   /* the panic left it held */
        arch_cpu()->noff = 0;
        arch_intr_on();
    }
    expect(timer_stop(&u) && u.seq == 2 && !u.pp, "stop of an armed timer: seq %llu", (unsigned long long)u.seq);
    expect(!timer_stop(&u) && u.seq == 3, "stop of a stopped timer returned true, or seq %llu",
           (unsigned long long)u.seq);
    timer_start(&u, 70);
    expect(timers_run(&ps[0], 70) == 1 && nseen == 1 && seen_seq[0] == 4 && seen_tseq[0] == 4,
           "fired %d, seq %llu (want 4)", nseen, (unsigned long long)seen_seq[0]);
    expect(!timer_stop(&u), "stop after it fired returned true");
    case_end();

    case_begin("timer timers_move hands every timer to the other P; a dead P takes no timer");
    reset();
    memset(&ps[1], 0, sizeof ps[1]);
    ps[1].timer0_when = INT64_MAX;
    ps[1].timer_lock.name = "timer";
    for (int i = 0; i < 20; i++)
        timer_add(pp, &gs[i].timer, 1000 - i);
    for (int i = 20; i < 25; i++)
        timer_add(&ps[1], &gs[i].timer, 500 + i);
    pp->status = P_DEAD;
    timers_move(pp, &ps[1]);
    expect(pp->ntimers == 0 && pp->timer0_when == INT64_MAX && ps[1].ntimers == 25 && ps[1].timer0_when == 520,
           "after the move: %d left, %d there, earliest %lld", pp->ntimers, ps[1].ntimers,
           (long long)ps[1].timer0_when);
    bool moved = true;
    for (int i = 0; i < 25; i++)
        moved &= gs[i].timer.pp == &ps[1] && ps[1].timers[gs[i].timer.idx] == &gs[i].timer;
    expect(moved, "a moved timer's P or index is wrong");
    expect(!timer_add(pp, &gs[30].timer, 1) && gs[30].timer.pp == NULL, "a dead P took a timer");
    expect(timers_run(&ps[1], INT64_MAX) == 25, "the moved timers did not all fire");
    pp->status = P_IDLE;
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
    generic();
    reset();
    return host_failures() ? 1 : 0;
}
