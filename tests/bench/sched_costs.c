/* Per-operation costs on one P, in instructions (run under icount, other cores idle):
 * gosched_switch, chan_pingpong, select_pingpong, spawn_exit, mutex_uncontended,
 * tick_overhead. select_pingpong: chan_pingpong's round trip with every send and
 * receive a two-case select (the channel, and one nobody uses): each half, one select
 * that parks and one that finds its partner parked, and the wake. Both operations are
 * selects so that the figure is the same whichever side parks (the side that parks
 * changes when a slice's tick reorders the two goroutines: with plain sends and select
 * receives, the exec log's 1528 of a parking receive fell to 1160 over the run). */
#include "bench.h"
#include "runtime.h"

#define N 20000
static goro_waitgroup wg;

static void yielder(void *arg)
{
    (void)arg;
    for (int i = 0; i < N; i++)
        goro_gosched();
    goro_wg_done(&wg);
}

static void empty(void *arg) { (void)arg; }

static goro_chan *sel_ping, *sel_pong, *sel_never;

static void sel_op(goro_chan *c, int dir, long *v)
{
    goro_case k[2] = { { c, dir, v, false }, { sel_never, GORO_RECV, NULL, false } };
    if (goro_select(k, 2, true) != 0)
        panic("select_pingpong: the wrong case");
}

static void select_ponger(void *arg)
{
    (void)arg;
    long v;
    for (int i = 0; i < N; i++) {
        sel_op(sel_ping, GORO_RECV, &v);
        sel_op(sel_pong, GORO_SEND, &v);
    }
    goro_wg_done(&wg);
}

static double bench_select_pingpong(void)
{
    sel_ping = goro_chan_make(sizeof(long), 0);
    sel_pong = goro_chan_make(sizeof(long), 0);
    sel_never = goro_chan_make(sizeof(long), 0);
    goro_wg_add(&wg, 1);
    goro_go(select_ponger, NULL);
    long v = 0;
    int64_t t0 = goro_nanotime();
    for (int i = 0; i < N; i++) {
        sel_op(sel_ping, GORO_SEND, &v);
        sel_op(sel_pong, GORO_RECV, &v);
    }
    double per = (double)(goro_nanotime() - t0) / N;
    goro_wg_wait(&wg);
    return per;
}

/* One goroutine, non-preemptible, spins for span ns of board time counting loop
 * iterations; ticks fire (slice ends) but switch nothing. */
static uint64_t spin_count(int64_t span, bool ticks)
{
    if (!ticks)
        intr_push();
    uint64_t n = 0;
    int64_t end = goro_nanotime() + span;
    while (goro_nanotime() < end)
        n++;
    if (!ticks)
        intr_pop();
    return n;
}

int main(void)
{
    goro_wg_add(&wg, 2);
    int64_t t0 = goro_nanotime();
    goro_go(yielder, NULL);
    goro_go(yielder, NULL);
    goro_wg_wait(&wg);
    report("gosched_switch", (double)(goro_nanotime() - t0) / (2.0 * N), "instructions/switch");

    report("chan_pingpong", bench_pingpong(N), "instructions/roundtrip");
    report("select_pingpong", bench_select_pingpong(), "instructions/roundtrip");

    t0 = goro_nanotime();
    for (int i = 0; i < N; i++) {
        goro_go(empty, NULL);
        goro_gosched();
    }
    report("spawn_exit", (double)(goro_nanotime() - t0) / N, "instructions/spawn+exit");

    goro_mutex mu = { 0 };
    t0 = goro_nanotime();
    for (int i = 0; i < N; i++) {
        goro_mutex_lock(&mu);
        goro_mutex_unlock(&mu);
    }
    report("mutex_uncontended", (double)(goro_nanotime() - t0) / N, "instructions/lock+unlock");

    /* Ticks every 20 us: the same span with interrupts off and on; the lost loop
     * iterations, in instructions, divided by the ticks taken. */
    struct m *m = acquirem();             /* ticks mark us but can't switch */
    uint64_t slice0 = m->slice_ticks;     /* the tick reads the M's copy (struct m) */
    m->slice_ticks = ns_to_ticks(20000);
    int64_t span = 20000000;
    uint64_t quiet = spin_count(span, false);
    intr_push();
    uint64_t ticks0 = arch_cpu()->ticks;
    intr_pop();
    uint64_t busy = spin_count(span, true);
    intr_push();
    uint64_t nticks = arch_cpu()->ticks - ticks0;
    intr_pop();
    m->slice_ticks = slice0;
    releasem(m);
    if (nticks < 100)
        panic("tick_overhead: %llu ticks in the span, expected about 1000", (unsigned long long)nticks);
    double per_iter = (double)span / (double)quiet;
    report("tick_overhead", (double)(quiet - busy) * per_iter / (double)nticks, "instructions/tick");
    printf("# %llu ticks; %.2f instructions per loop iteration\n", (unsigned long long)nticks, per_iter);
    return 0;
}
