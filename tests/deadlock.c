/* All goroutines blocked forever is reported as a deadlock with every goroutine, named
 * by its function (the image's symbol table), and exit status 2 (expected failure,
 * message checked). */
//! smp: 1 2 4
//! expect: exit 2
//! output: ^fatal error: all goroutines are asleep - deadlock!
//! output: ^goroutine \d+ \[waiting, chan receive\]: function 0x[0-9a-f]+ \(stuck\)$
#include "check.h"

static goro_chan *c;

static void stuck(void *arg)
{
    (void)arg;
    goro_chan_recv(c, NULL);
}

int main(void)
{
    c = goro_chan_make(0, 0);
    goro_go(stuck, NULL);
    goro_chan_send(goro_chan_make(0, 0), NULL);   /* nobody will ever receive */
    printf("not ok - survived a deadlock\n");
    return 1;
}
