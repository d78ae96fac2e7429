/* Releasing a spinlock that isn't held panics, with main in the backtrace (expected failure). */
//! smp: 1
//! expect: exit 2
//! output: ^panic: spinlock test: unlock of a lock not held
//! output: ^  #\d+ pc 0x[0-9a-f]+ main\+0x[0-9a-f]+$
#include "check.h"
#include "kernel.h"

static struct spinlock l = SPINLOCK_INIT("test");

int main(void)
{
    spin_unlock(&l);
    printf("not ok - released a free spinlock\n");
    return 1;
}
