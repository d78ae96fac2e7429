/* The tracer's static branches (kernel/patch.c) switch both ways on every core, while
 * every core runs event sites: one worker per core loops over two sites of trace_on (a
 * site of this test's own, which counts its jumps, and a runtime one, trace_timer,
 * which records a 3-word event), and main starts tracing, stops it, and does so again
 * (ROUNDS times). Each loop looks at the phase before and after, with interrupts off
 * around the sites: if a start had returned and no stop had been called, both sites
 * must have jumped and the event been recorded (3 words more on this core); if a stop
 * had returned and no start had been called, neither may have jumped and nothing been
 * recorded. The loops that saw a start or stop in progress check nothing. Negative
 * control: trace_patch_nopatchback.c (a stop that leaves the sites jumping). This test
 * found QEMU's translation race that kernel/patch.c's second pass is for: with one
 * pass, 4 of 9 runs on qemu-virt-arm failed "no site jumps after a stop". */
//! smp: 4
//! seeds: 3
//! timeout: 120
#include "check.h"
#include "runtime.h"

void tracewrite_path(const char *path);      /* tracewrite.c: before the first start */

#define ROUNDS 6
#define WINDOW_NS 15000000                   /* each phase, on or off, lasts this long */

enum { TRANSITION, ON, OFF };

/* atomic: epoch << 2 | state; changed by main only once a start or stop has returned
 * (ON, OFF) or before one is called (TRANSITION). */
static uint32_t phase;
static uint32_t done;                        /* atomic */

struct worker {
    uint64_t hits;                           /* the test site's jumps (this worker only) */
    uint64_t on_checked, off_checked;        /* loops checked in each state */
    unsigned on_cores, off_cores;            /* cores a check ran on, a bit each */
    uint64_t bad_on, bad_off;                /* loops that broke the rule */
    char why[160];                           /* the first of them */
    goro_waitgroup *wg;
};

static __attribute__((noinline)) void hit(struct worker *w) { w->hits++; }

static void record_bad(struct worker *w, uint64_t *count, int cpu, const char *what, uint64_t h, uint64_t n)
{
    if ((*count)++ == 0 && !w->why[0])
        snprintf(w->why, sizeof w->why, "core %d, goroutine %lld: %s: %llu jumps, %llu words recorded",
                 cpu, (long long)goro_id(), what, (unsigned long long)h, (unsigned long long)n);
}

static void worker(void *arg)
{
    struct worker *w = arg;
    struct g *gp = getg();
    for (uint32_t i = 0; !ATOMIC_LOAD(&done); i++) {
        uint32_t p0 = ATOMIC_LOAD(&phase);
        unsigned long intr = arch_intr_save();   /* this core, and no event of an interrupt */
        int cpu = arch_cpu()->id;
        uint64_t h0 = w->hits, w0 = trace_words_here();
        TRACE_IF(hit(w));
        trace_timer(gp);
        uint64_t h = w->hits - h0, n = trace_words_here() - w0;
        arch_intr_restore(intr);
        uint32_t p1 = ATOMIC_LOAD(&phase);
        if (p0 == p1 && (p0 & 3) == ON) {
            w->on_checked++;
            w->on_cores |= 1u << cpu;
            if (h != 1 || n != 3)
                record_bad(w, &w->bad_on, cpu, "tracing on, a site did not record", h, n);
        } else if (p0 == p1 && (p0 & 3) == OFF) {
            w->off_checked++;
            w->off_cores |= 1u << cpu;
            if (h != 0 || n != 0)
                record_bad(w, &w->bad_off, cpu, "tracing stopped, a site still jumped", h, n);
        }
        if (i % 256 == 0)
            goro_gosched();                      /* let main in sooner than a tick would */
    }
    goro_wg_done(w->wg);
}

static void set_phase(uint32_t epoch, uint32_t state) { ATOMIC_STORE(&phase, epoch << 2 | state); }

int main(void)
{
    static struct worker ws[GORO_SMP_MAX];
    static goro_waitgroup wg;
    int n = goro_ncpu();
    tracewrite_path("/dev/null");
    uint32_t epoch = 0;
    set_phase(epoch, OFF);                       /* the sites start as nops */
    goro_wg_add(&wg, n);
    for (int i = 0; i < n; i++) {
        ws[i].wg = &wg;
        if (goro_go(worker, &ws[i]) < 0)
            return 1;
    }
    int started = 0;
    for (int r = 0; r < ROUNDS; r++) {
        goro_sleep(WINDOW_NS);
        set_phase(++epoch, TRANSITION);
        started += goro_trace_start() == 0;
        set_phase(++epoch, ON);
        goro_sleep(WINDOW_NS);
        set_phase(++epoch, TRANSITION);
        goro_trace_stop();
        set_phase(++epoch, OFF);
    }
    goro_sleep(WINDOW_NS);
    ATOMIC_STORE(&done, 1);
    goro_wg_wait(&wg);

    uint64_t on = 0, off = 0, bad_on = 0, bad_off = 0;
    unsigned on_cores = 0, off_cores = 0;
    const char *why = "";
    for (int i = 0; i < n; i++) {
        on += ws[i].on_checked;
        off += ws[i].off_checked;
        bad_on += ws[i].bad_on;
        bad_off += ws[i].bad_off;
        on_cores |= ws[i].on_cores;
        off_cores |= ws[i].off_cores;
        if (!*why && ws[i].why[0])
            why = ws[i].why;
    }
    unsigned all = (n >= 32 ? 0 : 1u << n) - 1;
    printf("# %d starts; loops checked: %llu traced (cores %#x), %llu untraced (cores %#x)\n", started,
           (unsigned long long)on, on_cores, (unsigned long long)off, off_cores);
    check(started == ROUNDS, "every start starts", "%d of %d", started, ROUNDS);
    check(bad_on == 0, "every site records while tracing", "%llu loops: %s", (unsigned long long)bad_on, why);
    check(bad_off == 0, "no site jumps after a stop", "%llu loops: %s", (unsigned long long)bad_off, why);
    check(on_cores == all && off_cores == all, "both states checked on every core",
          "traced on cores %#x, untraced on %#x, of %#x", on_cores, off_cores, all);
    return check_failures;
}
