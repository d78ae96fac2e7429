/* A goroutine made during marking is born scanned (black) on a stack that a dead
 * goroutine may have used: its frames are still there. The new goroutine's own frames
 * leave slots unwritten (padding, an array filled later), and a conservative scan of
 * its stack sees the dead goroutine's words in them. To the collector that only keeps
 * garbage one cycle longer; to the checkmark it is a missed object on a black stack,
 * unless the stack is cleared at birth, as a scan clears the dead stack below sp
 * (GCCHECK builds, mark.c: scan_born). This was one way for the checkmark to report a
 * garbage pointer "written into a goroutine's stack after it was scanned".
 *
 * Each round: writers, pinned to P 0, fill a deep frame with the address of an object
 * W that then becomes garbage, and exit (their Gs and stacks go to P 0's free list).
 * Once the next cycle marks, main (on P 0) makes as many holders, which reuse those
 * stacks; each parks in a frame with an array it never writes until the cycle ends,
 * so the checkmark at mark termination scans the array. A holder counts when it was
 * born scanned in W's first cycle.
 *
 * Negative control: gc_stack_reuse_off.c (gcdebug=nobornclear) must panic. */
//! variant: gccheck
//! smp: 2
//! seeds: 2
//! timeout: 120
//! boards: qemu-virt-riscv64 qemu-virt-arm
#include "check.h"
#include "heap.h"

#define NW 8
#define ROUNDS 40
#define WANT_HITS 24
#define FILL 192

struct obj { uint64_t pat[6]; };

static goro_waitgroup wdone, hparked, hgo;
static goro_chan *kick;                  /* main -> driver: collect once */
/* Globals are scanned before the stacks: the ballast holds the mark open long enough
 * for main to see it begin and the holders to park (as in gc_barrier_insert.c). */
static volatile uintptr_t ballast[256 * 1024];

static uint64_t num_gc(void)
{
    goro_gcstats st;
    goro_gc_stats(&st);
    return st.num_gc;
}

/* W's address in FILL words of this frame, left there when it returns. */
static __attribute__((noinline)) uint64_t spill(struct obj *w)
{
    volatile uintptr_t fill[FILL];
    for (int i = 0; i < FILL; i++)
        fill[i] = (uintptr_t)w;
    return fill[FILL / 2] & 1;
}

static void writer(void *arg)
{
    (void)arg;
    goro_pin(0);
    struct obj *w = goro_alloc(sizeof *w);
    if (!w)
        goro_panic("out of memory");
    uint64_t s = spill(w);
    w = NULL;
    (void)s;
    goro_wg_done(&wdone);
}

/* hole's words are never written: the checkmark sees whatever the stack held. */
static __attribute__((noinline)) void park_over_hole(void)
{
    volatile uintptr_t hole[FILL];
    __asm__ volatile("" : : "r"(hole) : "memory");
    goro_wg_done(&hparked);
    goro_wg_wait(&hgo);
}

static void holder(void *arg)
{
    (void)arg;
    park_over_hole();
}

static void driver(void *arg)
{
    (void)arg;
    int v;
    while (goro_chan_recv(kick, &v))
        goro_gc();
}

int main(void)
{
    ballast[0] = 1;
    goro_pin(0);
    kick = goro_chan_make(sizeof(int), 0);
    goro_go(driver, NULL);
    int rounds = 0, hits = 0;
    for (; rounds < ROUNDS && hits < WANT_HITS; rounds++) {
        while (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) != GC_OFF)
            goro_sleep(100000);
        uint64_t n0 = num_gc();
        goro_wg_add(&wdone, NW);
        for (int i = 0; i < NW; i++)
            goro_go(writer, NULL);
        goro_wg_wait(&wdone);
        goro_sleep(100000);                /* the writers' exits: P 0's free list */
        int v = 1;
        goro_chan_send(kick, &v);          /* W is garbage before this cycle: white */
        while (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) != GC_MARK && num_gc() == n0)
            ;
        goro_wg_add(&hgo, 1);
        goro_wg_add(&hparked, NW);
        for (int i = 0; i < NW; i++)
            goro_go(holder, NULL);         /* born scanned, on the writers' stacks */
        goro_wg_wait(&hparked);
        /* All parked over their holes while this cycle still marks: its checkmark will
         * scan them. */
        if (__atomic_load_n(&gcphase, __ATOMIC_ACQUIRE) == GC_MARK && num_gc() == n0)
            hits += NW;
        while (num_gc() == n0)
            goro_sleep(100000);
        goro_wg_done(&hgo);
    }
    goro_chan_close(kick);
    printf("# %d rounds, %d holders parked over reused stacks during marking\n", rounds, hits);
    check(hits >= WANT_HITS, "holders born scanned and parked during marking", "only %d in %d rounds", hits, rounds);
    return check_failures;
}
