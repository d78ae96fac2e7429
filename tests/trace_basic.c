/* The tracer records a program of known behaviour exactly: a goroutine blocking on a
 * channel three times, a sleeper woken by its timer, a spinner preempted by the tick,
 * stop-the-world (gomaxprocs, changed once: see README's ARM gap), two GCs with their
 * stack scans, and numbered log lines from every core across many generation advances. The image prints what the trace
 * must hold (trace-expect/-seq/-min lines); tools/trace/gorotrace.py check verifies
 * it after the run, with the decoder's own consistency checks and the JSON and SVG. */
//! smp: 1 2 4
//! seeds: 3
//! timeout: 120
//! trace: arg:tracegen=15000000
#include "check.h"
#include "runtime.h"


#define LOGGERS 4
#define LOGS 300
#define X "(?: stop:(?:tick|request) start| stop:suspend unblock start)*"

static goro_chan *c1, *c2;
static volatile int spin_done;

static void pinger(void *arg)
{
    (void)arg;
    long v;
    for (int i = 0; i < 3; i++) {
        goro_chan_recv(c1, &v);          /* main sleeps first: this blocks every time */
        goro_chan_send(c2, &v);          /* buffered: never blocks */
    }
}

/* Whether goroutine id is parked (waiting): main sends only then, so that the pinger
 * blocks every time even when the host delays this core past main's sleep. */
static bool parked(int64_t id)
{
    spin_lock(&allg_lock);
    struct g *first = allgs;
    spin_unlock(&allg_lock);
    for (struct g *gp = first; gp; gp = gp->alllink)
        if (gp->id == id)
            return (readgstatus(gp) & ~(uint32_t)G_SCAN) == G_WAITING;
    return false;
}

static void sleeper(void *arg) { (void)arg; goro_sleep(3000000); }

/* 40 ms on one P, and at least three timer interrupts on its core while it spins: the
 * 10 ms tick must preempt it (board time alone isn't enough when the host deschedules
 * this vCPU for the whole 40 ms). */
static void spinner(void *arg)
{
    (void)arg;
    intr_push();
    uint64_t t0 = cpus[cpu_id()].ticks;
    intr_pop();
    int64_t end = goro_nanotime() + 40000000;
    for (;;) {
        intr_push();
        uint64_t t = cpus[cpu_id()].ticks;
        intr_pop();
        if (goro_nanotime() >= end && t - t0 >= 3)
            break;
    }
}

static void logger(void *arg)
{
    long id = (long)arg;
    char msg[16];
    for (int i = 0; i < LOGS; i++) {
        snprintf(msg, sizeof msg, "%ld", id * LOGS + i);
        goro_trace_log("seq", msg);
        if (i % 8 == 0)
            goro_gosched();
    }
}

int main(void)
{
    check(goro_tracing(), "tracing on from the command line", "goro_tracing() is false");
    goro_gc();                           /* on every P: two GCs, logs across advances */
    goro_gc();
    for (long i = 0; i < LOGGERS; i++)
        goro_go(logger, (void *)i);
    for (int i = 0; i < 8; i++) {
        trace_advance();
        goro_sleep(200000);
    }
    while (goro_numgoroutine() > 1)      /* every goroutine's exit is recorded */
        goro_sleep(100000);
    printf("trace-seq seq %d\n", LOGGERS * LOGS);
    printf("trace-min stw 3\ntrace-min gc 2\ntrace-min scans 2\ntrace-min gen 8\n");

    goro_gomaxprocs(1);                  /* a stop-the-world; and one P: a fixed order */
    c1 = goro_chan_make(sizeof(long), 0);
    c2 = goro_chan_make(sizeof(long), 3);
    goro_trace_region_begin("pingpong");
    int64_t p = goro_go(pinger, NULL), s = goro_go(sleeper, NULL);
    for (long i = 0; i < 3; i++) {
        do
            goro_sleep(2000000);
        while (!parked(p));
        goro_chan_send(c1, &i);
        goro_chan_recv(c2, &i);
    }
    goro_trace_region_end("pingpong");
    int64_t sp = goro_go(spinner, NULL);
    do                                   /* until the spinner has ended (host delays) */
        goro_sleep(60000000);
    while (goro_numgoroutine() > 1);
    printf("trace-expect %lld create start" X "( block:chan_receive unblock start" X "){3} end\n", (long long)p);
    printf("trace-expect %lld create start" X " block:sleep unblock:timer start" X " end\n", (long long)s);
    printf("trace-expect %lld create start(?: stop:request start)* stop:tick start"
           "(?: stop:(?:tick|request) start)* end\n", (long long)sp);
    check(true, "traced program ran", "");
    return check_failures;
}
