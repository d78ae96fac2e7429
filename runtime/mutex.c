/* goro_mutex: Go's sync.Mutex, parking instead of spinning.
 *
 * state bits (atomic): LOCKED, WAITERS (the queue may be non-empty: unlock must take the
 * slow path), STARVING. The waiter queue is guarded by m->wlock (a rawlock).
 * Normal mode: unlock clears LOCKED and wakes the first waiter, which competes with
 * arriving goroutines (they usually win: they are running; throughput over fairness).
 * A waiter that fails for more than 1 ms re-queues at the head and switches the mutex
 * to starvation mode: unlock then hands ownership directly to the head waiter (LOCKED
 * stays set, so no one can barge in), until a waiter that waited less than 1 ms, or the
 * last one, takes it. Before parking, a locker spins briefly while other Ps run (the
 * holder is likely running and about to unlock). */
#include "runtime.h"

enum { LOCKED = 1, WAITERS = 2, STARVING = 4 };
#define STARVE_NS 1000000LL

bool goro_mutex_trylock(goro_mutex *m)
{
    uint32_t s = __atomic_load_n(&m->state, __ATOMIC_RELAXED);
    while (!(s & LOCKED))
        if (__atomic_compare_exchange_n(&m->state, &s, s | LOCKED, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return true;
    return false;
}

static bool can_spin(int iter)
{
    return iter < 4 && sched.gomaxprocs > 1 &&
           __atomic_load_n(&sched.npidle, __ATOMIC_RELAXED) + 1 < sched.gomaxprocs;
}

/* wlock held: mark WAITERS while LOCKED; false if it got unlocked meanwhile. */
static bool mark_waiters(goro_mutex *m, bool starving)
{
    uint32_t s = __atomic_load_n(&m->state, __ATOMIC_RELAXED);
    for (;;) {
        if (!(s & LOCKED))
            return false;
        uint32_t n = s | WAITERS | (starving ? STARVING : 0);
        if (cas_acq_rel(&m->state, &s, n, true, __ATOMIC_RELAXED))
            return true;
    }
}

static __attribute__((noinline)) void lock_slow(goro_mutex *m)
{
    struct g *me = getg();
    int64_t wait_start = 0;
    bool starving = false;
    for (int iter = 0;;) {
        if (goro_mutex_trylock(m))
            return;
        if (can_spin(iter)) {
            iter++;
            for (int i = 0; i < 30; i++)
                arch_relax();
            continue;
        }
        rawlock(&m->wlock);
        if (!mark_waiters(m, starving)) {
            rawunlock(&m->wlock);
            continue;
        }
        me->waitlink = NULL;
        me->handoff = 0;
        if (wait_start && m->head) {               /* waited before: go first (LIFO) */
            me->waitlink = m->head;
            m->head = me;
        } else {
            if (m->tail)
                ((struct g *)m->tail)->waitlink = me;
            else
                m->head = me;
            m->tail = me;
        }
        gopark_rawunlock(&m->wlock, "mutex");
        if (!wait_start)
            wait_start = nanotime();
        starving = starving || nanotime() - wait_start > STARVE_NS;
        if (me->handoff) {                          /* ownership handed to us */
            rawlock(&m->wlock);
            if (!starving || !m->head)
                __atomic_fetch_and(&m->state, ~(uint32_t)STARVING, __ATOMIC_RELAXED);
            rawunlock(&m->wlock);
            return;
        }
        iter = 0;
    }
}

/* The uncontended lock and unlock are one atomic each. Their slow paths are out of
 * line and they keep no frame of their own (they only tail-call), so that they are no
 * more than that; a backtrace from the slow path skips them. */
__attribute__((optimize("omit-frame-pointer"))) void goro_mutex_lock(goro_mutex *m)
{
    uint32_t z = 0;
    if (__builtin_expect(__atomic_compare_exchange_n(&m->state, &z, LOCKED, false, __ATOMIC_ACQUIRE,
                                                     __ATOMIC_RELAXED), 1))
        return;
    lock_slow(m);
}

static __attribute__((noinline)) void unlock_slow(goro_mutex *m)
{
    rawlock(&m->wlock);
    uint32_t s = __atomic_load_n(&m->state, __ATOMIC_RELAXED);
    if (!(s & LOCKED)) {
        rawunlock(&m->wlock);
        goro_panic("sync: unlock of unlocked mutex %p", (void *)m);
    }
    struct g *w = m->head;
    if (w) {
        m->head = w->waitlink;
        if (!m->head)
            m->tail = NULL;
    }
    uint32_t clear = m->head ? 0 : WAITERS;
    if (w && (s & STARVING)) {
        w->handoff = 1;                              /* LOCKED stays set: it's w's now */
        __atomic_fetch_and(&m->state, ~clear, __ATOMIC_RELEASE);
    } else {
        __atomic_fetch_and(&m->state, ~(clear | LOCKED), __ATOMIC_RELEASE);
    }
    rawunlock(&m->wlock);
    if (w)
        goready(w);
}

__attribute__((optimize("omit-frame-pointer"))) void goro_mutex_unlock(goro_mutex *m)
{
    uint32_t s = LOCKED;
    if (__builtin_expect(cas_release(&m->state, &s, 0, false), 1))
        return;
    if (!(s & LOCKED))
        goro_panic("sync: unlock of unlocked mutex %p", (void *)m);
    unlock_slow(m);
}
