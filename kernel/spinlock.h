/* Spinlocks (spinlock.c). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "lockrank.h"

/* Spinlocks (spinlock.c). Interrupts are off while one is held, so the holder is never
 * preempted; acquiring one already held by this core, or releasing one not held by
 * it, panics. The lock order is kernel/lockrank.h's, checked in LOCKRANK=1 builds. */
struct spinlock {
    uint32_t locked;        /* atomic */
    int owner;              /* core index + 1 of the holder, 0 when free */
    const char *name;
#if GORO_LOCKRANK
    unsigned char rank;     /* lockrank.h: found by name at first use */
#endif
};
#if GORO_LOCKRANK
#define SPINLOCK_INIT(n) { 0, 0, (n), RANK_UNRANKED }
#else
#define SPINLOCK_INIT(n) { 0, 0, (n) }
#endif
bool spin_trylock(struct spinlock *l);
bool spin_holding(struct spinlock *l);
void spin_lock_slow(struct spinlock *l);
_Noreturn void spin_unlock_fail(struct spinlock *l);
