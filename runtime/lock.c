/* rawlock: a lock word with interrupts off while held, for the small locks embedded in
 * public types (goro_mutex's waiter queue, goro_waitgroup), which can't hold a struct
 * spinlock. Held only for a few instructions, never across a park (gopark's unlockf
 * releases it on g0). */
#include "runtime.h"

#if GORO_LOCKRANK
void rawlock_ranked(uint32_t *l, const char *file)
{
    intr_push();
    lockrank_raw_acquire(l, file);
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(l, __ATOMIC_RELAXED))
            arch_relax();
}
#undef rawlock
#endif

void rawlock(uint32_t *l)
{
    intr_push();
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(l, __ATOMIC_RELAXED))
            arch_relax();
}

void rawunlock(uint32_t *l)
{
    if (!__atomic_load_n(l, __ATOMIC_RELAXED))
        throw("rawunlock: lock %p not held", (void *)l);
#if GORO_LOCKRANK
    lockrank_release(l);
#endif
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
    intr_pop();
}

/* A gopark unlockf for a rawlock. */
bool rawunlock_park(struct g *gp, void *l)
{
    (void)gp;
    rawunlock(l);
    return true;
}
