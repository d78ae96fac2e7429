/* goro_pin: two goroutines pinned to P 0 and P 1 hand a token back and forth over
 * unbuffered channels, and every step checks that each still runs on the core it was
 * pinned on. Without pinning, the readied goroutine runs next on the readier's P
 * (goready), so the pair soon shares one core: the check catches any step elsewhere.
 * Rounds: alone (the cores sleep between messages); while main runs goro_gc() over and
 * over (suspend_g stops and resumes them, the world stops); while unpinned goroutines
 * spin on every core (the pinned ones wait their turn on their P, are preempted, and
 * idle Ps steal). Then goro_gomaxprocs(1) unpins a goroutine pinned to P 1, and it can
 * pin there again once P 1 is back; goro_pin out of range (p >= ncpu, or negative
 * other than -1) says -1. */
//! smp: 2 4
//! seeds: 3
//! icount: yes
#include "check.h"

struct side {
    int p;                      /* P to pin to */
    int core;                   /* core it was on once pinned */
    int pinned;                 /* goro_pin's answer */
    int moved;                  /* steps found on another core */
    int first_bad, bad_core;    /* the first of them */
};

static goro_chan *ping, *pong;
static goro_waitgroup wg;
static volatile int rounds_left;
static int sides_done;           /* atomic: goroutines of the round that finished */

static void step_check(struct side *s, int i)
{
    int c = goro_cpu();
    if (c != s->core && s->moved++ == 0) {
        s->first_bad = i;
        s->bad_core = c;
    }
}

static void pinger(void *arg)
{
    struct side *s = arg;
    s->pinned = goro_pin(s->p);
    s->core = goro_cpu();
    int n = rounds_left;
    for (int i = 0; i < n; i++) {
        long v = i;
        goro_chan_send(ping, &v);
        step_check(s, i);
        goro_chan_recv(pong, &v);
        step_check(s, i);
    }
    goro_unpin();
    ATOMIC_ADD(&sides_done, 1);
    goro_wg_done(&wg);
}

static void ponger(void *arg)
{
    struct side *s = arg;
    s->pinned = goro_pin(s->p);
    s->core = goro_cpu();
    int n = rounds_left;
    for (int i = 0; i < n; i++) {
        long v;
        goro_chan_recv(ping, &v);
        step_check(s, i);
        goro_chan_send(pong, &v);
        step_check(s, i);
    }
    goro_unpin();
    ATOMIC_ADD(&sides_done, 1);
    goro_wg_done(&wg);
}

static volatile int stop_spin;
static goro_waitgroup spin_wg;

static void spinner(void *arg)
{
    (void)arg;
    while (!ATOMIC_LOAD(&stop_spin))
        ;
    goro_wg_done(&spin_wg);
}

/* One round of n round trips; during: what main does meanwhile (NULL: wait). */
static void pingpong_round(const char *name, int n, void (*during)(void))
{
    struct side a = { .p = 0 }, b = { .p = 1 };
    rounds_left = n;
    ATOMIC_STORE(&sides_done, 0);
    goro_wg_add(&wg, 2);
    goro_go(pinger, &a);
    goro_go(ponger, &b);
    if (during)
        during();
    goro_wg_wait(&wg);
    printf("# %s: %d round trips, pinger on core %d, ponger on core %d\n", name, n, a.core, b.core);
    check(a.pinned == 0 && b.pinned == 1 && a.core != b.core && a.moved == 0 && b.moved == 0, name,
          "goro_pin said %d and %d; cores %d and %d; pinger ran elsewhere at %d steps (first: step %d on core %d), "
          "ponger at %d (first: step %d on core %d)",
          a.pinned, b.pinned, a.core, b.core, a.moved, a.first_bad, a.bad_core, b.moved, b.first_bad, b.bad_core);
}

static void gc_meanwhile(void)
{
    int64_t start = goro_nanotime();
    int cycles = 0;
    goro_gcstats st0, st1;
    goro_gc_stats(&st0);
    while (cycles < 3 || (ATOMIC_LOAD(&sides_done) < 2 && goro_nanotime() - start < 2000000000LL)) {
        goro_gc();
        cycles++;
    }
    goro_gc_stats(&st1);
    printf("# %d collections, %llu stacks scanned meanwhile\n", cycles,
           (unsigned long long)(st1.stacks_scanned - st0.stacks_scanned));
}

static void spin_meanwhile(void) { goro_sleep(1000000); }

/* Pinned to P 1, then P 1 goes away and comes back. */
static goro_chan *resize_go;
static int resize_answers[4];
static long token;

static void resize_victim(void *arg)
{
    (void)arg;
    resize_answers[0] = goro_pin(1);
    goro_chan_send(resize_go, &token);         /* pinned: main may shrink now */
    goro_chan_recv(resize_go, NULL);         /* gomaxprocs is 1 */
    resize_answers[1] = goro_pinned();
    goro_chan_send(resize_go, &token);
    goro_chan_recv(resize_go, NULL);         /* gomaxprocs is back */
    resize_answers[2] = goro_pin(1);
    resize_answers[3] = goro_pinned();
    goro_unpin();
    goro_wg_done(&wg);
}

int main(void)
{
    int ncpu = goro_ncpu();
    check(goro_pin(ncpu) == -1 && goro_pinned() == -1, "goro_pin out of range", "said %d, pinned %d",
          goro_pin(ncpu), goro_pinned());
    check(goro_pin(-2) == -1 && goro_pinned() == -1, "goro_pin(-2) is out of range (only -1 means here)",
          "said %d, pinned %d", goro_pin(-2), goro_pinned());
    goro_unpin();
    ping = goro_chan_make(sizeof(long), 0);
    pong = goro_chan_make(sizeof(long), 0);
    if (ncpu < 2) {
        printf("# one core: nothing to pin apart\n");
        return check_failures;
    }
    pingpong_round("pinned ping-pong stays on its cores", 2000, NULL);
    pingpong_round("pinned ping-pong survives goro_gc", 300, gc_meanwhile);

    stop_spin = 0;
    goro_wg_add(&spin_wg, ncpu);
    for (int i = 0; i < ncpu; i++)
        goro_go(spinner, NULL);
    pingpong_round("pinned ping-pong survives spinners on every core", 20, spin_meanwhile);
    ATOMIC_STORE(&stop_spin, 1);
    goro_wg_wait(&spin_wg);
    printf("# spinners done\n");

    resize_go = goro_chan_make(sizeof(long), 0);
    goro_wg_add(&wg, 1);
    goro_go(resize_victim, NULL);
    goro_chan_recv(resize_go, NULL);
    goro_gomaxprocs(1);
    printf("# gomaxprocs 1\n");
    goro_chan_send(resize_go, &token);
    goro_chan_recv(resize_go, NULL);
    goro_gomaxprocs(ncpu);
    printf("# gomaxprocs %d\n", ncpu);
    goro_chan_send(resize_go, &token);
    goro_wg_wait(&wg);
    check(resize_answers[0] == 1 && resize_answers[1] == -1 && resize_answers[2] == 1 && resize_answers[3] == 1,
          "goro_gomaxprocs below a pinned P unpins it", "pin %d, after shrinking %d, pin again %d, pinned %d",
          resize_answers[0], resize_answers[1], resize_answers[2], resize_answers[3]);
    return check_failures;
}
