/* main returning ends the program with its status while other goroutines still run
 * (Go semantics): spinners on every core don't keep it alive. */
//! smp: 1 2 4
//! raw: yes
//! expect: exit 3
//! output: ^ok - main returns with spinners running
#include "check.h"

static void spin(void *arg)
{
    (void)arg;
    for (;;)
        ;
}

static void sleeper(void *arg)
{
    (void)arg;
    goro_sleep(1000000000000LL);
}

int main(void)
{
    for (int i = 0; i < 2 * goro_ncpu(); i++)
        goro_go(spin, NULL);
    goro_go(sleeper, NULL);
    goro_sleep(20000000);
    printf("ok - main returns with spinners running\n");
    return 3;
}
