/* A test that never ends, for the HIL runner's own test (tests/hil/selftest.py): the
 * runner must report it as a timeout, then reset the board for the next image. */
//! only: hil
//! smp: 1 2
//! timeout: 5
#include "check.h"

int main(void)
{
    printf("ok - hil_hang started\n");
    for (;;)
        goro_sleep(100000000);
}
