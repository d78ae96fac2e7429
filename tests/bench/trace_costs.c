/* The tracer's costs on one P under icount: trace_event (instructions per recorded
 * event, buffer hand-offs included), chan_pingpong_traced (a channel round trip with
 * tracing on) and trace_pingpong_slowdown (on / off). The trace goes to the host's
 * /dev/null. Off against no hooks at all: the runner builds this image again with
 * GORO_TRACE_HOOKS=0 and reports trace_hooks_off_slowdown, chan_pingpong_untraced of
 * this build over that one's (docs in runtime/trace.c).
 *
 * A round trip figure is the median of RUNS runs of N trips: one long run can settle
 * in a second steady state some 10-40 instructions cheaper or dearer (a run that a
 * tick lands in costs ~3 more), which would swamp a difference of a few instructions
 * between two builds. */
//! nohooks: chan_pingpong_untraced
#include "bench.h"
#include "runtime.h"

#define N 1000
#define RUNS 9
#define NEV 100000
void tracewrite_path(const char *path);

/* NEV timer-fire events (an ordinary event site), non-preemptible. */
static int64_t events(void)
{
    struct g *gp = getg();
    struct m *m = acquirem();
    int64_t t0 = goro_nanotime();
    for (int i = 0; i < NEV; i++) {
        trace_timer(gp);
        __asm__ volatile("" ::: "memory");
    }
    int64_t t = goro_nanotime() - t0;
    releasem(m);
    return t;
}

static double pingpong_median(void)
{
    double v[RUNS];
    for (int i = 0; i < RUNS; i++) {
        double x = bench_pingpong(N);
        int j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return v[RUNS / 2];
}

int main(void)
{
    double off = pingpong_median();
    int64_t loop = events();
    tracewrite_path("/dev/null");
    if (goro_trace_start() != 0) {
        printf("# no trace output on this board\n");
        return 1;
    }
    int64_t on = events();
    double traced = pingpong_median();
    goro_trace_stop();
    report("trace_event", (double)(on - loop) / NEV, "instructions/event");
    report("chan_pingpong_untraced", off, "instructions/roundtrip");
    report("chan_pingpong_traced", traced, "instructions/roundtrip");
    report("trace_pingpong_slowdown", traced / off, "x");
    return 0;
}
