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

/* Put gp at the tail of pp's ring; false (nothing done) if it is full. Owner of pp,
 * interrupts off. */
HOT_INLINE bool runqput_try(struct p *pp, struct g *gp)
{
    uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
    uint32_t t = pp->runq_tail;
    if (__builtin_expect(t - h >= RUNQ_SIZE, 0))
        return false;
    pp->runq[t % RUNQ_SIZE] = gp;
    store_release32(&pp->runq_tail, t + 1);   /* publishes the slot */
    return true;
}

/* Owner of pp: gp in runnext, the goroutine that was there returned (NULL: none).
 * Only the owner puts in runnext and a thief only empties it: the port's owner's
 * exchange (arch_xchg_owned_ptr), a release store alone when runnext is empty on ARM. */
HOT_INLINE struct g *runnext_put(struct p *pp, struct g *gp)
{
    return arch_xchg_owned_ptr((void **)&pp->runnext, gp);
}

/* Put gp on pp's queue (next: in runnext; the one there moves to the tail). Owner of
 * pp, interrupts off. No fence: a caller that needs an idle P to see gp calls wakep. */
HOT_INLINE void runqput(struct p *pp, struct g *gp, bool next)
{
    if (next) {
        struct g *old = runnext_put(pp, gp);
        if (!old)
            return;
        gp = old;                    /* the previous runnext goes to the tail */
    }
    if (!runqput_try(pp, gp))
        runqput_full(pp, gp);
}

/* Owner of pp: take runnext, if anything is there. Only the owner puts in runnext: a
 * thief can only empty it, and the take then takes nothing (no CAS to retry): the
 * port's owner's take (arch_take_owned_ptr). */
HOT_INLINE struct g *runqget_next(struct p *pp)
{
    return arch_take_owned_ptr((void **)&pp->runnext);
}

/* The ring's slot for index i. A byte offset from the ring's address, which gcc keeps
 * as base + scaled index: from pp->runq[i % RUNQ_SIZE] it made (i + 8) * 8 + pp, then
 * loaded at +8 (riscv64: 5 instructions where 3 do). */
HOT_INLINE struct g **runq_slot(struct p *pp, uint32_t i)
{
    return (struct g **)((uintptr_t)pp->runq + (uintptr_t)(i % RUNQ_SIZE) * sizeof(struct g *));
}

/* Owner of pp: take the ring's head. Relaxed, unlike a thief's (runqsteal): every slot
 * was written by us, the only putter, so reading one needs no synchronization, and the
 * CAS settles whether a thief took it first; what the goroutine's last M wrote,
 * execute's casgstatus (acquire) synchronizes with. runqget_ring_tail: false if the
 * ring is empty, else the head's goroutine in *gpp and also the tail, for a caller
 * that puts next (goro_gosched's direct switch); a bool, as a NULL goroutine cost that
 * caller a test of it after the take (gcc can't know a slot is never NULL). */
HOT_INLINE bool runqget_ring_tail(struct p *pp, struct g **gpp, uint32_t *tail)
{
    for (;;) {
        uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_RELAXED);
        uint32_t t = pp->runq_tail;
        if (t == h)
            return false;
        struct g *gp = *runq_slot(pp, h);
        if (arch_cas32_relaxed(&pp->runq_head, h, h + 1)) {
            *gpp = gp;
            *tail = t;           /* only the owner moves it: still the tail (the CAS hides that from gcc) */
            return true;
        }
    }
}

HOT_INLINE struct g *runqget_ring(struct p *pp)
{
    struct g *gp;
    uint32_t t;
    return runqget_ring_tail(pp, &gp, &t) ? gp : NULL;
}

/* Owner of pp: gp, just taken from runnext or the ring's head, back in runnext, which
 * is empty (it was, or we just emptied it, and only the owner puts there): the direct
 * switch (switch.h) found a timer due after its take, and goes through g0, where
 * findrunnable fires the timer first; or a scanner holds gp, which execute on g0
 * waits for. Release: a thief may take it at once. */
HOT_INLINE void runqput_back(struct p *pp, struct g *gp)
{
    __atomic_store_n(&pp->runnext, gp, __ATOMIC_RELEASE);
}

/* Owner of pp. *inherit: it came from runnext. */
HOT_INLINE struct g *runqget(struct p *pp, bool *inherit)
{
    struct g *gp = runqget_next(pp);
    *inherit = gp != NULL;
    return gp ? gp : runqget_ring(pp);
}

/* Owner of pp: take the ring's head and put gp at its tail (gosched), NULL (and gp not
 * put) if the ring is empty. The put follows the take, so the ring can't be full: no
 * check and no spill. The slot may be the one just taken (a full ring): a thief that
 * read it before our write took nothing, as the head moved under its CAS. */
HOT_INLINE struct g *runqswap(struct p *pp, struct g *gp)
{
    for (;;) {
        uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_RELAXED);
        uint32_t t = pp->runq_tail;
        if (t == h)
            return NULL;
        struct g *next = pp->runq[h % RUNQ_SIZE];
        if (arch_cas32_relaxed(&pp->runq_head, h, h + 1)) {
            pp->runq[t % RUNQ_SIZE] = gp;
            store_release32(&pp->runq_tail, t + 1);   /* publishes the slot */
            return next;
        }
    }
}
