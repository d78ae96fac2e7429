/* Closing a channel twice panics (expected failure, message checked). */
//! smp: 1
//! expect: exit 2
//! output: ^panic: close of closed channel
#include "check.h"

int main(void)
{
    goro_chan *c = goro_chan_make(sizeof(int), 0);
    goro_chan_close(c);
    goro_chan_close(c);
    printf("not ok - closed a channel twice\n");
    return 1;
}
