/* Spinlocks and nestable interrupt-off sections (after xv6's spinlock.c).
 *
 * intr_push/intr_pop nest: interrupts are off from the first push until the matching
 * last pop, and come back on only if they were on before the first push. A spinlock
 * holds one push for as long as it is held, so its holder can't be preempted nor
 * interrupted by a handler that takes the same lock on the same core.
 * The uncontended paths (intr_push/intr_pop and spin_lock/spin_unlock, in kernel.h)
 * are inline, a handful of instructions each: the scheduler and channels take them on
 * every operation. The lock word is the owner's record (0 free, else the holder's
 * struct cpu lock_tag, its index + 1: spinlock.h), so the checks cost no store: a
 * recursive acquisition is seen when the take fails, the word then this core's tag,
 * and a release by a core not holding the lock when the word is not its tag. The rest
 * is here. */
#include "kernel.h"

/* A spinlock held for more than WATCHDOG_LOCK_NS of board time is a deadlock: report it
 * (before the world's watchdogs, watchdog.h). held: the lock word the waiter last saw
 * (not 0), so its holder's tag: read again here, it could be 0 by now. */
static void spin_watchdog(struct spinlock *l, struct watchdog *w, uint32_t held)
{
    uint64_t now = arch_time_now();
    if (!w->start)
        watchdog_start(w, now, ns_to_ticks(WATCHDOG_STALL_NS));
    else if (watchdog_waited(w, now) > ns_to_ticks(WATCHDOG_LOCK_NS) && !panicking)
        panic("watchdog: spinlock %s held by core %d for more than %lld ms (core %d waiting)", l->name,
              (int)held - 1, WATCHDOG_MS(WATCHDOG_LOCK_NS), cpu_id());
}

/* intr_pop's complaint (kernel.h): the nesting is broken. */
_Noreturn void intr_pop_fail(void)
{
    if (arch_intr_get())
        panic("intr_pop: interrupts are on");
    panic("intr_pop: not pushed");
}

/* Must be called with interrupts off (so the core, and its tag, can't change). Only
 * this core stores its tag in a lock word, so the answer is exact. */
bool spin_holding(struct spinlock *l)
{
    return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) == arch_cpu()->lock_tag;
}

/* spin_lock's slow path (spinlock.h): the lock was taken when we tried (or spin_take
 * lost its reservation). Interrupts are off (the caller's push, or the caller's own).
 * Returns holding l, its word this core's tag. */
void spin_lock_slow(struct spinlock *l)
{
    uint32_t tag = arch_cpu()->lock_tag;
    if (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) == tag)
        panic("spinlock %s: recursive acquisition on core %d", l->name, cpu_id());
    struct watchdog w = { 0 };
    for (uint32_t spins = 0;;) {
        uint32_t held;
        while ((held = __atomic_load_n(&l->locked, __ATOMIC_RELAXED)) != 0) {
            arch_relax();
            if ((++spins & 0xffff) == 0)
                spin_watchdog(l, &w, held);
        }
        if (spin_take(&l->locked, tag))
            return;
    }
}

bool spin_trylock(struct spinlock *l)
{
    struct cpu *c = intr_push_cpu();
    uint32_t held = 0;      /* a strong CAS: false only when the lock is held */
    if (!__atomic_compare_exchange_n(&l->locked, &held, c->lock_tag, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED)) {
        if (held == c->lock_tag)
            panic("spinlock %s: recursive acquisition on core %d", l->name, c->id);
        intr_pop_cpu(c);
        return false;
    }
#if GORO_LOCKRANK
    lockrank_acquire(l, l->name, &l->rank);    /* a trylock can't deadlock, but what follows can */
#endif
    return true;
}

/* spin_unlock's complaint (spinlock.h). */
_Noreturn void spin_unlock_fail(struct spinlock *l)
{
    panic("spinlock %s: unlock of a lock not held by core %d", l->name, cpu_id());
}
