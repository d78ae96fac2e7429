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
 * 4. Relock, dequeue the other sudogs, unlock; report the case that ran.
 * With a timeout (goro_select_timeout), step 3 also arms a timer (struct timer on this
 * stack) in the park commit, once this goroutine is WAITING and before the channels
 * are unlocked (so no wake-up can reach step 4's stop before it is armed); the core's
 * timer is programmed only after they are unlocked (timer_kick; timer.h says why).
 * Its f claims the wake-up exactly as a channel operation does (the select_done CAS),
 * so a channel operation and the timeout never both win: the loser finds it claimed
 * and leaves it. g->waiting stays NULL for a timeout. Step 4 then
 * stops the timer (waiting for an f in flight: the timer lives on this stack). A case
 * ready at step 2 wins over any timeout, even an expired one, and a timeout <= 0 is
 * step 2 alone (a poll), as Go's select with a default case. */
#include "chan.h"

/* Debug knobs (command line), negative controls:
 * - selectdebug=bothwin lets a timeout that fired also win when a channel operation
 *   already claimed the select (the case ran, and select still says GORO_ETIMEDOUT):
 *   tests/timer_stale.c must then see a send that completed and was never reported
 *   received.
 * - selectdebug=earlycommit runs the park's commit (every channel unlocked, the timeout
 *   armed) before the goroutine is WAITING, and then waits a little, so that a waker
 *   finds its waiter record while it still runs: the order gopark_commit's switch and
 *   park_m on g0 keep. tests/select_commit_early.c must then die in the waker's
 *   casgstatus ("running, not waiting"). */
enum { SEL_BOTHWIN = 1, SEL_EARLYCOMMIT = 2 };
static int sel_debug = -1;

static int sel_debug_flags(void)
{
    if (__builtin_expect(sel_debug < 0, 0))
        sel_debug = (int)boot_flags("selectdebug", (const char *const[]){ "bothwin", "earlycommit", NULL });
    return sel_debug;
}

static bool sel_debug_bothwin(void) { return sel_debug_flags() & SEL_BOTHWIN; }

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

struct selstate {
    goro_case *cases;
    int *lockorder;
    int n;
    struct timer *timeout;      /* NULL: none */
    unsigned long intr;         /* sellock's interrupt state (chan.h: chan_lock) */
};

/* Interrupts off, every channel locked, in lock order (chan.h's lock, one save of the
 * interrupt state for all). */
static void sellock(struct selstate *s)
{
    goro_chan *prev = NULL;
    s->intr = arch_intr_save();
    for (int i = 0; i < s->n; i++) {
        goro_chan *c = s->cases[s->lockorder[i]].ch;
        if (c != prev)
            chan_lock_intr_off(c);
        prev = c;
    }
}

/* Every channel unlocked; interrupts stay off (the park commit, on g0). */
static void selunlock_intr_off(struct selstate *s)
{
    for (int i = s->n - 1; i >= 0; i--) {
        goro_chan *c = s->cases[s->lockorder[i]].ch;
        if (i == 0 || s->cases[s->lockorder[i - 1]].ch != c)
            chan_unlock_intr_off(c);
    }
}

static void selunlock(struct selstate *s)
{
    selunlock_intr_off(s);
    arch_intr_restore(s->intr);
}

static bool selparkcommit(struct g *gp, void *arg)
{
    (void)gp;
    struct selstate *s = arg;
    struct p *pp = NULL;
    int64_t when = 0;
    if (s->timeout) {
        when = s->timeout->when;    /* read now: once unlocked, gp may return and its stack go */
        pp = timer_arm(s->timeout, when);
    }
    selunlock_intr_off(s);
    if (pp)
        timer_kick(pp, when);        /* no channel lock held while the core's timer is written (timer.h) */
    return true;
}

/* The timeout's f: claim the wake-up, as waitq_dequeue does for a channel. */
static void select_timeout_fire(struct timer *t, uint64_t seq)
{
    (void)seq;
    struct g *gp = t->arg;
    uint32_t zero = 0;
    if (cas_acq_rel(&gp->select_done, &zero, 1, false, __ATOMIC_RELAXED))
        goready(gp);                 /* gp->waiting stays NULL: the timeout won */
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

/* Steps 3 and 4: all channels locked (s), none ready. Queue a sudog on each, park, and
 * report the case that ran, or GORO_ETIMEDOUT (timeout_ns > 0: the timer won). */
static int selpark(struct selstate *s, int64_t timeout_ns)
{
    goro_case *cases = s->cases;
    int np = s->n, *lockorder = s->lockorder;
    struct g *gp = getg();
    struct sudog sgs[np];
    gp->select_done = 0;
    gp->waiting = NULL;
    for (int k = 0; k < np; k++) {
        int i = lockorder[k];
        goro_chan *c = cases[i].ch;
        sgs[k].g = gp;           /* next and prev: waitq_enqueue's */
        sgs[k].elem = cases[i].elem;
        sgs[k].is_select = true;
        sgs[k].success = false;
        waitq_enqueue(cases[i].dir == GORO_SEND ? &c->sendq : &c->recvq, &sgs[k]);
    }
    struct timer tm;             /* written only with a timeout (s->timeout) */
    if (timeout_ns > 0) {
        tm = (struct timer){ .f = select_timeout_fire, .arg = gp };
        tm.when = (int64_t)(arch_time_now() + ns_to_ticks(timeout_ns) + 1);   /* never early */
        s->timeout = &tm;
    }
    if (__builtin_expect(sel_debug_flags() & SEL_EARLYCOMMIT, 0)) {
        selparkcommit(gp, s);
        for (int i = 0; i < 20000; i++)
            arch_relax();
        gopark(NULL, NULL, "select (earlycommit)");
    } else {
        gopark_commit(selparkcommit, s, s->timeout ? "select with timeout" : "select");
    }
    sellock(s);
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
    selunlock(s);
    if (s->timeout) {
        bool pending = timer_stop(&tm);    /* off the heap, its f done: tm is on this stack */
        if (!won || (!pending && sel_debug_bothwin()))
            return GORO_ETIMEDOUT;
    }
    if (casi < 0)
        throw("goro_select: woken without a case");
    if (cases[casi].dir == GORO_SEND && !won->success)
        goro_panic("send on closed channel");
    cases[casi].ok = won->success;
    return casi;
}

/* goro_select with block, and with a timeout if block and timeout_ns > 0. */
static int selectgo(goro_case *cases, int n, bool block, int64_t timeout_ns)
{
    int pollorder[n > 0 ? n : 1], lockorder[n > 0 ? n : 1];
    int np = 0;
    for (int i = 0; i < n; i++) {
        if (cases[i].dir != GORO_SEND && cases[i].dir != GORO_RECV)
            goro_panic("goro_select: case %d has direction %d", i, cases[i].dir);
        cases[i].ok = false;
        if (!cases[i].ch)
            continue;                                   /* a nil channel is never ready */
        int j = np ? (int)fastrandn((uint32_t)np + 1) : 0;   /* inside-out Fisher-Yates */
        pollorder[np] = pollorder[j];
        pollorder[j] = i;
        lockorder[np++] = i;
    }
    if (np == 0) {
        if (!block)
            return -1;
        if (timeout_ns > 0) {
            goro_sleep(timeout_ns);
            return GORO_ETIMEDOUT;
        }
        gopark(NULL, NULL, "select (no cases)");
    }
    sort_lockorder(cases, lockorder, np);
    struct selstate s = { .cases = cases, .lockorder = lockorder, .n = np };
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
    return selpark(&s, timeout_ns);
}

int goro_select(goro_case *cases, int n, bool block) { return selectgo(cases, n, block, 0); }

int goro_select_timeout(goro_case *cases, int n, int64_t timeout_ns)
{
    if (timeout_ns <= 0) {
        int i = selectgo(cases, n, false, 0);
        return i < 0 ? GORO_ETIMEDOUT : i;
    }
    return selectgo(cases, n, true, timeout_ns);
}
