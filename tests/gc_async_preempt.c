/* Go's TestAsyncPreempt: with gomaxprocs 1 a goroutine loops with no calls at all, and
 * goro_gc() still returns: the collector's stop-the-world and stack scan preempt it. */
//! smp: 1 2
//! icount: yes
#include "check.h"

static volatile int stop;

static void tight(void *arg)
{
    (void)arg;
    while (!stop)
        ;
}

int main(void)
{
    int old = goro_gomaxprocs(1);
    goro_go(tight, NULL);
    goro_sleep(1000000);
    goro_gc();
    goro_gc();
    stop = 1;
    goro_gomaxprocs(old);
    check(true, "goro_gc returns beside a loop with no calls", "");
    return check_failures;
}
