/* Releasing a spinlock that isn't held panics (expected failure). */
//! smp: 1
//! expect: exit 2
//! output: ^panic: spinlock test: unlock of a lock not held
#include "check.h"
#include "kernel.h"

static struct spinlock l = SPINLOCK_INIT("test");

int main(void)
{
    spin_unlock(&l);
    printf("not ok - released a free spinlock\n");
    return 1;
}
