/* A stop of the world reaches a P whose goroutines only hand off to each other: two
 * goroutines pinned to P 1 pass a token on an unbuffered channel, each readying the
 * other into runnext, so their slices are inherited and the P never looks at anything
 * but its one flag, attn (sched.c's switch path). The stopper sets attn on every P
 * (world.c, stop_the_world_with_sema step 1), so the first preemption it sends stops
 * the P. A stopper that forgot attn still stops it, but only once fairness (a fresh
 * slice every preemption, ATTN_FAIR every 61) sends the P through findrunnable: about
 * 60 re-sent preemption rounds a stop. Under icount (the board's time, deterministic)
 * the count of re-sent rounds says which happened; timing says nothing here.
 * Negative control: world_stop_attn_off.c (worlddebug=noattn) must fail. */
//! smp: 2
//! icount: only
//! timeout: 120
//! output: ^ok - world_stop_attn: 20 stops of a handing-off P, [0-9]+ preemption rounds re-sent$
#include "check.h"
#include "runtime.h"

#define STOPS 20

static goro_chan *ping, *pong;
static volatile uint32_t trips;

static void player(void *arg)
{
    bool first = arg != NULL;
    goro_pin(1);
    int tok = 0;
    if (first)
        goro_chan_send(ping, &tok);
    for (;;) {
        goro_chan_recv(first ? pong : ping, &tok);
        __atomic_fetch_add(&trips, 1, __ATOMIC_RELAXED);
        goro_chan_send(first ? ping : pong, &tok);
    }
}

int main(void)
{
    goro_pin(0);
    ping = goro_chan_make(sizeof(int), 0);
    pong = goro_chan_make(sizeof(int), 0);
    goro_go(player, NULL);
    goro_go(player, (void *)1);
    while (__atomic_load_n(&trips, __ATOMIC_RELAXED) < 200)
        goro_sleep(100000);
    uint32_t before = world_resends;
    for (int i = 0; i < STOPS; i++) {
        goro_stop_the_world("world_stop_attn");
        goro_start_the_world();
        goro_sleep(20000);        /* the pair hands off again meanwhile */
    }
    uint32_t resent = world_resends - before;
    check(trips > 200, "world_stop_attn: the pair ran", "%u trips", (unsigned)trips);
    /* At most one round a stop: a preemption the P takes just after its IPI's round
     * (the slice's end, a timer) may cost one more; fairness costs about 60. */
    char name[96];
    snprintf(name, sizeof name, "world_stop_attn: %d stops of a handing-off P, %u preemption rounds re-sent", STOPS,
             (unsigned)resent);
    check(resent <= STOPS, name, "more than one a stop");
    return check_failures;
}
