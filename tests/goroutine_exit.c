/* Goroutine ends: one that returns ends cleanly; goro_goexit ends one from a nested
 * call; ids are positive and distinct; numgoroutine counts main. */
//! smp: 1 2 4
#include "check.h"

static goro_chan *c;

static void returns(void *arg)
{
    long v = (long)arg;
    goro_chan_send(c, &v);
}

static void nested_exit(void) { goro_goexit(); }

static void exits(void *arg)
{
    long v = (long)arg;
    goro_chan_send(c, &v);
    nested_exit();
    v = -1;
    goro_chan_send(c, &v);       /* never reached */
}

int main(void)
{
    check(goro_id() == 1, "main is goroutine 1", "id %lld", (long long)goro_id());
    check(goro_numgoroutine() == 1, "numgoroutine counts main", "%d", goro_numgoroutine());
    c = goro_chan_make(sizeof(long), 0);
    int64_t a = goro_go(returns, (void *)1L), b = goro_go(exits, (void *)2L);
    check(a > 1 && b > 1 && a != b, "ids are positive and distinct", "%lld %lld", (long long)a, (long long)b);
    long sum = 0, v;
    for (int i = 0; i < 2; i++) {
        goro_chan_recv(c, &v);
        sum += v;
    }
    /* Between its send and its exit a goroutine may wait for its vCPU (MTTCG on a
     * loaded host): give them up to 1 s of board time. */
    for (int i = 0; i < 1000 && goro_numgoroutine() > 1; i++)
        goro_sleep(1000000);
    check(sum == 3, "both goroutines ran", "sum %ld", sum);
    check(goro_numgoroutine() == 1, "returned and exited goroutines are gone", "%d alive", goro_numgoroutine());
    return check_failures;
}
