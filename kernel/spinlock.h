/* Spinlocks (spinlock.c). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* Spinlocks (spinlock.c). Interrupts are off while one is held, so the holder is never
 * preempted; acquiring one already held by this core, or releasing one not held by
 * it, panics. Lock order: see docs of each lock; the console lock is last of all. */
struct spinlock {
    uint32_t locked;        /* atomic */
    int owner;              /* core index + 1 of the holder, 0 when free */
    const char *name;
};
#define SPINLOCK_INIT(n) { 0, 0, (n) }
bool spin_trylock(struct spinlock *l);
bool spin_holding(struct spinlock *l);
void spin_lock_slow(struct spinlock *l);
_Noreturn void spin_unlock_fail(struct spinlock *l);
