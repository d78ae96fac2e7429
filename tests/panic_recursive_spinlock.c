/* Taking a spinlock twice on one core panics, with main in the backtrace (expected failure). */
//! smp: 1 2
//! expect: exit 2
//! output: ^panic: spinlock test: recursive acquisition on core
//! output: ^  #\d+ pc 0x[0-9a-f]+ main\+0x[0-9a-f]+$
#include "check.h"
#include "kernel.h"

static struct spinlock l = SPINLOCK_INIT("test");

int main(void)
{
    spin_lock(&l);
    spin_lock(&l);
    printf("not ok - took a spinlock twice\n");
    return 1;
}
