/* Run queues: a bounded ring per P and a global list.
 *
 * Per-P ring (after Go's runqput/runqget/runqgrab): only the owner P puts, at the
 * tail, with interrupts off (interrupt handlers on its core put too, so the owner
 * keeps them off around a put); anyone takes from the head with a CAS, so other Ps
 * steal without a lock. The tail store is a release and takers load it with acquire,
 * so a taker sees the G pointer the owner wrote before publishing the slot.
 * runnext: the goroutine readied by the running one runs next and inherits its time
 * slice (ping-pong pairs can't starve a P's other work: the slice still ends).
 * A full ring moves half of itself to the global queue. The global queue is guarded by
 * sched.lock. The owner's put and get are on every switch: they are inline (runq.h),
 * and a put has no fence of its own: whoever must wake an idle P after it calls wakep,
 * whose fence orders the put before its look at npidle (see idle() in sched.c). */
#include "runtime.h"

static bool runqputslow(struct p *pp, struct g *gp, uint32_t h, uint32_t t)
{
    struct g *batch[RUNQ_SIZE / 2 + 1];
    uint32_t n = (t - h) / 2;
    for (uint32_t i = 0; i < n; i++)
        batch[i] = pp->runq[(h + i) % RUNQ_SIZE];
    if (!cas_release(&pp->runq_head, &h, h + n, false))
        return false;
    batch[n] = gp;
    for (uint32_t i = 0; i < n; i++)
        batch[i]->schedlink = batch[i + 1];
    globrunqputbatch(batch[0], gp, n + 1);
    return true;
}

/* runqput's slow path (runq.h): the ring is full; half of it, and gp, go to the global
 * queue. Owner of pp, interrupts off. */
void runqput_full(struct p *pp, struct g *gp)
{
    for (;;) {
        uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
        uint32_t t = pp->runq_tail;
        if (t - h < RUNQ_SIZE) {
            pp->runq[t % RUNQ_SIZE] = gp;
            __atomic_store_n(&pp->runq_tail, t + 1, __ATOMIC_RELEASE);
            return;
        }
        if (runqputslow(pp, gp, h, t))
            return;
    }
}

/* A steal took n goroutines (batch): keep the first to run, the rest on pp's ring,
 * except those pinned to another P, which go to their P's inbox (pin.c). */
static struct g *runqsteal_pinned(struct p *pp, struct g **batch, uint32_t n)
{
    struct g *run = NULL;
    uint32_t pt = pp->runq_tail, k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (pin_forward(pp, batch[i], false))
            continue;
        if (!run)
            run = batch[i];
        else
            pp->runq[(pt + k++) % RUNQ_SIZE] = batch[i];
    }
    __atomic_store_n(&pp->runq_tail, pt + k, __ATOMIC_RELEASE);
    return run;
}

/* Take half of victim's queue into pp's (pp's owner); returns one of them to run, or
 * NULL if there was nothing (or only goroutines pinned elsewhere, now forwarded). */
struct g *runqsteal(struct p *pp, struct p *victim, bool steal_next)
{
    for (;;) {
        uint32_t h = __atomic_load_n(&victim->runq_head, __ATOMIC_ACQUIRE);
        uint32_t t = __atomic_load_n(&victim->runq_tail, __ATOMIC_ACQUIRE);
        uint32_t n = t - h;
        n = n - n / 2;
        if (n == 0) {
            if (!steal_next)
                return NULL;
            struct g *next = __atomic_load_n(&victim->runnext, __ATOMIC_ACQUIRE);
            if (next && cas_acq_rel(&victim->runnext, &next, NULL, false, __ATOMIC_RELAXED))
                return pin_forward(pp, next, false) ? NULL : next;
            return NULL;
        }
        if (n > RUNQ_SIZE / 2)
            continue;                /* inconsistent h/t: retry */
        struct g *batch[RUNQ_SIZE / 2];
        for (uint32_t i = 0; i < n; i++)
            batch[i] = victim->runq[(h + i) % RUNQ_SIZE];
        if (!cas_release(&victim->runq_head, &h, h + n, false))
            continue;
        for (uint32_t i = 0; i < n; i++)
            if (batch[i]->pin)
                return runqsteal_pinned(pp, batch, n);
        uint32_t pt = pp->runq_tail;
        for (uint32_t i = 1; i < n; i++)
            pp->runq[(pt + i - 1) % RUNQ_SIZE] = batch[i];
        __atomic_store_n(&pp->runq_tail, pt + n - 1, __ATOMIC_RELEASE);
        return batch[0];
    }
}

/* sched.lock held for the rest. */
static void globput_locked(struct g *head, struct g *tail, int n)
{
    tail->schedlink = NULL;
    if (sched.runq_tail)
        sched.runq_tail->schedlink = head;
    else
        sched.runq_head = head;
    sched.runq_tail = tail;
    __atomic_add_fetch(&sched.runq_size, n, __ATOMIC_SEQ_CST);
}

void globrunqputbatch(struct g *head, struct g *tail, int n)
{
    spin_lock(&sched.lock);
    globput_locked(head, tail, n);
    spin_unlock(&sched.lock);
}

void globrunqput(struct g *gp) { globrunqputbatch(gp, gp, 1); }

/* Take up to max (0: a fair share) from the global queue; one is returned, the rest go
 * to pp's ring, except goroutines pinned to another P, which go to their P's inbox
 * (pin.c; they can be here from a full ring's spill). NULL if all were. */
struct g *globrunqget(struct p *pp, int max)
{
    int n = sched.runq_size;
    if (n == 0)
        return NULL;
    int share = n / sched.gomaxprocs + 1;
    if (share < n)
        n = share;
    if (max > 0 && n > max)
        n = max;
    if (n > RUNQ_SIZE / 2)
        n = RUNQ_SIZE / 2;
    __atomic_sub_fetch(&sched.runq_size, n, __ATOMIC_SEQ_CST);
    struct g *gp = NULL;
    while (n-- > 0) {
        struct g *x = sched.runq_head;
        sched.runq_head = x->schedlink;
        if (x->pin && pin_forward(pp, x, true))
            continue;
        if (!gp)
            gp = x;
        else
            runqput(pp, x, false);
    }
    if (!sched.runq_head)
        sched.runq_tail = NULL;
    return gp;
}
