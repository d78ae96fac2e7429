/* irq_to_goroutine: instructions (icount: board ns, all cores together) from a device
 * interrupt's first instruction (its vector's) to the goroutine parked in goro_irq_wait
 * running again (its first statement after the wait), for the board's test source
 * (board.h BOARD_TEST_IRQ). Both ends are read on the fine clock (arch_cycles: one
 * count per instruction under -icount shift=0): the start by the trap stamp that core
 * 0 enters its device interrupts through while the bench runs (arch_trap_stamp,
 * kernel/<arch>/trapstamp.S, adjusted there for the stamp's own instructions), the end
 * by the waiter's first statement. Also printed: the part from irq_handle's entry
 * (kernel/irq.c irq_stamp_handle), and the trap entry itself (vector to irq_handle).
 * The time of the raise (irq_test_raise's MMIO write, on core 1) is no good start under
 * icount: QEMU runs core 1 on after the write until it sleeps (main parking, ~650
 * instructions) before core 0 takes the interrupt; it is printed as a comment
 * (nanotime, as the fine clock is per core on ARM: each core's PMU started apart).
 *   idle: core 0 sleeps in WFI (its only goroutine is the parked waiter);
 *   busy: a goroutine pinned to core 0 spins there: the waiter must displace it at
 *         once (runnext and a preemption request, runtime/irq.c irq_ready), so the
 *         figure is idle's plus one switch, not the 10 ms slice.
 * main is pinned to core 1 and raises the line; device lines come to core 0. Median
 * of ROUNDS each; the phase against core 0's slice varies from round to round. A round
 * whose waiter ran off core 0 is counted and left out (the two ends on two cores'
 * clocks). */
//! smp: 2
#include <stdlib.h>
#include "bench.h"
#include "board.h"
#include "irq.h"
#include "runtime.h"

#define ROUNDS 41
static goro_chan *done;
static volatile uint32_t woke_at;       /* arch_cycles, core woke_core's */
static volatile int64_t woke_ns;
static volatile int woke_core, stop_spin;

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void waiter(void *arg)
{
    (void)arg;
    for (;;) {
        int r = goro_irq_wait(BOARD_TEST_IRQ, 0);
        uint32_t t = arch_cycles();
        woke_at = t;
        woke_ns = goro_nanotime();
        woke_core = goro_cpu();
        irq_test_lower();
        long v = r;
        goro_chan_send(done, &v);
        if (r)
            return;                     /* detached */
    }
}

static void spinner(void *arg)
{
    (void)arg;
    if (goro_pin(0) != 0)
        goro_panic("spinner: goro_pin(0) failed");
    while (!__atomic_load_n(&stop_spin, __ATOMIC_ACQUIRE))
        ;
}

struct result { int64_t lat[ROUNDS], handle[ROUNDS], entry[ROUNDS], raised[ROUNDS]; int n, off0; };

/* ROUNDS wakes: from the vector (lat), from irq_handle's entry (handle), the trap entry
 * between the two (entry), from the raise (raised). */
static void measure(struct result *res)
{
    long v;
    res->n = res->off0 = 0;
    for (int i = 0; i < ROUNDS + 1; i++) {      /* the first round only brings the waiter to core 0 */
        goro_sleep(200000 + 7000 * i);          /* the waiter parks, core 0 settles */
        int64_t t0 = goro_nanotime();
        irq_test_raise();
        goro_chan_recv(done, &v);
        if (v != 0)
            goro_panic("irq_to_goroutine: goro_irq_wait returned %ld", v);
        if (i > 0 && woke_core != 0) {
            res->off0++;
        } else if (i > 0) {
            uint32_t vec = __atomic_load_n(&irq_stamp_vector, __ATOMIC_RELAXED);
            uint32_t handle = __atomic_load_n(&irq_stamp_handle, __ATOMIC_RELAXED);
            res->lat[res->n] = (int32_t)(woke_at - vec);
            res->handle[res->n] = (int32_t)(woke_at - handle);
            res->entry[res->n] = (int32_t)(handle - vec);
            res->raised[res->n++] = woke_ns - t0;
        }
    }
}

static int64_t median(int64_t *a, int n)
{
    qsort(a, n, sizeof a[0], cmp);
    return a[n / 2];
}

static int64_t show(const char *name, struct result *res)
{
    int n = res->n;
    if (n == 0)
        goro_panic("irq_to_goroutine: %s: every waiter ran off core 0", name);
    int64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += res->lat[i];
    int64_t lat = median(res->lat, n), entry = median(res->entry, n);
    /* The trap entry is a fixed ~80-100 instructions: anything else is no stamp from
     * this trap (stamping not on at core 0's vector, a stale register). */
    if (entry <= 0 || entry > 400)
        goro_panic("irq_to_goroutine: %s: trap entry %lld instructions: the vector's stamp was not taken",
                   name, (long long)entry);
    printf("# %s: median %lld, mean %lld, min %lld, max %lld from the vector's first instruction; "
           "from irq_handle's entry: median %lld (the trap entry: %lld); from the raise on core 1: "
           "median %lld ns (%d of %d ran off core 0)\n", name, (long long)lat, (long long)(sum / n),
           (long long)res->lat[0], (long long)res->lat[n - 1], (long long)median(res->handle, n),
           (long long)entry, (long long)median(res->raised, n), res->off0, ROUNDS);
    return lat;
}

/* On core 0 (main visits it): device interrupts through the trap stamp, or not. */
static void stamp_core0(bool on)
{
    if (goro_pin(0) != 0)
        goro_panic("main: goro_pin(0) failed");
    intr_push();
    arch_trap_stamp(on);
    intr_pop();
    if (goro_pin(1) != 1)
        goro_panic("main: goro_pin(1) failed");
}

int main(void)
{
    if (goro_ncpu() < 2) {
        printf("# one core: nobody to raise the line while core 0 sleeps\n");
        return 0;
    }
    stamp_core0(true);
    done = goro_chan_make(sizeof(long), 0);
    if (goro_irq_attach(BOARD_TEST_IRQ) != 0)
        goro_panic("irq_to_goroutine: attach failed");
    goro_go(waiter, NULL);

    static struct result idle, busy;
    irq_stamping = true;
    measure(&idle);
    goro_go(spinner, NULL);
    measure(&busy);
    __atomic_store_n(&stop_spin, 1, __ATOMIC_RELEASE);
    irq_stamping = false;
    stamp_core0(false);
    goro_irq_detach(BOARD_TEST_IRQ);
    long v;
    goro_chan_recv(done, &v);
    report("irq_to_goroutine_idle", (double)show("idle core 0", &idle), "instructions");
    report("irq_to_goroutine_busy", (double)show("busy core 0", &busy), "instructions");
    return 0;
}
