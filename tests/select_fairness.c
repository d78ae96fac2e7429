/* Select chooses uniformly among ready cases: with two always-ready cases, each is
 * chosen 40-60% of 10,000 selects. Also: a nil channel is never ready, a non-blocking
 * select with nothing ready returns -1, and a blocked select wakes on the case that
 * becomes ready.
 * The ring (select_ring): RING goroutines, RING_TOKENS tokens passed round them, each
 * goroutine's receive a select with a timeout (retried when it fires) that parks when
 * its channel is empty, a sleep every 16th round: with more goroutines than Ps, a
 * select's park and a sleep's often find the next goroutine at hand and take the
 * direct switch (gopark_commit), whose commit runs on that goroutine's stack while a
 * sender on another core may claim the select at once. No token may be lost or
 * doubled: every goroutine finishes its rounds, and the tokens left in the channels
 * carry, together, every hop. Negative control: tests/select_commit_early.c. */
//! smp: 1 2 4
//! seeds: 3
//! lockrank: yes
#include "check.h"

static goro_chan *late;

enum { RING = 8, RING_TOKENS = 3, RING_ROUNDS = 1500 };
static goro_chan *ring[RING], *ring_never;
static goro_waitgroup ring_done;
static volatile int ring_timeouts;

static void ring_member(void *arg)
{
    int i = (int)(uintptr_t)arg;
    for (int r = 0; r < RING_ROUNDS; r++) {
        long v = -1, unused;
        goro_case k[2] = { { ring[i], GORO_RECV, &v, false }, { ring_never, GORO_RECV, &unused, false } };
        int c;
        while ((c = goro_select_timeout(k, 2, 20000000)) == GORO_ETIMEDOUT)
            __atomic_add_fetch(&ring_timeouts, 1, __ATOMIC_RELAXED);
        if (c != 0 || v < 0)
            goro_panic("ring_member %d: case %d, token %ld", i, c, v);
        if (r % 16 == 15)
            goro_sleep(10000);
        v++;
        goro_chan_send(ring[(i + 1) % RING], &v);   /* buffered for every token: never parks */
    }
    goro_wg_done(&ring_done);
}

static void select_ring(void)
{
    ring_never = goro_chan_make(sizeof(long), 0);
    for (int i = 0; i < RING; i++)
        ring[i] = goro_chan_make(sizeof(long), RING_TOKENS);
    goro_wg_add(&ring_done, RING);
    for (int i = 0; i < RING; i++)
        goro_go(ring_member, (void *)(uintptr_t)i);
    for (int t = 0; t < RING_TOKENS; t++) {
        long zero = 0;
        goro_chan_send(ring[t * RING / RING_TOKENS], &zero);
    }
    goro_wg_wait(&ring_done);
    long hops = 0;
    int left = 0;
    for (int i = 0; i < RING; i++) {
        long v;
        while (goro_select((goro_case[1]){ { ring[i], GORO_RECV, &v, false } }, 1, false) == 0) {
            hops += v;
            left++;
        }
    }
    printf("# select ring: %d tokens left, %ld hops, %d timeouts\n", left, hops, ring_timeouts);
    check(left == RING_TOKENS && hops == (long)RING * RING_ROUNDS,
          "a ring of selects parking beside runnable goroutines loses and doubles no token",
          "%d tokens left (want %d), %ld hops (want %ld)", left, RING_TOKENS, hops, (long)RING * RING_ROUNDS);
}

static void send_late(void *arg)
{
    (void)arg;
    goro_sleep(2000000);
    long v = 3;
    goro_chan_send(late, &v);
}

int main(void)
{
    goro_chan *a = goro_chan_make(sizeof(long), 1), *b = goro_chan_make(sizeof(long), 1);
    long v = 1, got;
    int count[2] = { 0, 0 };
    for (int i = 0; i < 10000; i++) {
        goro_chan_send(a, &v);
        goro_chan_send(b, &v);
        goro_case k[2] = { { a, GORO_RECV, &got, false }, { b, GORO_RECV, &got, false } };
        int r = goro_select(k, 2, true);
        count[r]++;
        goro_chan_recv(r == 0 ? b : a, &got);      /* drain the other */
    }
    check(count[0] >= 4000 && count[0] <= 6000, "select picks each ready case 40-60%", "%d / %d", count[0],
          count[1]);
    goro_case nilk[2] = { { NULL, GORO_RECV, &got, false }, { a, GORO_RECV, &got, false } };
    check(goro_select(nilk, 2, false) == -1, "non-blocking select with nothing ready", "returned a case");
    late = goro_chan_make(sizeof(long), 0);
    goro_go(send_late, NULL);
    goro_case k3[3] = { { NULL, GORO_SEND, &v, false }, { a, GORO_RECV, &got, false }, { late, GORO_RECV, &got, false } };
    int r = goro_select(k3, 3, true);
    check(r == 2 && got == 3 && k3[2].ok, "blocked select wakes on the ready case", "case %d got %ld", r, got);
    select_ring();
    return check_failures;
}
