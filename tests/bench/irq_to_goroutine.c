/* irq_to_goroutine: instructions (icount: board ns, all cores together) from a device
 * interrupt to the goroutine parked in goro_irq_wait running again (its first
 * statement after the wait), for the board's test source (board.h BOARD_TEST_IRQ).
 * The start is the closest exact proxy for the interrupt's first instruction that the
 * board clock gives: irq_handle's entry (kernel/irq.c irq_stamp), after only the
 * architecture's trap entry (the vector, the frame's save, trap_dispatch's switch).
 * The time of the raise (irq_test_raise's MMIO write, on core 1) is no good start under
 * icount: QEMU runs core 1 on after the write until it sleeps (main parking, ~650
 * instructions) before core 0 takes the interrupt; it is printed as a comment.
 *   idle: core 0 sleeps in WFI (its only goroutine is the parked waiter);
 *   busy: a goroutine pinned to core 0 spins there: the waiter must displace it at
 *         once (runnext and a preemption request, runtime/irq.c irq_ready), so the
 *         figure is idle's plus one switch, not the 10 ms slice.
 * main is pinned to core 1 and raises the line; device lines come to core 0. Median
 * of ROUNDS each; the phase against core 0's slice varies from round to round. The
 * counter's resolution limits the figures: 16 instructions on qemu-virt-arm (62.5 MHz),
 * 100 on qemu-virt-riscv64 (10 MHz), so the mean is printed too. */
//! smp: 2
#include <stdlib.h>
#include "bench.h"
#include "board.h"
#include "irq.h"
#include "runtime.h"

#define ROUNDS 41
static goro_chan *done;
static volatile int64_t woke_at;
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
        int64_t t = goro_nanotime();
        woke_at = t;
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

static int64_t ticks_ns(uint64_t t)
{
    uint64_t hz = arch_time_hz();
    return (int64_t)((t / hz) * 1000000000ULL + (t % hz) * 1000000000ULL / hz);
}

struct result { int64_t lat[ROUNDS], raised[ROUNDS]; int off0; };

/* ROUNDS wakes: from irq_handle's entry (lat) and from the raise (raised). */
static void measure(struct result *res)
{
    long v;
    res->off0 = 0;
    for (int i = 0; i < ROUNDS + 1; i++) {      /* the first round only brings the waiter to core 0 */
        goro_sleep(200000 + 7000 * i);          /* the waiter parks, core 0 settles */
        int64_t t0 = goro_nanotime();
        irq_test_raise();
        goro_chan_recv(done, &v);
        if (v != 0)
            goro_panic("irq_to_goroutine: goro_irq_wait returned %ld", v);
        if (i > 0) {
            res->lat[i - 1] = woke_at - ticks_ns(__atomic_load_n(&irq_stamp, __ATOMIC_RELAXED));
            res->raised[i - 1] = woke_at - t0;
            res->off0 += woke_core != 0;
        }
    }
}

static int64_t show(const char *name, struct result *res)
{
    int64_t sum = 0;
    for (int i = 0; i < ROUNDS; i++)
        sum += res->lat[i];
    qsort(res->lat, ROUNDS, sizeof res->lat[0], cmp);
    qsort(res->raised, ROUNDS, sizeof res->raised[0], cmp);
    printf("# %s: median %lld, mean %lld, min %lld, max %lld; from the raise on core 1: median %lld "
           "(%d of %d ran off core 0)\n", name, (long long)res->lat[ROUNDS / 2], (long long)(sum / ROUNDS),
           (long long)res->lat[0], (long long)res->lat[ROUNDS - 1], (long long)res->raised[ROUNDS / 2],
           res->off0, ROUNDS);
    return res->lat[ROUNDS / 2];
}

int main(void)
{
    if (goro_ncpu() < 2) {
        printf("# one core: nobody to raise the line while core 0 sleeps\n");
        return 0;
    }
    if (goro_pin(1) != 1)
        goro_panic("main: goro_pin(1) failed");
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
    goro_irq_detach(BOARD_TEST_IRQ);
    long v;
    goro_chan_recv(done, &v);
    report("irq_to_goroutine_idle", (double)show("idle core 0", &idle), "instructions");
    report("irq_to_goroutine_busy", (double)show("busy core 0", &busy), "instructions");
    return 0;
}
