/* A send on a closed channel panics (expected failure, message checked). */
//! smp: 1 2
//! expect: exit 2
//! output: ^panic: send on closed channel
#include "check.h"

int main(void)
{
    goro_chan *c = goro_chan_make(sizeof(int), 1);
    goro_chan_close(c);
    int v = 1;
    goro_chan_send(c, &v);
    printf("not ok - sent on a closed channel\n");
    return 1;
}
