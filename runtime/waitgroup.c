/* goro_waitgroup: Go's sync.WaitGroup. counter and the waiter list are guarded by
 * wg->lock (a rawlock); when the counter reaches zero every waiter is readied. */
#include "runtime.h"

void goro_wg_add(goro_waitgroup *wg, int delta)
{
    rawlock(&wg->lock);
    wg->counter += delta;
    if (wg->counter < 0) {
        rawunlock(&wg->lock);
        goro_panic("sync: negative WaitGroup counter");
    }
    struct g *list = NULL;
    if (wg->counter == 0) {
        list = wg->waiters;
        wg->waiters = NULL;
    }
    rawunlock(&wg->lock);
    while (list) {
        struct g *gp = list;
        list = gp->waitlink;
        goready(gp);
    }
}

void goro_wg_done(goro_waitgroup *wg) { goro_wg_add(wg, -1); }

void goro_wg_wait(goro_waitgroup *wg)
{
    rawlock(&wg->lock);
    if (wg->counter == 0) {
        rawunlock(&wg->lock);
        return;
    }
    struct g *me = getg();
    me->waitlink = wg->waiters;
    wg->waiters = me;
    gopark_rawunlock(&wg->lock, "waitgroup");
}
