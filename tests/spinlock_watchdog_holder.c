/* A spinlock held past WATCHDOG_LOCK_NS (1 s) is a deadlock: its waiter's watchdog
 * panics naming the holder, which it reads from the lock word (the holder's tag,
 * kernel/spinlock.h), and itself (expected failure). main, pinned to core 0, takes the
 * lock and keeps it with interrupts off; a goroutine pinned to core 1 waits for it. */
//! smp: 2
//! timeout: 20
//! expect: exit 2
//! output: ^panic: watchdog: spinlock test held by core 0 for more than \d+ ms \(core 1 waiting\)$
#include "check.h"
#include "kernel.h"

static struct spinlock l = SPINLOCK_INIT("test");
static int ready, held;         /* atomic: the waiter is on core 1; main holds l */

static void waiter(void *arg)
{
    (void)arg;
    if (goro_pin(1) != 1)
        goro_panic("waiter: goro_pin(1) failed");
    ATOMIC_STORE(&ready, 1);
    while (!ATOMIC_LOAD(&held))
        ;
    spin_lock(&l);
    printf("not ok - core 1 took a spinlock core 0 holds\n");
}

int main(void)
{
    if (goro_pin(0) != 0)
        goro_panic("main: goro_pin(0) failed");
    goro_go(waiter, NULL);
    while (!ATOMIC_LOAD(&ready))
        goro_gosched();
    spin_lock(&l);
    ATOMIC_STORE(&held, 1);
    for (;;)                    /* interrupts off: until the watchdog's panic stops this core */
        arch_relax();
}
