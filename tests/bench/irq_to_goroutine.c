/* irq_to_goroutine: instructions (icount: board ns, all cores together) from the test
 * source being told to fire (irq_test_raise, board.h BOARD_TEST_IRQ) to the goroutine
 * parked in goro_irq_wait running again, its first statement after the wait. The
 * start is the closest exact proxy for the interrupt's first instruction: the board
 * clock read on core 1 just before the raise's MMIO write (which asserts the line at
 * once: a pend at the GIC, an alarm already due on the goldfish RTC, a transmit
 * interrupt with an empty FIFO on the UARTs); it adds the raise's few instructions and
 * the controller's delivery to core 0 (under icount QEMU leaves core 1 at that write
 * and runs core 0 next, so core 1 adds next to nothing afterwards).
 *   idle: core 0 sleeps in WFI (its only goroutine is the parked waiter);
 *   busy: a goroutine pinned to core 0 spins there: the waiter must displace it at
 *         once (runnext and a preemption request, runtime/irq.c irq_ready), so the
 *         figure is idle's plus one switch, not the 10 ms slice.
 * main is pinned to core 1 and raises the line; device lines come to core 0. Median
 * of ROUNDS each; the phase against core 0's slice varies from round to round. */
//! smp: 2
#include <stdlib.h>
#include "bench.h"
#include "board.h"
#include "irq.h"

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

/* ROUNDS wakes; lat gets each's instructions. Returns how many ran off core 0. */
static int measure(int64_t *lat)
{
    int off0 = 0;
    long v;
    for (int i = 0; i < ROUNDS + 1; i++) {      /* the first round only brings the waiter to core 0 */
        goro_sleep(200000 + 7000 * i);          /* the waiter parks, core 0 settles */
        int64_t t0 = goro_nanotime();
        irq_test_raise();
        goro_chan_recv(done, &v);
        if (v != 0)
            goro_panic("irq_to_goroutine: goro_irq_wait returned %ld", v);
        if (i > 0) {
            lat[i - 1] = woke_at - t0;
            off0 += woke_core != 0;
        }
    }
    qsort(lat, ROUNDS, sizeof lat[0], cmp);
    return off0;
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

    int64_t idle[ROUNDS], busy[ROUNDS];
    int off_idle = measure(idle);
    goro_go(spinner, NULL);
    int off_busy = measure(busy);
    __atomic_store_n(&stop_spin, 1, __ATOMIC_RELEASE);
    goro_irq_detach(BOARD_TEST_IRQ);
    long v;
    goro_chan_recv(done, &v);

    printf("# idle core 0: median %lld, min %lld, max %lld (%d of %d ran off core 0)\n",
           (long long)idle[ROUNDS / 2], (long long)idle[0], (long long)idle[ROUNDS - 1], off_idle, ROUNDS);
    printf("# busy core 0: median %lld, min %lld, max %lld (%d of %d ran off core 0)\n",
           (long long)busy[ROUNDS / 2], (long long)busy[0], (long long)busy[ROUNDS - 1], off_busy, ROUNDS);
    report("irq_to_goroutine_idle", (double)idle[ROUNDS / 2], "instructions");
    report("irq_to_goroutine_busy", (double)busy[ROUNDS / 2], "instructions");
    return 0;
}
