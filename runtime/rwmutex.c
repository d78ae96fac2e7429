/* goro_rwmutex: Go's sync.RWMutex. Any number of readers, or one writer; a writer
 * waiting blocks new readers, so a stream of readers cannot starve writers, and a
 * writer's unlock admits the readers that waited, so writers cannot starve readers.
 *
 * Every field is guarded by rw->lock, a rawlock (interrupts off while held; a leaf below
 * every other lock; never held across a park: gopark's unlockf releases it on g0).
 * Ownership is handed over, never competed for: a parked goroutine is woken already
 * holding what it asked for, so it does not re-check anything.
 *
 *   state           readers  writer  a reader (rlock)          a writer (lock)
 *   free            0        0       readers++                 writer = 1
 *   read-locked     > 0      0       readers++ if wwait == 0,   wwait++, park FIFO
 *                                    else park ("rwmutex rlock")  ("rwmutex lock")
 *   write-locked    0        1       park                      wwait++, park FIFO
 *
 *   runlock: readers-- (panics at 0); the last reader out hands the lock to the first
 *            parked writer (writer = 1, wwait--).
 *   unlock:  (panics unless writer) writer = 0; parked readers are all admitted
 *            (readers += n) and woken; if there were none, the first parked writer
 *            gets the lock.
 *   The invariant: readers > 0 and writer == 1 never hold together; a parked reader
 *   means writer == 1 or wwait > 0, and a parked writer means readers > 0 or writer == 1.
 *
 * The debug knob rwdebug=nowriterpref on the command line (a test's negative control)
 * lets readers in past a waiting writer, the behaviour writer preference exists to
 * prevent. */
#include <string.h>
#include "runtime.h"

/* Interrupts off (under a rawlock). Read once, on the first rlock that meets a
 * waiting writer. */
static bool no_writer_pref(void)
{
    static int8_t knob = -1;        /* -1: not read yet */
    if (__builtin_expect(knob < 0, 0))
        knob = strstr(boot_cmdline(), "rwdebug=nowriterpref") != NULL;
    return knob;
}

/* rw->lock held: dequeue the first parked writer and give it the lock. */
static struct g *handoff_writer(goro_rwmutex *rw)
{
    struct g *w = rw->whead;
    rw->whead = w->waitlink;
    if (!rw->whead)
        rw->wtail = NULL;
    rw->wwait--;
    rw->writer = 1;
    return w;
}

/* Goroutines only. */
void goro_rw_rlock(goro_rwmutex *rw)
{
    rawlock(&rw->lock);
    if (!rw->writer && (rw->wwait == 0 || no_writer_pref())) {
        rw->readers++;
        rawunlock(&rw->lock);
        return;
    }
    struct g *me = getg();
    me->waitlink = rw->rwaiters;
    rw->rwaiters = me;
    gopark(rawunlock_park, &rw->lock, "rwmutex rlock");   /* woken counted in readers */
}

/* Any goroutine (not necessarily the one that read-locked it, as in Go). */
void goro_rw_runlock(goro_rwmutex *rw)
{
    rawlock(&rw->lock);
    if (rw->readers <= 0) {
        rawunlock(&rw->lock);
        goro_panic("sync: runlock of unlocked rwmutex %p", (void *)rw);
    }
    struct g *w = NULL;
    if (--rw->readers == 0 && rw->whead)
        w = handoff_writer(rw);
    rawunlock(&rw->lock);
    if (w)
        goready(w);
}

/* Goroutines only. */
void goro_rw_lock(goro_rwmutex *rw)
{
    rawlock(&rw->lock);
    if (!rw->writer && rw->readers == 0 && rw->wwait == 0) {
        rw->writer = 1;
        rawunlock(&rw->lock);
        return;
    }
    struct g *me = getg();
    me->waitlink = NULL;
    if (rw->wtail)
        ((struct g *)rw->wtail)->waitlink = me;
    else
        rw->whead = me;
    rw->wtail = me;
    rw->wwait++;
    gopark(rawunlock_park, &rw->lock, "rwmutex lock");    /* woken as the writer */
}

/* Any goroutine. */
void goro_rw_unlock(goro_rwmutex *rw)
{
    rawlock(&rw->lock);
    if (!rw->writer) {
        bool rlocked = rw->readers > 0;
        rawunlock(&rw->lock);
        goro_panic("sync: unlock of unlocked rwmutex %p%s", (void *)rw,
                   rlocked ? " (it is read-locked, not write-locked)" : "");
    }
    rw->writer = 0;
    struct g *list = rw->rwaiters, *w = NULL;
    rw->rwaiters = NULL;
    for (struct g *gp = list; gp; gp = gp->waitlink)
        rw->readers++;
    if (!list && rw->whead)
        w = handoff_writer(rw);
    rawunlock(&rw->lock);
    while (list) {
        struct g *gp = list;
        list = gp->waitlink;
        goready(gp);
    }
    if (w)
        goready(w);
}
