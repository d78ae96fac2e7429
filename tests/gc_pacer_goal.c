/* The heap holds its goal without stopping the mutators: one goroutine per core
 * allocates garbage as fast as it can beside a fixed 2 MiB live set (GORO_GOGC=100: a
 * 4 MiB goal) for 600 ms of board time.
 *
 * Goal: heap_alloc, read every 16 allocations, must never exceed the goal by more than
 * half (gc_pacer bench measures it within 25%: 1.10-1.16 x on riscv64 and virt-arm).
 * The bound is looser than the benchmark's because MTTCG on a loaded host can delay the
 * collector's stop-the-world phases by tens of ms, every allocator meanwhile paying
 * its way into the goal's slack. The old pacing (start at the goal, fixed assists)
 * peaked at 2-22 x here: gc_pacer_goal_off runs this image with gcpacer=off and must
 * fail.
 *
 * Share: the allocators' rate during mark over their rate outside it (the bench's
 * gc_pacer_mutator_share), per allocation: the time from the end of the one before to
 * its end counts as "mark" if the phase was mark at either end or a cycle ended within.
 * Floors: 0.08 at one core, 0.003 at more. A collector that holds the goal by stopping
 * the mutators (gcpacer=stop parks every allocation made during mark until mark ends:
 * gc_pacer_share_off, at SMP 2) lets each allocator make at most one allocation per
 * mark, which lasts ms, while one allocation takes about 0.5 us, so its share is about
 * 5e-4 / (mark in ms) (measured: 0.0001-0.0004). The pacer measured 0.29-0.67 at SMP
 * 1, 0.11-0.18 at SMP 2 and 0.017-0.069 at SMP 4 here (riscv64 and virt-arm, MTTCG,
 * host load average 13; 0.16-0.23 / 0.03 / 0.005-0.03 before issue 14's changes),
 * 0.38-0.61 / 0.16-0.24 / 0.09-0.12 in the bench under icount. Each floor is 3.6 x (one
 * core) and 5.6 x (more) below the lowest of those; the one at more cores is still
 * 7.5 x above the stopped mutator's highest. At several cores the share is low
 * (docs/design/pacer.md: at GOGC=100 scanning the live heap costs about as much as
 * allocating it, and under MTTCG on a loaded host, or QEMU's round robin under icount,
 * the cores do not run at once).
 *
 * The live set is checked intact afterwards (a pacer that let the sweep free live
 * objects would show here as poison). */
//! smp: 1 4
//! timeout: 90
//! lockrank: yes
#include "check.h"
#include "runtime.h"
#include "heap.h"

#define RUN_NS   600000000LL
#define LIVE     (2u << 20)
#define MIN_GOAL (4ULL << 20)
#define TABLE    32
#define BOUND    1.5
#define SHARE_FLOOR_1 0.08        /* one core */
#define SHARE_FLOOR_N 0.003       /* more */

struct blk { struct blk *next; uint64_t v[TABLE]; uint64_t pad[127 - TABLE]; };   /* 1 KiB */
_Static_assert(sizeof(struct blk) == 1024, "a block is 1 KiB");
static struct blk *live;
static volatile int stop;
static goro_waitgroup wg;
struct acc { uint64_t peak, u_mark, u_out; int64_t t_mark, t_out; };
static struct acc accs[16];

static uint64_t cycles(void)
{
    goro_gcstats st;
    goro_gc_stats(&st);
    return st.num_gc;
}

static bool marking(void) { return __atomic_load_n(&gcphase, __ATOMIC_RELAXED) != GC_OFF; }

static void allocator(void *arg)
{
    struct acc *a = arg;
    uint64_t x = (uint64_t)(uintptr_t)arg * 2654435761u + goro_seed();
    goro_gcstats st;
    uint64_t c0 = cycles();              /* the state at the end of the last allocation */
    bool m0 = marking();
    int64_t t0 = goro_nanotime();
    while (!ATOMIC_LOAD(&stop)) {
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            uint64_t *p = goro_alloc(16 + (x >> 33) % 496);
            if (!p) {
                printf("not ok - out of memory\n");
                goro_exit(1);
            }
            p[0] = x;
            uint64_t c1 = cycles();
            bool m1 = marking();
            int64_t t1 = goro_nanotime();
            if (m0 || m1 || c1 != c0)     /* the interval since the last one touched a mark */
                a->u_mark++, a->t_mark += t1 - t0;
            else
                a->u_out++, a->t_out += t1 - t0;
            c0 = c1, m0 = m1, t0 = t1;
        }
        goro_gc_stats(&st);
        if (st.heap_alloc > a->peak)
            a->peak = st.heap_alloc;
    }
    goro_wg_done(&wg);
}

/* The live set: tables of TABLE blocks; every block's words say where it is. */
static void build_live(void)
{
    for (uint64_t n = 0; n * sizeof(struct blk) < LIVE; n++) {
        struct blk *b = goro_alloc(sizeof *b);
        for (int i = 0; i < TABLE; i++)
            b->v[i] = n * 1000 + (uint64_t)i;
        if (n % TABLE == 0) {
            goro_store(&b->next, live);
            goro_store(&live, b);
        } else {
            goro_store((void **)&live->pad[n % TABLE], b);
        }
    }
}

static bool block_ok(const struct blk *b, uint64_t n)
{
    for (int i = 0; i < TABLE; i++)
        if (b->v[i] != n * 1000 + (uint64_t)i)
            return false;
    return true;
}

static uint64_t live_bad(void)
{
    uint64_t bad = 0, tables = 0, n = LIVE / sizeof(struct blk);
    for (struct blk *t = live; t; t = t->next, tables++) {
        uint64_t base = (n / TABLE - 1 - tables) * TABLE;   /* the list is newest first */
        bad += !block_ok(t, base);
        for (int i = 1; i < TABLE; i++)
            bad += !block_ok((struct blk *)(uintptr_t)t->pad[i], base + (uint64_t)i);
    }
    return bad + (tables != n / TABLE);
}

int main(void)
{
    build_live();
    goro_gc();
    goro_gcstats st0, st1;
    goro_gc_stats(&st0);
    uint64_t goal = st0.heap_live * 2 > MIN_GOAL ? st0.heap_live * 2 : MIN_GOAL;
    int np = goro_gomaxprocs(0);
    goro_wg_add(&wg, np);
    for (int i = 0; i < np; i++)
        goro_go(allocator, &accs[i]);
    goro_sleep(RUN_NS);
    ATOMIC_STORE(&stop, 1);
    goro_wg_wait(&wg);
    goro_gc_stats(&st1);
    uint64_t top = 0, u_mark = 0, u_out = 0;
    int64_t t_mark = 0, t_out = 0;
    for (int i = 0; i < np; i++) {
        top = accs[i].peak > top ? accs[i].peak : top;
        u_mark += accs[i].u_mark, u_out += accs[i].u_out, t_mark += accs[i].t_mark, t_out += accs[i].t_out;
    }
    double r = (double)top / (double)goal;
    double share = t_mark > 0 && t_out > 0 && u_out ? ((double)u_mark / (double)t_mark) / ((double)u_out / (double)t_out) : 0;
    printf("# smp %d: heap_alloc peak %llu KiB, goal %llu KiB (%.2f x), %llu cycles; mutator share %.4f "
           "(%llu allocations during mark, %llu outside)\n", np,
           (unsigned long long)(top >> 10), (unsigned long long)(goal >> 10), r,
           (unsigned long long)(st1.num_gc - st0.num_gc), share, (unsigned long long)u_mark, (unsigned long long)u_out);
    check(st1.num_gc - st0.num_gc >= 3, "collections ran", "%llu cycles in %lld ms",
          (unsigned long long)(st1.num_gc - st0.num_gc), RUN_NS / 1000000);
    check(r <= BOUND, "heap holds its goal", "heap_alloc peaked at %.2f x the goal (%llu of %llu KiB), bound %.2f",
          r, (unsigned long long)(top >> 10), (unsigned long long)(goal >> 10), BOUND);
    double floor = np == 1 ? SHARE_FLOOR_1 : SHARE_FLOOR_N;
    check(share >= floor, "mutators run during mark", "mutator share %.4f, floor %.3f (%llu allocations during mark)",
          share, floor, (unsigned long long)u_mark);
    uint64_t bad = live_bad();
    check(bad == 0, "live set intact", "%llu blocks of the live set damaged", (unsigned long long)bad);
    return check_failures ? 1 : 0;     /* 1: the negative control's status, however many failed */
}
