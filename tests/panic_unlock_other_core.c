/* Releasing a spinlock that another core holds panics, naming the releasing core: the
 * lock word holds the holder's tag (kernel/spinlock.h) and the release compares it
 * with its own (expected failure). main, pinned to core 0, takes the lock and keeps it
 * with interrupts off; a goroutine pinned to core 1 releases it. */
//! smp: 2
//! seeds: 2
//! timeout: 20
//! expect: exit 2
//! output: ^panic: spinlock test: unlock of a lock not held by core 1$
#include "check.h"
#include "kernel.h"

static struct spinlock l = SPINLOCK_INIT("test");
static int ready, held;         /* atomic: the releaser is on core 1; main holds l */

static void releaser(void *arg)
{
    (void)arg;
    if (goro_pin(1) != 1)
        goro_panic("releaser: goro_pin(1) failed");
    ATOMIC_STORE(&ready, 1);
    while (!ATOMIC_LOAD(&held))
        ;
    spin_unlock(&l);
    printf("not ok - core 1 released a spinlock core 0 holds\n");
}

int main(void)
{
    if (goro_pin(0) != 0)
        goro_panic("main: goro_pin(0) failed");
    goro_go(releaser, NULL);
    while (!ATOMIC_LOAD(&ready))
        goro_gosched();
    spin_lock(&l);
    ATOMIC_STORE(&held, 1);
    for (;;)                    /* interrupts off: until the panic stops this core */
        arch_relax();
}
