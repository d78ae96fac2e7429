/* Pinning: goroutines that run on one P only (goro_pin, goro_unpin), as Go's
 * LockOSThread binds a goroutine to a thread; here the binding is to a P, and so to
 * that P's core.
 *
 * The API: goro_pin(p) moves the caller to P p and pins it there; goro_pin(-1) pins it
 * where it is. A P rather than "this core" because a P is what the scheduler hands
 * goroutines to, and because a caller that wants two goroutines on two cores (a
 * cross-core ping-pong, a per-core server) must be able to say which: pinning "here"
 * alone would leave it to chance where each one happens to be. A P stays on its core
 * for the whole run, except that goro_gomaxprocs called from a goroutine on a P it
 * removes hands P 0 to the caller's core (world.c, procresize).
 *
 * The invariant: a runnable goroutine pinned to P is only ever put
 *   (a) on P's own run queue (runq, runnext), by P's owner: goready, gosched and
 *       preemption on P itself;
 *   (b) in P's inbox, by anyone else: goready from another P, goro_pin's move,
 *       forwarding (below).
 * Other Ps can still come across one: a thief (runqsteal) takes from P's ring, and the
 * global queue gets a spilled half of a full ring (runqput_full). Both takers are slow
 * paths, and both forward a goroutine pinned elsewhere to its P's inbox instead of
 * running it (pin_forward). So the switch paths (schedule_inline, runqput, runqget)
 * pay nothing, and goready one byte load and a branch. Where a runnable goroutine
 * pinned to P can be (its G states are proc.c's; this is where, not what):
 *
 *   where                    put there by                      taken by
 *   P's runq / runnext       P's owner (goready, gosched,       P's owner (runqget); a thief,
 *                            preemption, goro_pin on P)         which forwards it
 *   P's inbox                any other P or interrupt (goready, P's owner (pin_take); pin_resize
 *                            goro_pin's move, forwarding)       when P dies (unpinned)
 *   the global queue         a full ring's spill                globrunqget, which forwards it
 *   a thief's hands          runqsteal                          -> P's inbox (pin_forward)
 *
 * The inbox (struct p: pin_head, pin_next), lock-free:
 *   pin_head  a stack (newest first, through schedlink) that pushers add to by CAS and
 *             the owner empties with one exchange; PIN_CLOSED (runtime.h) while the P
 *             is dead (beyond gomaxprocs), so that a push either lands before
 *             pin_resize's exchange, which drains it, or sees CLOSED and fails: one word
 *             decides, where a lock (pin_lock, until 2026-12-07) serialised pushers
 *             against each other and against pin_resize. May be read as a hint by
 *             anyone (non-NULL: something to take; never CLOSED on a live P).
 *   pin_next  the owner's: what it took from pin_head and has not run yet, oldest
 *             first (FIFO overall: a stack taken whole and reversed).
 *   push      (pin_push) any context, interrupts off: CAS onto pin_head unless it is
 *             CLOSED, then set the P's attn by RMW with release, so that an owner whose
 *             exchange of attn reads it sees the push (the CAS before it, and every
 *             push before that: a CAS reads the latest head).
 *   take      (pin_take) by the P's owner in findrunnable, after clearing attn: one
 *             goroutine, before the P's own run queue (it was just readied, like
 *             runnext); attn is set again while pin_next holds more, so that the next
 *             switch comes back.
 *   close     (pin_resize, world stopped) exchange CLOSED in: what it read is drained
 *             to the global queue; open (procresize growing, world stopped, before
 *             the P leaves P_DEAD) stores NULL.
 *   pin_head   event                      -> pin_head   result
 *   NULL/list  push (CAS)                 -> gp:list    queued; attn, then wake if idle
 *   CLOSED     push (CAS not tried)       -> CLOSED     false: the caller unpins gp
 *   list       take (owner's exchange)    -> NULL       list reversed into pin_next
 *   NULL/list  close (exchange)           -> CLOSED     list to the global queue, unpinned
 *   CLOSED     open (store, world stopped)-> NULL       the P may be pushed to again
 *   A push whose CAS fails reloads and retries (another push, or the owner's take, or
 *   a close, came between); it never writes a CLOSED word. The owner never takes from
 *   a dead P (it has no owner), so its exchange never overwrites CLOSED.
 *   Checked by tests/model/pin.pml (spin; make test runs it): every pushed goroutine is
 *   run by the owner or drained by the close, exactly once, or its push failed.
 * Delivery: a running P needs nothing more: its next switch sees attn (schedule_inline)
 *   and findrunnable takes the goroutine; a goroutine running there delays it by at
 *   most its time slice, as any goroutine queued there. An idle P's M sleeps in WFI:
 *   the pusher, after a full fence, looks at the P's status and, if P_IDLE, takes the
 *   P off the idle list for its own M and rings that M (pidlewake, sched.c), with
 *   interrupts off all along (as wakep_slow: a P running with its M asleep would stall
 *   a stop of the world). The sleeper sets P_IDLE (pidleput) and then, after a full
 *   fence, checks pin_head with interrupts masked (m_sleep): either the pusher sees
 *   P_IDLE and wakes it, or the sleeper sees the goroutine (Dekker), and idle() takes
 *   its P back. Taking the P off the idle list at once (rather than only ringing) keeps
 *   checkdead honest: the pusher's own P can go idle right after the push, and "every
 *   P idle" must not hold while a goroutine waits in an inbox (seen: a false deadlock
 *   report at SMP=2, the checking M's own inbox holding the goroutine).
 *
 * Who writes g->pin: the goroutine itself while it runs (goro_pin, goro_unpin), and
 * procresize with the world stopped; newproc1 clears it for the G's next life. Readers
 * read it while the goroutine is waiting or runnable (goready, thieves, the global
 * queue's takers), ordered by its status transitions.
 *
 * The rest of the runtime:
 *   stop-the-world, forEachP: an inbox is kept while its P is stopped; start_the_world
 *     rings every M, and findrunnable takes it. forEachP sets attn too (world.c).
 *   gomaxprocs shrinking below P: the goroutines pinned to P are unpinned (pin_resize,
 *     world stopped: every G's pin, and P's inbox into the global queue, CLOSED). A
 *     push racing with it (an interrupt handler's goready on another core, having read
 *     the pin before) lands before the close and is drained, or finds CLOSED and
 *     unpins the goroutine itself. goro_pinned then says -1.
 *   suspend_g: a goroutine in an inbox is RUNNABLE like one on a run queue: a scanner
 *     may own it there (G_SCAN) and the P that takes it waits in casgstatus for the
 *     scanner; resume_g readies a goroutine it stopped through goready, so to its P.
 *   checkdead: a goroutine in an inbox is RUNNABLE, and its P is not idle (above). */
#include "runtime.h"

/* Interrupts off; sched.lock held iff locked. Push gp (runnable, pinned to pp) onto
 * pp's inbox and, if pp is idle, take it off the idle list and ring its M (pidlewake).
 * False if pp is dead (gomaxprocs shrank: its inbox is CLOSED): gp was not queued. */
static inline __attribute__((always_inline)) bool pin_push(struct p *pp, struct g *gp, bool locked)
{
    struct g *old = __atomic_load_n(&pp->pin_head, __ATOMIC_RELAXED);
    do {                                           /* against the owner's take, pin_resize */
        if (old == PIN_CLOSED)
            return false;
        gp->schedlink = old;
    } while (!cas_release(&pp->pin_head, &old, gp, true));
    __atomic_fetch_or(&pp->attn, ATTN_LOOK, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);       /* the push before our look at status */
    if (__atomic_load_n(&pp->status, __ATOMIC_RELAXED) == P_IDLE)
        pidlewake(pp, locked);
    return true;
}

/* Interrupts off; mine is the caller's P (NULL: none). Put gp, runnable and pinned,
 * where only its P takes it: mine's queue if it is pinned to mine (next: in runnext),
 * else its P's inbox. If its P is dead, gp is unpinned and goes where goready puts an
 * unpinned goroutine. Takes sched.lock only to wake an idle P (pidlewake) or in the dead case. */
void pin_put(struct p *mine, struct g *gp, bool next)
{
    struct p *to = &ps[gp->pin - 1];
    if (to == mine) {
        runqput(mine, gp, next);
        return;
    }
    if (pin_push(to, gp, false))
        return;
    __atomic_store_n(&gp->pin, 0, __ATOMIC_RELAXED);
    if (mine)
        runqput(mine, gp, next);
    else
        globrunqput(gp);
    wakep();
}

/* pp's M took gp (runnable) from a queue other Ps share (a steal, the global queue;
 * sched.lock held iff locked). If gp is pinned to another P, send it there and say
 * true; else the caller keeps it. */
bool pin_forward(struct p *pp, struct g *gp, bool locked)
{
    if (!pin_elsewhere(gp, pp))
        return false;
    if (pin_push(&ps[gp->pin - 1], gp, locked))
        return true;
    __atomic_store_n(&gp->pin, 0, __ATOMIC_RELAXED);   /* its P died: run it here */
    return false;
}

/* pp's owner (findrunnable, interrupts off): the first goroutine of pp's inbox, or NULL.
 * No lock: the whole stack is taken at once and kept, oldest first, in pin_next. */
struct g *pin_take(struct p *pp)
{
    struct g *gp = pp->pin_next;
    if (!gp) {
        struct g *list = __atomic_exchange_n(&pp->pin_head, NULL, __ATOMIC_ACQUIRE);
        while (list) {                             /* newest first: reverse */
            struct g *next = list->schedlink;
            list->schedlink = gp;
            gp = list;
            list = next;
        }
        if (!gp)
            return NULL;
    }
    pp->pin_next = gp->schedlink;
    if (pp->pin_next)
        __atomic_fetch_or(&pp->attn, ATTN_LOOK, __ATOMIC_RELAXED);   /* more: the next switch comes back
                                                                       (an RMW: struct p's attn) */
    return gp;
}

/* World stopped (procresize), before Ps n.. die: unpin every goroutine pinned to them,
 * and move their inboxes to the global queue. Each such inbox is CLOSED by the same
 * exchange that drains it, so a push after this fails (pin_push) and one before is
 * drained here. */
void pin_resize(int n)
{
    spin_lock(&allg_lock);
    for (struct g *gp = allgs; gp; gp = gp->alllink)
        if (gp->pin > n)
            __atomic_store_n(&gp->pin, 0, __ATOMIC_RELAXED);
    spin_unlock(&allg_lock);
    for (int i = n; i < GORO_SMP_MAX; i++) {
        struct p *pp = &ps[i];
        struct g *lists[2] = { __atomic_exchange_n(&pp->pin_head, PIN_CLOSED, __ATOMIC_ACQUIRE), pp->pin_next };
        if (lists[0] == PIN_CLOSED)                /* dead already */
            lists[0] = NULL;
        pp->pin_next = NULL;                       /* its owner is stopped */
        for (int k = 0; k < 2; k++)
            while (lists[k]) {
                struct g *gp = lists[k];
                lists[k] = gp->schedlink;
                __atomic_store_n(&gp->pin, 0, __ATOMIC_RELAXED);
                globrunqput(gp);
            }
    }
}

/* World stopped (procresize), before P pp leaves P_DEAD: its inbox takes pushes again. */
void pin_open(struct p *pp) { __atomic_store_n(&pp->pin_head, NULL, __ATOMIC_RELEASE); }

/* On g0: the caller of goro_pin, pinned to another P, moves there. gosched_m but for
 * the queue: gosched_m stays free of the pin check (it is on every yield). */
static void pin_move_m(void *arg)
{
    struct g *gp = arg;
    struct m *m = gp->m;
    stack_check(gp);
    casgstatus(gp, G_RUNNING, G_RUNNABLE);
    trace_goyield(gp);
    dropg(m, gp);
    pin_put(m->p, gp, false);
    schedule();
}

int goro_pin(int p)
{
    struct g *gp = getg();
    if (gp->is_g0)
        throw("goro_pin: not on a goroutine");
    struct m *m = acquirem();                  /* no move between reading our P and pinning */
    int here = m->p ? m->p->id : -1;
    if (p == -1)
        p = here;                              /* -1: here; any other negative p is out of range */
    if (p < 0 || p >= __atomic_load_n(&sched.gomaxprocs, __ATOMIC_RELAXED)) {
        releasem(m);
        return -1;
    }
    __atomic_store_n(&gp->pin, (uint8_t)(p + 1), __ATOMIC_RELAXED);
    releasem(m);
    if (p != here) {
        arch_intr_off();
        mcall(pin_move_m, gp);
        arch_intr_on();
    }
    return goro_pinned();
}

void goro_unpin(void) { __atomic_store_n(&getg()->pin, 0, __ATOMIC_RELAXED); }

int goro_pinned(void) { return getg()->is_g0 ? -1 : (int)__atomic_load_n(&getg()->pin, __ATOMIC_RELAXED) - 1; }
