/* goro_cond: Go's sync.Cond, over a goro_mutex, with Go's ticket protocol (notifyList
 * in Go's sema.go), so that a signal between a waiter's unlock of m and its park is not
 * lost.
 *
 * Players: waiters, signallers, and the cond itself, which holds two ticket counters:
 * c->ticket (atomic), the next ticket a waiter takes, and c->notify, the next ticket to
 * be woken. Tickets below notify are notified; notify <= ticket always.
 *   1. goro_cond_wait takes a ticket t (atomic increment), unlocks m, then, under
 *      c->lock: if t < notify it was notified meanwhile and returns at once; else it
 *      queues itself (a node on its own stack: the goroutine, t) and parks ("cond").
 *      Woken or not, it relocks m before returning.
 *   2. goro_cond_signal, under c->lock: if notify == ticket no one waits: nothing. Else
 *      it notifies ticket notify++ : it removes that ticket's node and readies it; if the
 *      node is not queued yet, step 1's check will see t < notify.
 *   3. goro_cond_broadcast, under c->lock: notify = ticket; readies every queued node.
 * Comparisons are modular (tickets wrap after 2^32 waits).
 *
 * c->lock is a rawlock: interrupts off while held, a leaf below every other lock, never
 * held across a park (gopark's unlockf releases it on g0) nor while taking m. */
#include "runtime.h"

struct cond_waiter {
    struct g *g;
    uint32_t ticket;
    struct cond_waiter *next;
};

static bool ticket_before(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }

/* Park until ticket t is notified. */
static void notify_wait(goro_cond *c, uint32_t t)
{
    rawlock(&c->lock);
    if (ticket_before(t, c->notify)) {
        rawunlock(&c->lock);
        return;
    }
    struct cond_waiter w = { getg(), t, NULL };
    if (c->tail)
        ((struct cond_waiter *)c->tail)->next = &w;
    else
        c->head = &w;
    c->tail = &w;
    gopark_rawunlock(&c->lock, "cond");
}

/* Goroutines only; m must be locked (by the caller, as Go's c.L). */
void goro_cond_wait(goro_cond *c, goro_mutex *m)
{
    if (!c || !m)
        goro_panic("sync: goro_cond_wait with a nil %s", c ? "mutex" : "cond");
    uint32_t t = __atomic_fetch_add(&c->ticket, 1, __ATOMIC_ACQ_REL);
    goro_mutex_unlock(m);          /* panics if m is not locked */
    notify_wait(c, t);
    goro_mutex_lock(m);
}

/* Any goroutine; need not hold the mutex. */
void goro_cond_signal(goro_cond *c)
{
    if (__atomic_load_n(&c->ticket, __ATOMIC_ACQUIRE) == __atomic_load_n(&c->notify, __ATOMIC_RELAXED))
        return;                    /* no waiter since the last notify: no lock */
    rawlock(&c->lock);
    if (__atomic_load_n(&c->ticket, __ATOMIC_ACQUIRE) == c->notify) {
        rawunlock(&c->lock);
        return;
    }
    uint32_t t = c->notify;
    __atomic_store_n(&c->notify, t + 1, __ATOMIC_RELAXED);
    struct cond_waiter *prev = NULL, *w = c->head;
    while (w && w->ticket != t) {
        prev = w;
        w = w->next;
    }
    if (w) {
        if (prev)
            prev->next = w->next;
        else
            c->head = w->next;
        if (c->tail == w)
            c->tail = prev;
    }
    struct g *gp = w ? w->g : NULL;   /* w lives on gp's stack: read it before readying */
    rawunlock(&c->lock);
    if (gp)
        goready(gp);
}

/* Any goroutine; need not hold the mutex. */
void goro_cond_broadcast(goro_cond *c)
{
    if (__atomic_load_n(&c->ticket, __ATOMIC_ACQUIRE) == __atomic_load_n(&c->notify, __ATOMIC_RELAXED))
        return;
    rawlock(&c->lock);
    __atomic_store_n(&c->notify, __atomic_load_n(&c->ticket, __ATOMIC_ACQUIRE), __ATOMIC_RELAXED);
    struct cond_waiter *w = c->head;
    c->head = c->tail = NULL;
    rawunlock(&c->lock);
    while (w) {
        struct cond_waiter *next = w->next;   /* before readying: w is on the woken stack */
        goready(w->g);
        w = next;
    }
}
