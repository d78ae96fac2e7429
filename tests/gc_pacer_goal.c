/* The heap holds its goal: one goroutine per core allocates garbage as fast as it can
 * beside a fixed 2 MiB live set (GORO_GOGC=100: a 4 MiB goal) for 600 ms of board
 * time; heap_alloc, read every 16 allocations, must never exceed the goal by more than
 * half (gc_pacer bench measures it within 25%: 1.10-1.16 x on riscv64 and virt-arm).
 * The bound is looser than the benchmark's because MTTCG on a loaded host can delay the
 * collector's stop-the-world phases by tens of ms, every allocator meanwhile paying
 * its way into the goal's slack. The old pacing (start at the goal, fixed assists)
 * peaked at 2-22 x here: gc_pacer_goal_off runs this image with gcpacer=off and must
 * fail. The live set is checked intact afterwards (a pacer that let the sweep free
 * live objects would show here as poison). */
//! smp: 1 4
//! timeout: 90
//! lockrank: yes
#include "check.h"

#define RUN_NS   600000000LL
#define LIVE     (2u << 20)
#define MIN_GOAL (4ULL << 20)
#define TABLE    32
#define BOUND    1.5

struct blk { struct blk *next; uint64_t v[TABLE]; uint64_t pad[127 - TABLE]; };   /* 1 KiB */
_Static_assert(sizeof(struct blk) == 1024, "a block is 1 KiB");
static struct blk *live;
static volatile int stop;
static goro_waitgroup wg;
static uint64_t peak[16];

static void allocator(void *arg)
{
    uint64_t *mine = arg, x = (uint64_t)(uintptr_t)arg * 2654435761u + goro_seed();
    goro_gcstats st;
    while (!ATOMIC_LOAD(&stop)) {
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            uint64_t *p = goro_alloc(16 + (x >> 33) % 496);
            if (!p) {
                printf("not ok - out of memory\n");
                goro_exit(1);
            }
            p[0] = x;
        }
        goro_gc_stats(&st);
        if (st.heap_alloc > *mine)
            *mine = st.heap_alloc;
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
        goro_go(allocator, &peak[i]);
    goro_sleep(RUN_NS);
    ATOMIC_STORE(&stop, 1);
    goro_wg_wait(&wg);
    goro_gc_stats(&st1);
    uint64_t top = 0;
    for (int i = 0; i < np; i++)
        top = peak[i] > top ? peak[i] : top;
    double r = (double)top / (double)goal;
    printf("# smp %d: heap_alloc peak %llu KiB, goal %llu KiB (%.2f x), %llu cycles\n", np,
           (unsigned long long)(top >> 10), (unsigned long long)(goal >> 10), r,
           (unsigned long long)(st1.num_gc - st0.num_gc));
    check(st1.num_gc - st0.num_gc >= 3, "collections ran", "%llu cycles in %lld ms",
          (unsigned long long)(st1.num_gc - st0.num_gc), RUN_NS / 1000000);
    check(r <= BOUND, "heap holds its goal", "heap_alloc peaked at %.2f x the goal (%llu of %llu KiB), bound %.2f",
          r, (unsigned long long)(top >> 10), (unsigned long long)(goal >> 10), BOUND);
    uint64_t bad = live_bad();
    check(bad == 0, "live set intact", "%llu blocks of the live set damaged", (unsigned long long)bad);
    return check_failures ? 1 : 0;     /* 1: the negative control's status, however many failed */
}
