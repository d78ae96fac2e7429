/* gc_pacer_peak_over_goal and gc_pacer_mutator_share: does the collector hold its heap
 * goal when every core allocates garbage as fast as it can beside a fixed 2 MiB live set
 * (GORO_GOGC=100)? One allocating goroutine per P runs for RUN_NS of board time.
 *
 * Peak over goal: each allocator reads heap_alloc every 16 allocations; the figure is
 * the largest value over the goal, max(4 MiB, 2 x the live heap), the live heap being
 * what a full collection marks after the live set is built, with nothing else allocated
 * (2 MiB and a few KiB). The goal is the program's, not the runtime's own figure, so it
 * is the same before and after a pacer change, and a runtime can't meet it by raising
 * its goal (objects allocated during mark are marked, and counting them as live would).
 *
 * Mutator share: each allocator counts its work units (an allocation and a few stores)
 * and the board time they took, split into "during mark" and "outside mark" intervals
 * of 16 units (an interval counts as mark if the phase was mark at either end or a cycle
 * ended within it, so time an allocator spends parked by an assist, or descheduled while
 * the collector marks on its core, counts against mark). The figure is the
 * mutators' rate during mark over their rate outside it: 1.0 means marking costs them
 * nothing, 0 that they were stopped; a collector that holds the goal by stopping the
 * mutators shows here.
 *
 * Under icount (-icount shift=0: one instruction is one ns of board time, and the host's
 * load changes nothing): under MTTCG on this 2-core host shared by other QEMUs, each
 * restart of the world took 2-8 ms of board time waiting for the host to run the woken
 * vCPU threads, and the figures moved by 2x between runs. The comment line's figures
 * explain the share: the scan work of a cycle, the allocators' rate outside mark, and
 * what they allocated during a mark of what length. */
//! smp: 1 2 4
#include "bench.h"
#include "runtime.h"
#include "heap.h"

#define RUN_NS   2000000000LL
#define LIVE     (2u << 20)
#define MIN_GOAL (4ULL << 20)

struct blk { struct blk *next; uint64_t pad[125]; };   /* 1 KiB */
static struct blk *live;
static volatile int stop;
static goro_waitgroup wg;

struct acc { uint64_t u_mark, u_out; int64_t t_mark, t_out; double peak; uint64_t n, peak_bytes; };
static struct acc accs[16];

/* heap_alloc over the goal now; *num_gc and *alloc: the cycles completed, heap_alloc. */
static uint64_t goal;

static double ratio_now(uint64_t *num_gc, uint64_t *alloc)
{
    goro_gcstats st;
    goro_gc_stats(&st);
    *num_gc = st.num_gc;
    *alloc = st.heap_alloc;
    return (double)st.heap_alloc / (double)goal;
}

static void allocator(void *arg)
{
    struct acc *a = arg;
    uint64_t x = (uint64_t)(uintptr_t)arg * 2654435761u + 1;
    void *keep[8] = {0};
    int64_t t = goro_nanotime();
    bool mark0 = __atomic_load_n(&gcphase, __ATOMIC_RELAXED) != GC_OFF;
    uint64_t gc0, gc1, bytes;
    ratio_now(&gc0, &bytes);
    while (!stop) {
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t n = 16 + (x >> 33) % 496;               /* 16 .. 511 bytes, mean 264 */
            uint64_t *p = goro_alloc(n);
            if (!p) {
                printf("# out of memory\n");
                goro_exit(1);
            }
            p[0] = x;
            keep[i & 7] = p;                               /* a short-lived reference */
        }
        a->n += 16;
        int64_t now = goro_nanotime();
        bool mark1 = __atomic_load_n(&gcphase, __ATOMIC_RELAXED) != GC_OFF;
        double r = ratio_now(&gc1, &bytes);
        if (mark0 || mark1 || gc1 != gc0) {
            a->u_mark += 16;
            a->t_mark += now - t;
        } else {
            a->u_out += 16;
            a->t_out += now - t;
        }
        t = now;
        mark0 = mark1;
        gc0 = gc1;
        if (r > a->peak)
            a->peak = r;
        if (bytes > a->peak_bytes)
            a->peak_bytes = bytes;
    }
    (void)keep;
    goro_wg_done(&wg);
}

int main(void)
{
    /* The live set: 64 tables of 32 blocks (a list would allow one marker only). */
    for (size_t have = 0; have < LIVE; have += sizeof(struct blk)) {
        struct blk *b = goro_alloc(sizeof *b);
        if ((have / sizeof *b) % 32 == 0) {
            goro_store(&b->next, live);
            goro_store(&live, b);
        } else {
            goro_store((void **)&live->pad[(have / sizeof *b) % 32], b);
        }
    }
    goro_gc();
    goro_gcstats st0, st1;
    goro_gc_stats(&st0);
    goal = st0.heap_live * 2 > MIN_GOAL ? st0.heap_live * 2 : MIN_GOAL;
    int np = goro_gomaxprocs(0);
    goro_wg_add(&wg, np);
    for (int i = 0; i < np; i++)
        goro_go(allocator, &accs[i]);
    uint64_t w0 = words_scanned();
    goro_sleep(RUN_NS);
    stop = 1;
    uint64_t w1 = words_scanned();
    goro_wg_wait(&wg);
    goro_gc_stats(&st1);
    struct acc s = {0};
    for (int i = 0; i < np; i++) {
        s.u_mark += accs[i].u_mark, s.u_out += accs[i].u_out;
        s.t_mark += accs[i].t_mark, s.t_out += accs[i].t_out;
        s.n += accs[i].n;
        if (accs[i].peak > s.peak)
            s.peak = accs[i].peak;
        if (accs[i].peak_bytes > s.peak_bytes)
            s.peak_bytes = accs[i].peak_bytes;
    }
    size_t n = 0;
    for (struct blk *b = live; b; b = b->next)
        for (int i = 0; i < 32; i++)
            n += i == 0 || b->pad[i];
    double share = s.t_mark && s.u_out ? ((double)s.u_mark / (double)s.t_mark) / ((double)s.u_out / (double)s.t_out) : 0;
    report("gc_pacer_peak_over_goal", s.peak, "x");
    report("gc_pacer_mutator_share", share, "x");
    printf("# smp %d: heap_alloc peak %llu KiB, goal %llu KiB; %llu cycles, %llu allocations (%.1f%% of board time in mark), live set %zu KiB, "
           "last heap_live %llu KiB, heap_sys %llu KiB\n", np, (unsigned long long)(s.peak_bytes >> 10), (unsigned long long)(goal >> 10), (unsigned long long)(st1.num_gc - st0.num_gc),
           (unsigned long long)s.n, 100.0 * (double)s.t_mark / (double)(s.t_mark + s.t_out + 1),
           n, (unsigned long long)(st1.heap_live >> 10), (unsigned long long)(st1.heap_sys >> 10));
    uint64_t ncyc = st1.num_gc - st0.num_gc ? st1.num_gc - st0.num_gc : 1;
    printf("# smp %d: %llu words scanned per cycle; per allocator %.0f allocations/ms outside mark, %.0f during; "
           "%llu allocations and %.2f ms per mark\n", np, (unsigned long long)((w1 - w0) / ncyc),
           s.t_out ? (double)s.u_out * 1e6 / (double)s.t_out : 0.0, s.t_mark ? (double)s.u_mark * 1e6 / (double)s.t_mark : 0.0,
           (unsigned long long)(s.u_mark / ncyc), (double)s.t_mark / np / 1e6 / (double)ncyc);
    return 0;
}
