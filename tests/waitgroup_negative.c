/* A WaitGroup counter below zero panics (expected failure, message checked). */
//! smp: 1
//! expect: exit 2
//! output: ^panic: sync: negative WaitGroup counter
#include "check.h"

static goro_waitgroup wg;

int main(void)
{
    goro_wg_add(&wg, 1);
    goro_wg_done(&wg);
    goro_wg_done(&wg);
    printf("not ok - negative counter passed\n");
    return 1;
}
