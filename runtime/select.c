/* goro_select: Go's selectgo.
 *
 * 1. Poll order: a random permutation of the cases (uniform choice among ready ones).
 *    Lock order: the cases sorted by channel address, so two selects (or a select and
 *    a plain operation) never lock the same channels in opposite orders.
 * 2. Lock every channel; take the first ready case in poll order; unlock.
 * 3. Otherwise, unless non-blocking: queue a sudog (on this stack) on every channel,
 *    park (the commit unlocks all channels on g0). The first operation to claim this
 *    goroutine (select_done, by CAS) completes one case and records its sudog in
 *    g->waiting.
 * 4. Relock, dequeue the other sudogs, unlock; report the case that ran. */
#include "chan.h"

static void sort_lockorder(goro_case *cases, int *order, int n)
{
    for (int i = 1; i < n; i++) {
        int x = order[i], j = i;
        while (j > 0 && (uintptr_t)cases[order[j - 1]].ch > (uintptr_t)cases[x].ch) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
}

struct selstate { goro_case *cases; int *lockorder; int n; };

static void sellock(struct selstate *s)
{
    goro_chan *prev = NULL;
    for (int i = 0; i < s->n; i++) {
        goro_chan *c = s->cases[s->lockorder[i]].ch;
        if (c != prev)
            spin_lock(&c->lock);
        prev = c;
    }
}

static void selunlock(struct selstate *s)
{
    for (int i = s->n - 1; i >= 0; i--) {
        goro_chan *c = s->cases[s->lockorder[i]].ch;
        if (i == 0 || s->cases[s->lockorder[i - 1]].ch != c)
            spin_unlock(&c->lock);
    }
}

static bool selparkcommit(struct g *gp, void *arg)
{
    (void)gp;
    selunlock(arg);
    return true;
}

/* All channels locked. Try case i; returns true if it ran (wake is set if a waiter must
 * be readied after unlocking; *closed_send if it was a send on a closed channel). */
static bool try_case(goro_case *k, struct sudog **wake, bool *closed_send)
{
    goro_chan *c = k->ch;
    struct sudog *sg;
    if (k->dir == GORO_RECV) {
        if ((sg = waitq_dequeue(&c->sendq))) {
            chan_recv_from(c, sg, k->elem);
            *wake = sg;
        } else if (c->qcount > 0) {
            chan_buf_recv(c, k->elem);
        } else if (c->closed) {
            if (k->elem)
                __builtin_memset(k->elem, 0, c->elemsize);
            k->ok = false;
            return true;
        } else {
            return false;
        }
        k->ok = true;
        return true;
    }
    if (c->closed) {
        *closed_send = true;
        return true;
    }
    if ((sg = waitq_dequeue(&c->recvq))) {
        chan_send_to(c, sg, k->elem);
        *wake = sg;
    } else if (c->qcount < c->dataqsiz) {
        chan_buf_send(c, k->elem);
    } else {
        return false;
    }
    k->ok = true;
    return true;
}

int goro_select(goro_case *cases, int n, bool block)
{
    int pollorder[n > 0 ? n : 1], lockorder[n > 0 ? n : 1];
    int np = 0;
    for (int i = 0; i < n; i++) {
        if (cases[i].dir != GORO_SEND && cases[i].dir != GORO_RECV)
            goro_panic("goro_select: case %d has direction %d", i, cases[i].dir);
        cases[i].ok = false;
        if (!cases[i].ch)
            continue;                                   /* a nil channel is never ready */
        int j = (int)fastrandn((uint32_t)np + 1);      /* inside-out Fisher-Yates */
        pollorder[np] = pollorder[j];
        pollorder[j] = i;
        lockorder[np++] = i;
    }
    if (np == 0) {
        if (!block)
            return -1;
        gopark(NULL, NULL, "select (no cases)");
    }
    sort_lockorder(cases, lockorder, np);
    struct selstate s = { cases, lockorder, np };
    sellock(&s);
    for (int k = 0; k < np; k++) {
        int i = pollorder[k];
        struct sudog *wake = NULL;
        bool closed_send = false;
        if (try_case(&cases[i], &wake, &closed_send)) {
            selunlock(&s);
            if (closed_send)
                goro_panic("send on closed channel");
            if (wake)
                chan_wake(wake, true);
            return i;
        }
    }
    if (!block) {
        selunlock(&s);
        return -1;
    }
    struct g *gp = getg();
    struct sudog sgs[np];
    gp->select_done = 0;
    gp->waiting = NULL;
    for (int k = 0; k < np; k++) {
        int i = lockorder[k];
        goro_chan *c = cases[i].ch;
        sgs[k] = (struct sudog){ .g = gp, .elem = cases[i].elem, .c = c, .is_select = true };
        waitq_enqueue(cases[i].dir == GORO_SEND ? &c->sendq : &c->recvq, &sgs[k]);
    }
    gopark(selparkcommit, &s, "select");
    sellock(&s);
    struct sudog *won = gp->waiting;
    int casi = -1;
    for (int k = 0; k < np; k++) {
        int i = lockorder[k];
        if (&sgs[k] == won) {
            casi = i;
            continue;
        }
        waitq_remove(cases[i].dir == GORO_SEND ? &cases[i].ch->sendq : &cases[i].ch->recvq, &sgs[k]);
    }
    selunlock(&s);
    if (casi < 0)
        throw("goro_select: woken without a case");
    if (cases[casi].dir == GORO_SEND && !won->success)
        goro_panic("send on closed channel");
    cases[casi].ok = won->success;
    return casi;
}
