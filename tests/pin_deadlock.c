/* Pinned goroutines blocked forever are still a deadlock: after a pinned ping-pong
 * (whose goroutines wait, between messages, in their P's inbox while every other P may
 * be idle: that must never be reported), main, pinned to the last P, and a goroutine
 * pinned to P 0 both block for good. checkdead reports it, naming both, exit 2. */
//! smp: 1 2 4
//! expect: exit 2
//! output: ^fatal error: all goroutines are asleep - deadlock!
//! output: ^goroutine \d+ \[waiting, chan receive\]: function 0x[0-9a-f]+ \(stuck_pinned\)$
//! output: ^goroutine 1 \[waiting, chan receive\]
#include "check.h"

static goro_chan *c, *never, *ping;

static void stuck_pinned(void *arg)
{
    (void)arg;
    goro_pin(0);
    long v;
    for (int i = 0; i < 200; i++) {
        goro_chan_recv(ping, &v);
        goro_chan_send(ping, &v);
    }
    goro_chan_recv(never, NULL);
}

int main(void)
{
    c = goro_chan_make(sizeof(long), 0);
    never = goro_chan_make(sizeof(long), 0);
    ping = goro_chan_make(sizeof(long), 0);
    goro_pin(goro_ncpu() - 1);
    goro_go(stuck_pinned, NULL);
    long v = 0;
    for (int i = 0; i < 200; i++) {
        goro_chan_send(ping, &v);
        goro_chan_recv(ping, &v);
    }
    printf("# ping-pong done; blocking for good on core %d\n", goro_cpu());
    goro_chan_recv(c, NULL);
    return 0;
}
