/* A channel operation on g0 (the scheduler's stack: here by systemstack, as a runtime
 * function called from the wrong context would be) panics naming the wait, where a park
 * would switch the scheduler's own thread away: chan_park_as's check, which the direct
 * switch would otherwise pass (g0's status is RUNNING). Expected failure, message
 * checked. */
//! smp: 1
//! expect: exit 2
//! output: gopark: on g0 \(chan send\)
#include "check.h"
#include "runtime.h"

static void on_g0(void *arg)
{
    int64_t v = 1;
    goro_chan_send(arg, &v);    /* no receiver: it would park */
}

int main(void)
{
    goro_chan *c = goro_chan_make(sizeof(int64_t), 0);
    systemstack(on_g0, c, NULL);
    printf("not ok - chan_on_g0: a send on g0 returned\n");
    return 1;
}
