/* worldsema: the world lock (Go's worldsema), a strictly FIFO sleeping lock.
 * Stop-the-world, forEachP, gomaxprocs and the GC's phases take it, so they never
 * overlap. Unlike goro_mutex, it never lets an arriving goroutine barge in: release
 * hands ownership to the longest waiter, so a loop of forEachP calls can't starve the
 * GC or a stop-the-world. wlock guards the fields (a rawlock, interrupts off). */
#include "runtime.h"

static struct {
    uint32_t wlock;
    bool held;
    struct g *head, *tail;      /* waiters, FIFO, linked by waitlink */
} ws;

void worldsema_acquire(void)
{
    rawlock(&ws.wlock);
    if (!ws.held) {
        ws.held = true;
        rawunlock(&ws.wlock);
        return;
    }
    struct g *me = getg();
    me->waitlink = NULL;
    if (ws.tail)
        ws.tail->waitlink = me;
    else
        ws.head = me;
    ws.tail = me;
    gopark_rawunlock(&ws.wlock, "world lock");   /* woken as the owner */
}

void worldsema_release(void)
{
    rawlock(&ws.wlock);
    if (!ws.held) {
        rawunlock(&ws.wlock);
        throw("worldsema_release: not held");
    }
    struct g *w = ws.head;
    if (w) {
        ws.head = w->waitlink;
        if (!ws.head)
            ws.tail = NULL;
    } else {
        ws.held = false;
    }
    rawunlock(&ws.wlock);
    if (w)
        goready(w);
}
