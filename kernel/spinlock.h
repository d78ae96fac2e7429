/* Spinlocks (spinlock.c). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "arch.h"
#include "lockrank.h"

/* Spinlocks (spinlock.c). Interrupts are off while one is held, so the holder is never
 * preempted; acquiring one already held by this core, or releasing one not held by
 * it, panics. The lock order is kernel/lockrank.h's, checked in LOCKRANK=1 builds.
 * The lock word is also the owner's record: the acquisition (spin_take) stores the
 * core's lock_tag (struct cpu: its index + 1, never 0), so no second store says who
 * holds it, and the release checks the holder with one compare before its one store
 * of 0. */
struct spinlock {
    uint32_t locked;        /* atomic: 0 free, else the holder's lock_tag (core index + 1) */
    const char *name;
#if GORO_LOCKRANK
    unsigned char rank;     /* lockrank.h: found by name at first use */
#endif
};
#if GORO_LOCKRANK
#define SPINLOCK_INIT(n) { 0, (n), RANK_UNRANKED }
#else
#define SPINLOCK_INIT(n) { 0, (n) }
#endif

/* One try at a spinlock's word for the core whose tag is tag: true if it was free and
 * now holds tag (acquire). A compare-and-swap (arch_lock_take), not an exchange: an
 * exchange that found the lock held would write this core's tag over the holder's, and
 * the holder's release would then find a word not its own (a false "not held" panic),
 * the watchdog name the wrong core. It may fail with the lock free (a lost
 * reservation), which every caller's slow path (spin_lock_slow) retries. */
static inline __attribute__((always_inline)) bool spin_take(uint32_t *word, uint32_t tag)
{
    return arch_lock_take(word, tag);
}

bool spin_trylock(struct spinlock *l);
bool spin_holding(struct spinlock *l);
void spin_lock_slow(struct spinlock *l);
_Noreturn void spin_unlock_fail(struct spinlock *l);
