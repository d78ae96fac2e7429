/* goro_rwmutex: Go's sync.RWMutex. Any number of readers, or one writer; a writer
 * waiting blocks new readers, so a stream of readers cannot starve writers, and a
 * writer's unlock admits the readers that waited, so writers cannot starve readers.
 *
 * rw->state (atomic) holds the number of read locks held (READERS bits) and three flags:
 *   WRITER   write-locked
 *   WWAIT    writers are parked (the writer queue is non-empty)
 *   RWAIT    readers are parked (the reader list is non-empty)
 * The queues are guarded by rw->lock, a rawlock (interrupts off while held; a leaf below
 * every other lock; never held across a park: gopark's unlockf releases it on g0).
 * Flags change only under rw->lock; the fast paths (one compare-and-swap, no lock) only
 * move between states where no flag is set or needed:
 *
 *   op       fast path (CAS)                        slow path (under rw->lock)
 *   rlock    n -> n+1 if no WRITER, no WWAIT         else set RWAIT, park in the list
 *   runlock  n -> n-1 if n >= 1, no WWAIT            n == 0: panic; the last reader with
 *                                                    WWAIT hands over to the first writer
 *   lock     0 -> WRITER                             else set WWAIT, park at the tail
 *   unlock   WRITER -> 0                             no WRITER: panic; RWAIT: admit every
 *                                                    parked reader (n = their number);
 *                                                    else hand over to the first writer
 *
 * Ownership is handed over, never competed for: a parked goroutine is woken already
 * counted as a reader, or already the writer, so it re-checks nothing. Invariants:
 * WRITER and n > 0 never hold together; RWAIT implies WRITER or WWAIT; WWAIT implies
 * WRITER or n > 0 (a writer parks only behind someone, and whoever leaves last hands
 * over). A flag set by a slow path sends every later fast path of the ops it concerns
 * to the slow path, which waits for rw->lock: that is what keeps the queues and the
 * flags in step.
 *
 * The debug knob rwdebug=nowriterpref on the command line (a test's negative control)
 * lets readers in past a waiting writer, the behaviour writer preference exists to
 * prevent. */
#include <string.h>
#include "runtime.h"

enum { WRITER = 1u << 31, WWAIT = 1u << 30, RWAIT = 1u << 29, READERS = RWAIT - 1 };

/* Read once, on the first slow rlock that meets a waiting writer. */
static bool no_writer_pref(void)
{
    static int8_t knob = -1;        /* -1: not read yet (racing first reads agree) */
    if (__builtin_expect(knob < 0, 0))
        knob = (int8_t)boot_flags("rwdebug", (const char *const[]){ "nowriterpref", NULL });
    return knob;
}

/* rw->lock held, the lock now free of readers and writer: dequeue the first parked
 * writer and make it the writer. Returns it, to be readied after the unlock. */
static struct g *handoff_writer(goro_rwmutex *rw, uint32_t s)
{
    struct g *w = rw->whead;
    rw->whead = w->waitlink;
    if (!rw->whead)
        rw->wtail = NULL;
    uint32_t n = (s & ~READERS) | WRITER;
    if (!rw->whead)
        n &= ~WWAIT;
    __atomic_store_n(&rw->state, n, __ATOMIC_RELEASE);   /* no fast path moves it now */
    return w;
}

static __attribute__((noinline)) void rlock_slow(goro_rwmutex *rw)
{
    rawlock(&rw->lock);
    uint32_t s = __atomic_load_n(&rw->state, __ATOMIC_RELAXED);
    for (;;) {
        bool blocked = (s & WRITER) || ((s & WWAIT) && !no_writer_pref());
        uint32_t n = blocked ? s | RWAIT : s + 1;
        if (__atomic_compare_exchange_n(&rw->state, &s, n, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            if (!blocked) {
                rawunlock(&rw->lock);
                return;
            }
            break;
        }
    }
    struct g *me = getg();
    me->waitlink = rw->rwaiters;
    rw->rwaiters = me;
    gopark_rawunlock(&rw->lock, "rwmutex rlock");   /* woken counted as a reader */
}

/* Goroutines only. */
void goro_rw_rlock(goro_rwmutex *rw)
{
    uint32_t s = __atomic_load_n(&rw->state, __ATOMIC_RELAXED);
    if (__builtin_expect(!(s & (WRITER | WWAIT)), 1) &&
        __atomic_compare_exchange_n(&rw->state, &s, s + 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    rlock_slow(rw);
}

static __attribute__((noinline)) void runlock_slow(goro_rwmutex *rw)
{
    rawlock(&rw->lock);
    uint32_t s = __atomic_load_n(&rw->state, __ATOMIC_RELAXED);
    for (;;) {
        if ((s & READERS) == 0) {
            rawunlock(&rw->lock);
            goro_panic("sync: runlock of unlocked rwmutex %p", (void *)rw);
        }
        if ((s & READERS) == 1 && (s & WWAIT)) {          /* the last reader out */
            struct g *w = handoff_writer(rw, s);
            rawunlock(&rw->lock);
            goready(w);
            return;
        }
        if (cas_release(&rw->state, &s, s - 1, true))
            break;
    }
    rawunlock(&rw->lock);
}

/* Any goroutine (not necessarily the one that read-locked it, as in Go). */
void goro_rw_runlock(goro_rwmutex *rw)
{
    uint32_t s = __atomic_load_n(&rw->state, __ATOMIC_RELAXED);
    if (__builtin_expect((s & READERS) != 0 && !(s & WWAIT), 1) &&
        cas_release(&rw->state, &s, s - 1, false))
        return;
    runlock_slow(rw);
}

static __attribute__((noinline)) void lock_slow(goro_rwmutex *rw)
{
    rawlock(&rw->lock);
    uint32_t s = __atomic_load_n(&rw->state, __ATOMIC_RELAXED);
    for (;;) {
        uint32_t n = s == 0 ? WRITER : s | WWAIT;
        if (__atomic_compare_exchange_n(&rw->state, &s, n, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            if (s == 0) {
                rawunlock(&rw->lock);
                return;
            }
            break;
        }
    }
    struct g *me = getg();
    me->waitlink = NULL;
    if (rw->wtail)
        ((struct g *)rw->wtail)->waitlink = me;
    else
        rw->whead = me;
    rw->wtail = me;
    gopark_rawunlock(&rw->lock, "rwmutex lock");    /* woken as the writer */
}

/* Goroutines only. */
void goro_rw_lock(goro_rwmutex *rw)
{
    uint32_t z = 0;
    if (__builtin_expect(__atomic_compare_exchange_n(&rw->state, &z, WRITER, false, __ATOMIC_ACQUIRE,
                                                     __ATOMIC_RELAXED), 1))
        return;
    lock_slow(rw);
}

static __attribute__((noinline)) void unlock_slow(goro_rwmutex *rw)
{
    rawlock(&rw->lock);
    uint32_t s = __atomic_load_n(&rw->state, __ATOMIC_RELAXED);
    if (!(s & WRITER)) {
        rawunlock(&rw->lock);
        goro_panic("sync: unlock of unlocked rwmutex %p%s", (void *)rw,
                   s & READERS ? " (it is read-locked, not write-locked)" : "");
    }
    struct g *list = rw->rwaiters, *w = NULL;
    if (list) {                                    /* readers first: they waited */
        uint32_t n = 0;
        for (struct g *gp = list; gp; gp = gp->waitlink)
            n++;
        rw->rwaiters = NULL;
        __atomic_store_n(&rw->state, (s & ~(WRITER | RWAIT)) + n, __ATOMIC_RELEASE);
    } else if (rw->whead) {
        w = handoff_writer(rw, s);
    } else {
        __atomic_store_n(&rw->state, s & ~WRITER, __ATOMIC_RELEASE);
    }
    rawunlock(&rw->lock);
    while (list) {
        struct g *gp = list;
        list = gp->waitlink;
        goready(gp);
    }
    if (w)
        goready(w);
}

/* Any goroutine. */
void goro_rw_unlock(goro_rwmutex *rw)
{
    uint32_t s = WRITER;
    if (__builtin_expect(cas_release(&rw->state, &s, 0, false), 1))
        return;
    unlock_slow(rw);
}
