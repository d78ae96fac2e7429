/* runq.h: the owner's run queue operations, inline because they are on every switch
 * (runq.c has the design and the slow paths). */
#pragma once

void runqput_full(struct p *pp, struct g *gp);

static inline bool runqempty(struct p *pp)
{
    uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
    uint32_t t = __atomic_load_n(&pp->runq_tail, __ATOMIC_ACQUIRE);
    return h == t && !__atomic_load_n(&pp->runnext, __ATOMIC_ACQUIRE);
}

/* Put gp on pp's queue (next: in runnext; the one there moves to the tail). Owner of
 * pp, interrupts off. No fence: a caller that needs an idle P to see gp calls wakep. */
HOT_INLINE void runqput(struct p *pp, struct g *gp, bool next)
{
    if (next) {
        struct g *old = __atomic_exchange_n(&pp->runnext, gp, __ATOMIC_ACQ_REL);
        if (!old)
            return;
        gp = old;                    /* the previous runnext goes to the tail */
    }
    uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
    uint32_t t = pp->runq_tail;
    if (__builtin_expect(t - h < RUNQ_SIZE, 1)) {
        pp->runq[t % RUNQ_SIZE] = gp;
        __atomic_store_n(&pp->runq_tail, t + 1, __ATOMIC_RELEASE);   /* publishes the slot */
        return;
    }
    runqput_full(pp, gp);
}

/* Owner of pp. *inherit: it came from runnext. */
HOT_INLINE struct g *runqget(struct p *pp, bool *inherit)
{
    struct g *next = __atomic_load_n(&pp->runnext, __ATOMIC_RELAXED);
    if (next && __atomic_compare_exchange_n(&pp->runnext, &next, NULL, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        *inherit = true;
        return next;
    }
    *inherit = false;
    for (;;) {
        uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
        uint32_t t = pp->runq_tail;
        if (t == h)
            return NULL;
        struct g *gp = pp->runq[h % RUNQ_SIZE];
        if (__atomic_compare_exchange_n(&pp->runq_head, &h, h + 1, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
            return gp;
    }
}
