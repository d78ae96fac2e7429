/* Timers, tickers and select with a timeout (goro_timer_*, goro_select_timeout), Go 1.23
 * semantics:
 * - accuracy: a 1 ms timer, a 1 ms select timeout and a 2 ms ticker fire no earlier than
 *   asked; under icount (exact board time) no later than BOUND_NS after (the timer
 *   interrupt's entry, the firing and the wake of the receiver take a few thousand
 *   instructions at 1 ns each; 50 us leaves room for a 10 ms slice tick landing on the
 *   same instant). Under MTTCG board time follows the host: only a lost wake-up fails.
 * - a ticker delivers one value per period; a slow reader finds one old value, never a
 *   backlog, and the next comes within a period;
 * - stop and reset: true while active, a fired value nobody received counts as not
 *   fired and is discarded, nothing from before the call arrives after it;
 * - the race: the timer on P 1 fires while main on P 0 stops or resets it at that
 *   instant (random offsets): stop always says true (no one received) and no value
 *   arrives after it; a freed timer or ticker firing on another core leaves the memory
 *   it had alone;
 * - a 1 ns ticker leaves its core to the goroutine that made it (ticker_starve);
 * - select_timeout: a ready case beats a zero, negative or positive timeout; nothing
 *   ready times out; no cases sleeps out the timeout; a channel operation and a timeout
 *   racing on two cores never both win (every send that completed was received).
 * A goroutine blocked only on a timer or a timeout is not a deadlock: main does exactly
 * that throughout, with no other goroutine runnable. */
//! smp: 1 2 4
//! seeds: 2
//! icount: yes
//! timeout: 90
//! lockrank: yes
#include "check.h"
#include "select_race.h"

#define MS 1000000LL
#define US 1000LL
#define BOUND_NS (50 * US)

static bool icount;
static bool multi;          /* a second P: the racing cases put their timers there */

static int64_t recv_time(goro_timer *t)
{
    int64_t v = -1;
    goro_chan_recv(goro_timer_chan(t), &v);
    return v;
}

/* Is there a value on t's channel within ns? */
static bool arrives(goro_timer *t, int64_t ns, int64_t *v)
{
    goro_case k = { goro_timer_chan(t), GORO_RECV, v, false };
    return goro_select_timeout(&k, 1, ns) == 0;
}

static bool late_ok(int64_t late) { return late >= 0 && (!icount || late <= BOUND_NS); }

static void accuracy(void)
{
    int64_t t0 = goro_nanotime();
    goro_timer *t = goro_timer_new(1 * MS);
    int64_t v = recv_time(t), t1 = goro_nanotime();
    check(late_ok(v - t0 - 1 * MS) && t1 >= v, "timer 1 ms fires after 1 ms, within bound",
          "fired %lld ns after the call, received at %lld", (long long)(v - t0), (long long)(t1 - t0));
    goro_timer_free(t);

    t0 = goro_nanotime();
    goro_chan *never = goro_chan_make(sizeof(int), 0);
    int x;
    goro_case k = { never, GORO_RECV, &x, false };
    int r = goro_select_timeout(&k, 1, 1 * MS);
    int64_t el = goro_nanotime() - t0;
    check(r == GORO_ETIMEDOUT && late_ok(el - 1 * MS), "select_timeout 1 ms times out after 1 ms, within bound",
          "returned %d after %lld ns", r, (long long)el);
    t0 = goro_nanotime();
    r = goro_select_timeout(NULL, 0, 1 * MS);
    el = goro_nanotime() - t0;
    check(r == GORO_ETIMEDOUT && late_ok(el - 1 * MS), "select_timeout with no cases sleeps out the timeout",
          "returned %d after %lld ns", r, (long long)el);
    goro_chan_free(never);
}

static void ticker(void)
{
    enum { N = 8 };
    const int64_t P = 2 * MS;
    int64_t t0 = goro_nanotime();
    goro_timer *tk = goro_ticker_new(P);
    int64_t v[N];
    for (int i = 0; i < N; i++)
        v[i] = recv_time(tk);
    bool ok = late_ok(v[0] - t0 - P);
    for (int i = 1; i < N && ok; i++)
        ok = icount ? v[i] - v[i - 1] >= P - BOUND_NS && v[i] - v[i - 1] <= P + BOUND_NS : v[i] > v[i - 1];
    check(ok, "ticker delivers one value per period", "first after %lld ns, then +%lld +%lld ... (period %lld)",
          (long long)(v[0] - t0), (long long)(v[1] - v[0]), (long long)(v[2] - v[1]), (long long)P);

    busy_for(5 * P + P / 2);           /* a slow reader: five ticks fall due meanwhile */
    int len = goro_chan_len(goro_timer_chan(tk));
    int64_t t1 = goro_nanotime(), old = recv_time(tk);
    int64_t t2 = goro_nanotime(), fresh = recv_time(tk), t3 = goro_nanotime();
    /* Under MTTCG a stalled vCPU may take a due tick's interrupt late: there only the
     * absence of a backlog, and order, are certain. */
    bool slow_ok = icount ? len == 1 && old < t1 && fresh >= t2 && t3 - t2 <= P + BOUND_NS : len <= 1 && fresh > old;
    check(slow_ok,
          "a slow ticker reader finds one old value, then waits for the next tick",
          "%d queued, old value %lld ns before, the next at +%lld ns after a wait of %lld ns", len,
          (long long)(t1 - old), (long long)(fresh - t2), (long long)(t3 - t2));
    check(goro_timer_stop(tk) && !arrives(tk, 3 * P, &t1), "a stopped ticker delivers nothing",
          "a tick arrived after stop");
    t0 = goro_nanotime();
    bool was = goro_timer_reset(tk, P / 2);
    int64_t a = recv_time(tk), b = recv_time(tk);
    check(!was && late_ok(a - t0 - P / 2) && (!icount || (b - a >= P / 2 - BOUND_NS && b - a <= P / 2 + BOUND_NS)),
          "ticker reset of a stopped ticker: false, then ticks at the new period",
          "returned %d; ticks %lld and %lld ns after it", was, (long long)(a - t0), (long long)(b - t0));
    goro_timer_free(tk);
}

static void stop_reset(void)
{
    int64_t v;
    goro_timer *t = goro_timer_new(5 * MS);
    check(goro_timer_stop(t), "stop of a pending timer returns true", "returned false");
    check(!goro_timer_stop(t), "a second stop returns false", "returned true");
    check(!arrives(t, 7 * MS, &v), "a stopped timer never fires", "a value arrived (stamp %lld)", (long long)v);

    goro_timer_reset(t, 1 * MS);
    goro_sleep(2 * MS);                /* fired: its value waits in the channel */
    int len = goro_chan_len(goro_timer_chan(t));
    bool stopped = goro_timer_stop(t);
    check(len == 1 && stopped && !arrives(t, 0, &v), "stop discards a fired value nobody received",
          "%d queued before stop, stop returned %d, then a value (stamp %lld ns ago) arrived", len, stopped,
          (long long)(goro_nanotime() - v));

    check(!goro_timer_reset(t, 1 * MS), "reset of a stopped timer returns false", "returned true");
    v = recv_time(t);
    check(!goro_timer_stop(t), "stop after the value was received returns false", "returned true");

    goro_timer_reset(t, 1 * MS);
    goro_sleep(2 * MS);
    int64_t t0 = goro_nanotime();
    bool was = goro_timer_reset(t, 1 * MS);
    v = recv_time(t);
    check(was && v >= t0 + 1 * MS, "reset discards a fired value nobody received",
          "reset returned %d; received a value stamped %lld ns after the reset", was, (long long)(v - t0));

    goro_timer_reset(t, 50 * MS);
    t0 = goro_nanotime();
    was = goro_timer_reset(t, 1 * MS);
    v = recv_time(t);
    check(was && late_ok(v - t0 - 1 * MS) && (!icount || v - t0 < 50 * MS), "reset moves a pending timer's deadline",
          "reset returned %d; fired %lld ns after it", was, (long long)(v - t0));
    goro_timer_free(t);
    t0 = goro_nanotime();
    goro_timer *z = goro_timer_new(0);
    v = recv_time(z);
    check(v >= t0 && (!icount || goro_nanotime() - t0 < BOUND_NS), "a 0 ns timer fires at once",
          "received after %lld ns", (long long)(goro_nanotime() - t0));
    goro_timer_free(z);
    check(goro_ticker_new(0) == NULL && goro_ticker_new(-5) == NULL, "a ticker period <= 0 is refused",
          "goro_ticker_new returned a ticker");
}

/* A 1 ns ticker fires on every tick of its core, and each firing re-arms it for a
 * period that is over before the firing ends: the goroutine that made it must still get
 * the core (preempt.c's tick_throttle gives it at least half). Before that, a 2 us
 * ticker on qemu-virt-riscv64 left its pinned maker in the timer interrupt for good
 * (this hung: the negative control is a build without the throttle). The work is
 * counted in loop rounds, not time: under icount it may take at most 4 times as long
 * as without the ticker, plus the bound; under MTTCG, finishing is what counts. */
static void ticker_starve(void)
{
    enum { WORK = 200000 };
    if (goro_pin(-1) < 0)
        goro_panic("ticker_starve: goro_pin failed");
    volatile unsigned sink = 0;
    int64_t t0 = goro_nanotime();
    for (unsigned i = 0; i < WORK; i++)
        sink += i;
    int64_t plain = goro_nanotime() - t0;
    goro_timer *fast = goro_ticker_new(1);
    t0 = goro_nanotime();
    for (unsigned i = 0; i < WORK; i++)
        sink += i;
    int64_t ticked = goro_nanotime() - t0;
    goro_timer_free(fast);
    goro_unpin();
    printf("# a 1 ns ticker on this core: the work took %lld ns, %lld ns without it\n", (long long)ticked,
           (long long)plain);
    check(!icount || ticked <= 4 * plain + BOUND_NS, "a 1 ns ticker leaves its core to the goroutine that made it",
          "the work took %lld ns, %lld ns without the ticker", (long long)ticked, (long long)plain);
}

/* ---- races with the timer on another core ---- */
static goro_timer *volatile made;
static volatile int64_t make_ns;
static goro_chan *go_make, *made_ack;
static goro_waitgroup helper_done;

/* Pinned to P 1: makes the timers (so they fire on core 1) when told. */
static void maker(void *arg)
{
    (void)arg;
    if (goro_pin(1) != 1)
        goro_panic("maker: goro_pin(1) failed");
    int64_t ns;
    while (goro_chan_recv(go_make, &ns)) {
        goro_timer *t = ns < 0 ? goro_ticker_new(-ns) : goro_timer_new(ns);
        goro_chan_send(made_ack, &t);
    }
    goro_unpin();
    goro_wg_done(&helper_done);
}

static goro_timer *make_remote(int64_t ns)
{
    goro_timer *t;
    goro_chan_send(go_make, &ns);
    goro_chan_recv(made_ack, &t);
    return t;
}

static void races(void)
{
    enum { ROUNDS = 150 };
    int stop_false = 0, late = 0, reset_false = 0, reset_late = 0;
    for (int i = 0; i < ROUNDS; i++) {
        int64_t d = 20 * US + (int64_t)(goro_rand() % (40 * US));
        int64_t t0 = goro_nanotime();
        goro_timer *t = make_remote(d);
        int64_t at = t0 + 20 * US + (int64_t)(goro_rand() % (60 * US));
        while (goro_nanotime() < at)
            ;
        int64_t v;
        if (i & 1) {
            stop_false += !goro_timer_stop(t);         /* no one received: always true */
            late += arrives(t, 200 * US, &v);
        } else {
            int64_t r0 = goro_nanotime();
            reset_false += !goro_timer_reset(t, 5 * MS);
            /* The new deadline is 5 ms away: a value stamped before it is the old firing's
             * (a host that stalls main 5 ms lets the new one come in the 200 us, rightly). */
            reset_late += arrives(t, 200 * US, &v) && v < r0 + 5 * MS;
        }
        goro_timer_free(t);
    }
    check(stop_false == 0 && late == 0 && reset_false == 0 && reset_late == 0,
          "stop/reset racing the firing on another core: true, and no value from before the call",
          "%d stops false, %d values after stop, %d resets false, %d old values after reset (of %d)", stop_false,
          late, reset_false, reset_late, ROUNDS);

    /* Free while firing: a fast ticker and one-shots at their deadline, on core 1, freed
     * here; the freed memory, reused at once, must stay as we fill it. */
    int spoiled = 0;
    for (int i = 0; i < 60; i++) {
        goro_timer *t = make_remote(i & 1 ? -(int64_t)(5 * US) : 10 * US + (int64_t)(goro_rand() % (20 * US)));
        busy_for(5 * US + (int64_t)(goro_rand() % (30 * US)));
        goro_timer_free(t);
        enum { NB = 12 };            /* sizes 32..208: the timer's and its channel's */
        unsigned char *b[NB];
        for (int j = 0; j < NB; j++) {
            b[j] = malloc(32 + 16 * j);
            memset(b[j], 0xa5, 32 + 16 * j);
        }
        busy_for(60 * US);
        for (int j = 0; j < NB; j++) {
            for (int k = 0; k < 32 + 16 * j; k++)
                spoiled += b[j][k] != 0xa5;
            free(b[j]);
        }
    }
    check(spoiled == 0, "goro_timer_free while it fires on another core: nothing touches it after",
          "%d bytes of reused memory changed", spoiled);
}

/* ---- select_timeout ---- */
static void selects(void)
{
    goro_chan *b = goro_chan_make(sizeof(int), 1), *never = goro_chan_make(sizeof(int), 0);
    int x = 7, y = 0;
    goro_chan_send(b, &x);
    bool ok = true;
    int64_t tos[] = { 0, -1, 1 * MS };
    for (int i = 0; i < 3; i++) {
        goro_case k[2] = { { never, GORO_RECV, &y, false }, { b, GORO_RECV, &y, false } };
        int r = goro_select_timeout(k, 2, tos[i]);
        ok &= r == 1 && y == 7 && k[1].ok;
        goro_chan_send(b, &x);
    }
    check(ok, "select_timeout: a ready case wins over a 0, negative or 1 ms timeout", "timed out");
    goro_chan_recv(b, &y);
    goro_case k1 = { b, GORO_RECV, &y, false };
    int64_t t0 = goro_nanotime();
    int r = goro_select_timeout(&k1, 1, 0);
    check(r == GORO_ETIMEDOUT && (!icount || goro_nanotime() - t0 < BOUND_NS),
          "select_timeout 0 with nothing ready returns GORO_ETIMEDOUT at once", "returned %d", r);

    t0 = goro_nanotime();
    goro_timer *t = goro_timer_new(1 * MS);
    int64_t v = 0;
    goro_case k2[2] = { { never, GORO_RECV, &y, false }, { goro_timer_chan(t), GORO_RECV, &v, false } };
    r = goro_select_timeout(k2, 2, 50 * MS);
    check(r == 1 && v >= t0 + 1 * MS && (!icount || goro_nanotime() - t0 < 2 * MS),
          "a timer's channel in select_timeout wins before the timeout", "returned %d, value %lld ns after", r,
          (long long)(v - t0));
    goro_timer_free(t);

    goro_chan_free(b);
    goro_chan_free(never);
}

int main(void)
{
    icount = strstr(boot_cmdline(), "icount=1") != NULL;
    multi = goro_gomaxprocs(0) >= 2;
    /* timerchan=races (by hand, for seed sweeps): only the races on two cores. */
    bool races_only = strstr(boot_cmdline(), "timerchan=races") != NULL;
    printf("# timer_chan: %s, %d cores\n", icount ? "icount" : "MTTCG", goro_ncpu());
    if (!races_only) {
        accuracy();
        ticker();
        stop_reset();
        ticker_starve();
    }
    go_make = goro_chan_make(sizeof(int64_t), 0);
    made_ack = goro_chan_make(sizeof(goro_timer *), 0);
    if (multi) {
        goro_wg_add(&helper_done, 1);
        goro_go(maker, NULL);
        races();
        goro_chan_close(go_make);
        goro_wg_wait(&helper_done);
    }
    if (!races_only)
        selects();
    /* The select race (select_race.h). Under icount on the RISC-V boards it hung until
     * the timers stopped programming the core's timer with a channel lock held (timer.h,
     * timer_kick). Negative control: tests/timer_stale.c, selectdebug=bothwin. */
    select_race(200, multi);
    return check_failures;
}
