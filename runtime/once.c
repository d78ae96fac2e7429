/* goro_once: Go's sync.Once. fn runs exactly once; every caller returns only after it
 * has returned.
 *
 * States of a goro_once (done is atomic; doer and waiters are guarded by o->lock, a
 * rawlock: interrupts off while held, a leaf below every other lock, never held
 * across fn or a park):
 *
 *   state      done  doer          a caller of goro_once_do
 *   fresh      0     0             becomes the doer: doer = its id, runs fn unlocked
 *   running    0     id of doer    parks on waiters ("once"); the doer itself panics
 *                                  (fn called goro_once_do on its own once: Go deadlocks)
 *   done       1     0             returns at once (one acquire load, no lock)
 *
 *   fresh -> running: the first caller, under the lock.
 *   running -> done: the doer, after fn returns: done = 1 (release, so fn's writes are
 *   seen by whoever sees done), takes the waiter list, unlocks, readies them all.
 *
 * A doer that never returns from fn (goro_goexit inside it) leaves the waiters parked
 * for good; the deadlock detector reports them if nothing else runs. */
#include "runtime.h"

static __attribute__((noinline)) void once_slow(goro_once *o, void (*fn)(void *), void *arg)
{
    struct g *me = getg();
    rawlock(&o->lock);
    if (__atomic_load_n(&o->done, __ATOMIC_RELAXED)) {
        rawunlock(&o->lock);
        return;
    }
    if (o->doer) {
        if (o->doer == me->id) {
            rawunlock(&o->lock);
            goro_panic("sync: goro_once_do called from its own fn (once %p)", (void *)o);
        }
        me->waitlink = o->waiters;
        o->waiters = me;
        gopark_rawunlock(&o->lock, "once");   /* woken after done = 1 */
        return;
    }
    o->doer = me->id;
    rawunlock(&o->lock);

    fn(arg);

    rawlock(&o->lock);
    __atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
    o->doer = 0;
    struct g *list = o->waiters;
    o->waiters = NULL;
    rawunlock(&o->lock);
    while (list) {
        struct g *gp = list;
        list = gp->waitlink;
        goready(gp);
    }
}

/* Goroutines only (it may park, and fn runs on the caller's stack). */
void goro_once_do(goro_once *o, void (*fn)(void *), void *arg)
{
    if (__builtin_expect(o && __atomic_load_n(&o->done, __ATOMIC_ACQUIRE), 1))
        return;
    if (!o || !fn)
        goro_panic("sync: goro_once_do with a nil %s", o ? "fn" : "once");
    once_slow(o, fn, arg);
}
