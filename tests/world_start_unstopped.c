/* goro_start_the_world without a goro_stop_the_world is a clear panic (it used to
 * dereference a NULL M). The same call after a stop and start pair, first, shows the
 * check is about the stop: a paired call passes, the unpaired one after it panics. */
//! smp: 1 2
//! expect: exit 2
//! output: ^ok - a stop and start pair$
//! output: ^panic: goro_start_the_world: the world is not stopped \(no goro_stop_the_world before it\)$
#include "check.h"

int main(void)
{
    goro_stop_the_world("world_start_unstopped");
    goro_start_the_world();
    check(true, "a stop and start pair", "");
    goro_start_the_world();
    printf("not ok - goro_start_the_world without a stop returned\n");
    return 1;
}
