/* The tracer's costs on one P under icount: trace_event (instructions per recorded
 * event, buffer hand-offs included), chan_pingpong_traced (a channel round trip with
 * tracing on) and trace_pingpong_slowdown (on / off). The trace goes to the host's
 * /dev/null. Off against no hooks at all: build with EXTRA_CFLAGS=-DGORO_TRACE_HOOKS=0
 * and compare chan_pingpong (docs in runtime/trace.c). */
#include "bench.h"
#include "runtime.h"

#define N 20000
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

int main(void)
{
    double off = bench_pingpong(N);
    int64_t loop = events();
    tracewrite_path("/dev/null");
    if (goro_trace_start() != 0) {
        printf("# no trace output on this board\n");
        return 1;
    }
    int64_t on = events();
    double traced = bench_pingpong(N);
    goro_trace_stop();
    report("trace_event", (double)(on - loop) / NEV, "instructions/event");
    report("chan_pingpong_untraced", off, "instructions/roundtrip");
    report("chan_pingpong_traced", traced, "instructions/roundtrip");
    report("trace_pingpong_slowdown", traced / off, "x");
    return 0;
}
