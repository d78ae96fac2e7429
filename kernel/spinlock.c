/* Spinlocks and nestable interrupt-off sections (after xv6's spinlock.c).
 *
 * intr_push/intr_pop nest: interrupts are off from the first push until the matching
 * last pop, and come back on only if they were on before the first push. A spinlock
 * holds one push for as long as it is held, so its holder can't be preempted nor
 * interrupted by a handler that takes the same lock on the same core.
 * The uncontended paths (intr_push/intr_pop in kernel.h, spin_lock/spin_unlock in
 * spinlock.h) are inline, a handful of instructions each: the scheduler and channels
 * take them on every operation. Their checks stay (a recursive acquisition is seen
 * when the exchange fails, as the lock is then held); the rest is here. */
#include "kernel.h"

/* A spinlock held for more than WATCHDOG_LOCK_NS of board time is a deadlock: report it
 * (before the world's watchdogs, watchdog.h). */
static void spin_watchdog(struct spinlock *l, struct watchdog *w)
{
    uint64_t now = arch_time_now();
    if (!w->start)
        watchdog_start(w, now, ns_to_ticks(WATCHDOG_STALL_NS));
    else if (watchdog_waited(w, now) > ns_to_ticks(WATCHDOG_LOCK_NS) && !panicking)
        panic("watchdog: spinlock %s held by core %d for more than %lld ms (core %d waiting)", l->name,
              l->owner - 1, WATCHDOG_MS(WATCHDOG_LOCK_NS), cpu_id());
}

/* intr_pop's complaint (kernel.h): the nesting is broken. */
_Noreturn void intr_pop_fail(void)
{
    if (arch_intr_get())
        panic("intr_pop: interrupts are on");
    panic("intr_pop: not pushed");
}

/* Must be called with interrupts off. */
bool spin_holding(struct spinlock *l)
{
    return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) && l->owner == cpu_id() + 1;
}

/* spin_lock's slow path (spinlock.h): the lock was taken when we tried. Interrupts are
 * off (the caller's push). */
void spin_lock_slow(struct spinlock *l)
{
    if (spin_holding(l))
        panic("spinlock %s: recursive acquisition on core %d", l->name, cpu_id());
    struct watchdog w = { 0 };
    for (uint32_t spins = 0;;) {
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
            arch_relax();
            if ((++spins & 0xffff) == 0)
                spin_watchdog(l, &w);
        }
        if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
            return;
    }
}

bool spin_trylock(struct spinlock *l)
{
    intr_push();
    if (spin_holding(l))
        panic("spinlock %s: recursive acquisition on core %d", l->name, cpu_id());
    if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
        intr_pop();
        return false;
    }
#if GORO_LOCKRANK
    lockrank_acquire(l, l->name, &l->rank);    /* a trylock can't deadlock, but what follows can */
#endif
    l->owner = cpu_id() + 1;
    return true;
}

/* spin_unlock's complaint (spinlock.h). */
_Noreturn void spin_unlock_fail(struct spinlock *l)
{
    panic("spinlock %s: unlock of a lock not held by core %d", l->name, cpu_id());
}
