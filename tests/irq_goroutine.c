/* Device interrupts to goroutines: goro_irq_attach/wait/detach on the board's test
 * source (board.h BOARD_TEST_IRQ, kernel/irq.h irq_test_raise), every bad input, the
 * timeout (timed waits racing the line, on runtime/timer.h timers), detach under a
 * waiter, the wake's latency with a goroutine spinning on core 0 (the waiter must run
 * within a preemption of the interrupt, not after the spinner's time slice: checked
 * under icount, where board time is deterministic), and, last, main waiting on the
 * line alone while the source fires only after every core went idle (checkdead must
 * count an irq waiter as able to wake). Negative controls: irq_nopreempt.c
 * (irqdebug=nopreempt: the latency check fails), irq_deadcount_off.c
 * (irqdebug=nodeadcount: the last case reports a false deadlock). */
//! smp: 1 2 4
//! seeds: 1
//! icount: yes
//! timeout: 90
//! lockrank: yes
#include "check.h"
#include "board.h"
#include "irq.h"
#include "runtime.h"

#define WAKES 24
static goro_chan *done;
static volatile int stop_spin;
static volatile int64_t raised_at;
static int64_t lat[WAKES];

static void waiter(void *arg)
{
    (void)arg;
    for (int i = 0; i < WAKES; i++) {
        int r = goro_irq_wait(BOARD_TEST_IRQ, 0);
        lat[i] = goro_nanotime() - ATOMIC_LOAD(&raised_at);
        irq_test_lower();              /* service the device: it lets go of its line */
        int64_t v = r;
        goro_chan_send(done, &v);
    }
}

static void spinner(void *arg)
{
    /* One core: no pin (a preempted pinned goroutine goes back to its P's inbox, which
     * the scheduler looks at before the run queue: measured, main then waited ~60
     * slices per round behind the spinner, 21 s in all). */
    if (arg && goro_pin(0) != 0)
        goro_panic("spinner: goro_pin(0) failed");
    while (!ATOMIC_LOAD(&stop_spin))
        ;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void parked_waiter(void *arg)
{
    int64_t v = goro_irq_wait(BOARD_TEST_IRQ, 0);
    (void)arg;
    goro_chan_send(done, &v);
}

static volatile int64_t raise_after;

static void raiser(void *arg)
{
    (void)arg;
    goro_sleep(raise_after);
    irq_test_raise();
    int64_t v = 0;
    goro_chan_send(done, &v);
}

/* Whether every goroutine but the caller waits, main (goroutine 1) on the line. */
static bool others_all_waiting(void)
{
    goro_ginfo gs[16];
    int n = goro_goroutines(gs, 16);
    bool main_on_line = false;
    for (int i = 0; i < n && i < 16; i++) {
        if (gs[i].id == goro_id())
            continue;
        if (strcmp(gs[i].state, "waiting"))
            return false;
        main_on_line |= gs[i].id == 1 && !strcmp(gs[i].waitreason, "irq wait");
    }
    return n <= 16 && main_on_line;
}

/* On core 0, where device lines come: pend the line with interrupts off, and exit
 * (goro_goexit keeps them off into the scheduler, which finds nothing to run). */
static void late_raiser(void *arg)
{
    (void)arg;
    if (goro_pin(0) != 0)
        goro_panic("late_raiser: goro_pin(0) failed");
    /* Every other goroutine must be waiting, main on the line: a goroutine still to run
     * here (the last raiser, readied by main's receive) would take the interrupt as
     * soon as it turns interrupts on, before checkdead (sifive-u SMP 1, 1 run in 300:
     * the host stalled the core past this sleep's 2 ms, and its timer put us first). */
    do
        goro_sleep(2000000);
    while (!others_all_waiting());
    /* Core 0 must be the last to go idle, so that its checkdead runs before it takes
     * the interrupt (another core's could run after, with main already readied). */
    while (__atomic_load_n(&sched.npidle, __ATOMIC_SEQ_CST) != sched.gomaxprocs - 1)
        arch_relax();
    arch_intr_off();
    irq_test_raise();
    goro_goexit();
}

/* Whether parked_waiter is parked on the line (goro_goroutines: "irq wait"). */
static bool waiter_parked(void)
{
    goro_ginfo gs[16];
    int n = goro_goroutines(gs, 16);
    for (int i = 0; i < n && i < 16; i++)
        if (gs[i].fn == (void *)parked_waiter && !strcmp(gs[i].waitreason, "irq wait"))
            return true;
    return false;
}

/* Wait until parked_waiter waits on the line, up to 2 s; then a second waiter gets
 * EBUSY. (Asking before it had parked made main the line's waiter for its 1 ns, and the
 * parked_waiter then got EBUSY itself: raspi2b SMP 4, a loaded host.) */
static bool wait_parked(void)
{
    for (int i = 0; i < 2000 && !waiter_parked(); i++)
        goro_sleep(1000000);
    return waiter_parked() && goro_irq_wait(BOARD_TEST_IRQ, 1) == GORO_EBUSY;
}

int main(void)
{
    done = goro_chan_make(sizeof(int64_t), 0);
    int64_t v;
    /* Bad input: each a clear error code, never a hang or a panic. */
    check(goro_irq_attach(-1) == GORO_EINVAL, "attach_negative", "not EINVAL");
    check(goro_irq_attach(BOARD_IRQ_LINES) == GORO_EINVAL, "attach_no_such_line", "not EINVAL");
    check(goro_irq_attach(BOARD_CONSOLE_IRQ) == GORO_EBUSY, "attach_console_line", "not EBUSY");
#ifdef BOARD_GICD
    check(goro_irq_attach(BOARD_TIMER_PPI) == GORO_EBUSY, "attach_timer_ppi", "not EBUSY");
    check(goro_irq_attach(0) == GORO_EBUSY, "attach_ipi_sgi", "not EBUSY");
#endif
    if (!irq_valid(0))                 /* the PLIC's source 0 is "no interrupt" */
        check(goro_irq_attach(0) == GORO_EINVAL, "attach_line_0_none", "not EINVAL");
    check(goro_irq_wait(BOARD_TEST_IRQ, 0) == GORO_EINVAL, "wait_unattached", "not EINVAL");
    check(goro_irq_wait(BOARD_TEST_IRQ, 1000) == GORO_EINVAL, "timed_wait_unattached", "not EINVAL");
    check(goro_irq_wait(BOARD_CONSOLE_IRQ, 0) == GORO_EINVAL, "wait_console_line", "not EINVAL");
    check(goro_irq_wait(BOARD_IRQ_LINES, 0) == GORO_EINVAL, "wait_past_last_line", "not EINVAL");
    goro_irq_detach(BOARD_CONSOLE_IRQ); /* not ours: nothing, the console keeps it */
    check(goro_irq_attach(BOARD_CONSOLE_IRQ) == GORO_EBUSY, "console_line_kept", "not EBUSY");
    check(goro_irq_wait(-3, 0) == GORO_EINVAL, "wait_no_such_line", "not EINVAL");
    goro_irq_detach(BOARD_TEST_IRQ);   /* not attached: nothing */
    goro_irq_detach(-1);
    check(goro_irq_attach(BOARD_TEST_IRQ) == 0, "attach", "failed");
    check(goro_irq_attach(BOARD_TEST_IRQ) == GORO_EBUSY, "attach_twice", "not EBUSY");

    /* A line raised while nobody waits (masked: the device holds it): the next wait
     * returns at once. */
    irq_test_raise();
    int r = goro_irq_wait(BOARD_TEST_IRQ, 0);
    irq_test_lower();
    check(r == 0, "wait_pending_before_wait", "r %d", r);

    /* Two waiters at once: the second gets EBUSY; detach wakes the first with EINVAL. */
    goro_go(parked_waiter, NULL);
    check(wait_parked(), "second_waiter_busy", "the second wait never said EBUSY");
    goro_irq_detach(BOARD_TEST_IRQ);
    goro_chan_recv(done, &v);
    check(v == GORO_EINVAL, "detach_wakes_waiter", "waiter got %lld", (long long)v);
    check(goro_irq_wait(BOARD_TEST_IRQ, 0) == GORO_EINVAL, "wait_after_detach", "not EINVAL");
    check(goro_irq_attach(BOARD_TEST_IRQ) == 0, "attach_again", "failed");

    /* Wakes with core 0, where device lines come, busy: a spinner pinned there. main
     * raises the line from wherever it runs and blocks, so the waiter has no free core
     * handed to it: it runs at once only if the interrupt displaces the spinner. (Under
     * icount QEMU runs one core at a time, each until it sleeps or its next timer
     * deadline: a second busy core would delay core 0 by a slice whatever the runtime
     * does, so the other cores are left idle.) */
    int n = goro_ncpu();
    goro_go(spinner, n > 1 ? &n : NULL);
    goro_go(waiter, NULL);
    int bad = 0;
    for (int i = 0; i < WAKES; i++) {
        goro_sleep(300000);            /* the waiter parks again; the spinners spin */
        ATOMIC_STORE(&raised_at, goro_nanotime());
        irq_test_raise();
        goro_chan_recv(done, &v);
        bad += v != 0;
    }
    ATOMIC_STORE(&stop_spin, 1);
    check(bad == 0, "wakes_with_cores_busy", "%d of %d waits returned an error", bad, WAKES);
    qsort(lat, WAKES, sizeof lat[0], cmp64);
    int64_t median = lat[WAKES / 2], slice = 10000000;
    printf("# wake latency with core 0 busy, %d cores: median %lld ns, max %lld ns\n", n, (long long)median,
           (long long)lat[WAKES - 1]);
    if (strstr(boot_cmdline(), "icount=1"))
        check(median < slice / 10, "wake_within_a_preemption", "median %lld ns, slice %lld ns",
              (long long)median, (long long)slice);
    /* Timeout: the line never fires; then a wait with a timeout that it beats. */
    int64_t t0 = goro_nanotime();
    r = goro_irq_wait(BOARD_TEST_IRQ, 2000000);
    int64_t took = goro_nanotime() - t0;
    check(r == GORO_ETIMEDOUT && took >= 2000000, "wait_timeout", "r %d after %lld ns", r, (long long)took);
    irq_test_raise();
    r = goro_irq_wait(BOARD_TEST_IRQ, 1000000000);
    irq_test_lower();
    check(r == 0, "wait_fires_before_timeout", "r %d", r);

    /* Timed waits back to back (one timer per line, re-armed every wait), then racing
     * the line: a raiser on another goroutine fires near the deadline. Either may win;
     * a raise the timeout beat is never lost: the next wait returns it at once. */
    int wrong = 0, first_wrong = -1, first_r = 0;
    int64_t first_took = 0;
    for (int i = 0; i < 16; i++) {
        if (i % 2)
            irq_test_raise();
        int64_t w0 = goro_nanotime();
        r = goro_irq_wait(BOARD_TEST_IRQ, i % 2 ? 1000000000 : 100000);   /* MTTCG: delivery takes host time */
        irq_test_lower();
        if (r != (i % 2 ? 0 : GORO_ETIMEDOUT) && wrong++ == 0) {
            first_wrong = i;
            first_r = r;
            first_took = goro_nanotime() - w0;
        }
    }
    check(wrong == 0, "timed_waits_back_to_back", "%d of 16 wrong, the first wait %d (%s): r %d after %lld ns", wrong,
          first_wrong, first_wrong % 2 ? "raised" : "not raised", first_r, (long long)first_took);
    int won[2] = { 0, 0 };
    wrong = 0;
    for (int i = 0; i < 24; i++) {
        raise_after = 150000 + 10000 * (i % 8);
        goro_go(raiser, NULL);
        r = goro_irq_wait(BOARD_TEST_IRQ, 200000);
        if (r == GORO_ETIMEDOUT)
            r = goro_irq_wait(BOARD_TEST_IRQ, 2000000000) == 0 ? GORO_ETIMEDOUT : -1;
        irq_test_lower();
        goro_chan_recv(done, &v);      /* the raiser is done */
        if (r == 0 || r == GORO_ETIMEDOUT)
            won[r != 0]++;
        else
            wrong++;
    }
    printf("# timeout against the line: the line won %d, the timeout %d\n", won[0], won[1]);
    check(wrong == 0, "timeout_races_line", "%d of 24: a raise lost or a wrong result", wrong);
    /* Every raise above was lowered once its wait returned: nothing is left to fire. (A
     * wait that unmasked the line after taking the wake word could record one raise
     * twice, and every later wait then returned a raise early.) */
    r = goro_irq_wait(BOARD_TEST_IRQ, 100000);
    check(r == GORO_ETIMEDOUT, "no_firing_left_over", "r %d: a firing no raise made", r);

    /* main waits on the line alone: the raiser turns its core's interrupts off, pends
     * the line and exits, so every core goes idle (checkdead runs) before the interrupt
     * is taken. An irq waiter counts as able to wake: no deadlock, and the wait returns. */
    goro_go(late_raiser, NULL);
    r = goro_irq_wait(BOARD_TEST_IRQ, 0);
    irq_test_lower();
    check(r == 0, "irq_waiter_not_deadlocked", "r %d", r);

    goro_irq_detach(BOARD_TEST_IRQ);
    return check_failures;
}
