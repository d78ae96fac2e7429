/* The scheduler's switch from goroutine to goroutine (the direct switch), and what it
 * shares with the switch through g0 (sched.c): the looks of schedule's common case and
 * execute's bind. Inline, for the callers on the hot paths: goro_gosched (sched.c), a
 * channel's park (chan.c's chan_park), a park on a rawlock (sched.c's
 * gopark_rawunlock) and select's and sleep's (sched.c's gopark_commit), the parks
 * through park_direct, so that a park is no call of its own: its frame would be one
 * more on every channel round trip's two parks. */
#pragma once
#include "runtime.h"

/* gopark_commit's commit, run by arch_switch_park_call on the next goroutine's stack
 * (sched.c); gp: the parked goroutine. PARK_CALL_ROOM: the stack it needs there, with
 * room to spare (select's unlocks, a timer's arming and kick, an IPI: a few hundred
 * bytes). */
void park_commit_call(void *gp);
#define PARK_CALL_ROOM 2048

/* The looks of schedule's common case, on every switch (c, m: this core and its M, pp
 * its P): the P's attn is clear (nothing of the world, no forEachP fn, no pinned
 * goroutine, no fairness look at the global queue: see struct p) and none of its
 * timers is due. False: findrunnable must look. The rest of what findrunnable looks
 * at needs no check here:
 *   - the P's status is P_RUNNING whenever attn is clear (only a stop of the world,
 *     which sets attn on every P, or the P's own M going idle in findrunnable changes
 *     it);
 *   - the M is never spinning (findrunnable clears m->spinning before it returns a
 *     goroutine).
 * Besides attn, one more look: the P's first timer against the clock (*now, for a
 * fresh slice). A due timer fires in findrunnable and its goroutine runs next, from
 * runnext, as Go's checkTimers in schedule. (Leaving due timers to the tick, which
 * fires them on a running P too, saved the clock read of an inherited slice, 4-7
 * instructions, but the tick fires mid-goroutine, and the goroutine it readies into
 * runnext is pushed to the ring's tail by the running one's next handoff:
 * timer_fairness waited 1015 ms for a 20 ms sleep once, raspi2b SMP 4.)
 * Plain loads: whatever they miss, findrunnable sees next time, and a flag they see set
 * is reloaded there with acquire. */
_Static_assert(offsetof(struct cpu, mlocks) == offsetof(struct cpu, noff) + sizeof(int) &&
               offsetof(struct cpu, noff) % 8 == 0, "schedule_look_attn reads noff and mlocks as one");
HOT_INLINE bool schedule_look_attn(struct cpu *c, struct p *pp)
{
    uint64_t both;               /* noff and mlocks: one load (RISC-V ld, ARM ldrd) */
    __builtin_memcpy(&both, __builtin_assume_aligned(&c->noff, 8), sizeof both);
    if (__builtin_expect(both != 0, 0))
        throw("schedule: holding locks (mlocks %d, noff %d)", c->mlocks, c->noff);
    return !__atomic_load_n(&pp->attn, __ATOMIC_RELAXED);
}

HOT_INLINE bool schedule_look_timer(struct p *pp, uint64_t *now)
{
    *now = arch_time_look();
    return arch_load64_relaxed(&pp->timer0_when) > (int64_t)*now;
}

/* The fairness countdown ran out (execute_bind): the next switch looks at the global
 * queue first (findrunnable, through g0), if anything is there now. An empty queue is
 * not looked at: the trip through g0 cost every 61st switch about 165 instructions
 * (2.7 a switch on gosched_switch) for a look that found nothing. A goroutine that
 * reaches the global queue after this load waits at most one countdown more, as in Go,
 * whose look (schedtick % 61 && sched.runqsize > 0) reads the size the same way.
 * A stop of the world waiting (gcwaiting) sends the P through findrunnable too: the
 * stopper's attn is what stops a P at its next switch, and this countdown is the
 * backstop that stops it anyway within 61 fresh slices (world_stop_attn_off, whose
 * stopper forgets attn, counts it: with the queue's look alone, that P never stopped). */
HOT_INLINE void fair_look(struct p *pp)
{
    pp->fairtick = FAIR_TICKS;
    if (__atomic_load_n(&sched.runq_size, __ATOMIC_RELAXED) || __atomic_load_n(&sched.gcwaiting, __ATOMIC_RELAXED)) {
        /* pp made opaque here: gcc otherwise computed attn's address for this RMW
         * ahead of the switch's own look at attn, on every park (1 instruction on
         * virt-arm, whose exclusive loads take no offset). */
        __asm__ volatile("" : "+r"(pp));
        __atomic_fetch_or(&pp->attn, ATTN_FAIR, __ATOMIC_RELAXED);
    }
}

/* execute's first half, both switches' (execute_run through g0, switch_direct from
 * goroutine to goroutine): gp, RUNNING, bound to this M (c, m, pp: this core, its M,
 * its P, never NULL here) with its slice. A goroutine that came from runnext inherits
 * the slice; a fresh slice starts at now (read by the caller; unused when inherited). */
HOT_INLINE void execute_bind(struct cpu *c, struct m *m, struct p *pp, struct g *gp, bool inherit,
                                 uint64_t now)
{
    gp->m = m;
    gp->cpu = c;
    m->curg = gp;
    if (!inherit) {             /* a fresh slice; an inherited one isn't a new tick (Go) */
        if (__builtin_expect(--pp->fairtick <= 0, 0))   /* Go's schedtick % 61 */
            fair_look(pp);
        m->slice_start = now;
    }
#if GORO_SLOW_SWITCH
    /* The negative control of the benchmark guard (tests/bench_guard.py): a build with
     * -DGORO_SLOW_SWITCH=1 pays 64 more instructions per switch and must fail it. */
    __asm__ volatile(".rept 64\n\tnop\n\t.endr" ::: "memory");
#endif
}

/* The direct switch.
 * gosched and a channel's park (the round trip's two switches) go from goroutine to
 * goroutine without g0 when the next one is at hand: the P's attn is clear, runnext or
 * the ring's head holds a goroutine, and then (the clock read after the take, so that
 * no 64-bit value lives across it: 8 instructions on ARM) no timer is due; the tracer
 * is off. A timer due after the take puts the goroutine taken back in runnext
 * (runqput_back) and goes through g0, where findrunnable fires it first. Anything else
 * goes through g0 as before (mcall_sched: gosched_m, park_chan_m, park_chan_idle_m).
 * The callers: goro_gosched (sched.c), and park_direct's: chan_park (chan.c),
 * gopark_rawunlock (sched.c), whose word is a rawlock's (raw: its checks differ), and
 * gopark_commit (sched.c), whose release is a function (call: select's channels and
 * timeout, sleep's timer), run after the status store on next's stack.
 * The switch runs on the leaving goroutine's stack, so the order is the protocol
 * (tests/model/switch.pml checks it: it finds a scan or resume of unsaved registers
 * when the status and the word go first, and a taker's CAS meeting a running
 * goroutine, which casgstatus throws on, when the word goes before the status):
 *   1. next is taken and bound (RUNNING, this M's curg, its slice) and gp made
 *      ready to publish (a ring slot past the tail, or the channel's lock released
 *      but for its word; gp's m is left as it is, since struct g's m is read only
 *      with the status RUNNING: clearing it cost 2 instructions a switch on
 *      virt-arm), while gp is still RUNNING: nobody
 *      else may touch it, a scanner waits, a thief that sees the slot can't (the tail
 *      does not cover it), a waker can't reach its waiter record (the lock is held).
 *   2. arch_switch_yield or _park saves gp's registers, then stores gp's status
 *      (RUNNABLE, WAITING), then the word that hands gp over (the ring's tail, the
 *      lock's word), each with release: a scanner that sees the status finds the
 *      registers saved, and a core that takes gp through the word finds the status
 *      changed (a thief's and a waker's CAS from RUNNABLE and WAITING would fail on
 *      RUNNING).
 *   3. From the first store on, the switch touches nothing but next's context: gp's
 *      stack may be scanned, or run by another core, at once.
 * Interrupts are off throughout, so no trap frame lands on gp's stack meanwhile.
 * GCCHECK builds go through g0 (SWITCH_DIRECT 0): the switch's own temporaries sit in
 * the callee-saved registers the switch saves, and on a stack scanned before they got
 * there the checkmark takes one that looks like a heap address (a clock value's low
 * half, raspi2b) for a missed object; so do the spill slots goro_gosched's frame leaves
 * unwritten, over the collector's dead frames (world_torture_checkmark, raspi2b SMP 2:
 * both, 4 runs in 4). The collector itself at worst keeps such an object a cycle.
 * Saves, against the trip through g0, g0's stack and guard, its thread pointer, the
 * frame of the function mcall enters and gp's bind and unbind (gosched_switch 159.2 ->
 * 136.7 on riscv64: docs/design/scheduler.md). */
#define SWITCH_DIRECT (!GORO_GCCHECK)

/* The switch's last step: next's thread, then arch_switch_park or arch_switch_yield by
 * gp's new status (a constant at every caller but the scanned path's): G_WAITING
 * releases the lock whose word is word (v unused), G_RUNNABLE stores v, the ring's tail
 * past gp's slot, to word. */
HOT_INLINE void switch_publish(struct g *gp, struct g *next, uint32_t status, uint32_t *word, uint32_t v)
{
    arch_set_thread(next);
    if (status == G_WAITING)
        arch_switch_park(SWITCH_ARG(gp), SWITCH_ARG(next), word);
    else
        arch_switch_yield(SWITCH_ARG(gp), SWITCH_ARG(next), word, v);
}

/* The switch (c, m, pp: this core, its M, its P; gp the caller, RUNNING; next taken
 * from pp's queue, RUNNABLE; traced: a constant, true in a tracer-on copy of a
 * channel's park, whose block and next's start trace.c's trace_switch_direct records). Its slow
 * paths are calls after which nothing is left to do, so that its callers keep no
 * value across a call (a returning call with values live after it made gcc save seven
 * callee-saved registers: 16 instructions).
 * False, with nothing done: a scanner holds next's stack (RUNNABLE|SCAN), or (call)
 * next's stack has too little room for the commit. The caller
 * puts next back (runqput_back) and goes through g0, as for a due timer, where
 * execute waits for the scanner (execute_scanned), gp already switched out. (It was a
 * call here, switch_direct_scanned, that waited and switched on: its seven arguments,
 * two on the stack on ARM, cost the callers registers and spills on every switch.)
 * The core's timer is left as it is: while a goroutine runs, it is armed no later than
 * the earlier of its slice's end and its P's first timer (set_slice_timer's rule, kept
 * by every writer of the three: execute_run, the tick, timer_notify, whose IPI re-arms
 * another core for a timer it gave that core's P), and next's slice ends no sooner
 * than gp's (inherited, or fresh: it starts now), on the same P. Comparing the two
 * deadlines here cost 5 instructions a switch on riscv64 and 13 on virt-arm. LOCKRANK
 * builds (the checked ones) check the slice's half, which this core alone writes. */
HOT_INLINE bool switch_direct(struct cpu *c, struct m *m, struct p *pp, struct g *gp, struct g *next,
                              bool inherit, uint64_t now, bool traced, bool raw, bool call, uint32_t status,
                              uint32_t *word, uint32_t v)
{
    /* The commit runs on next's stack, below its saved sp: a next with less room than
     * PARK_CALL_ROOM goes through g0 (as a scanned one) and the commit runs there. */
    if (call && __builtin_expect(next->ctx.sp - next->stack_lo < PARK_CALL_ROOM, 0))
        return false;
    if (__builtin_expect(!arch_cas32_acquire(&next->status, G_RUNNABLE, G_RUNNING), 0))
        return false;
    if (__builtin_expect(__atomic_load_n(&gp->status, __ATOMIC_RELAXED) != G_RUNNING, 0))
        casgstatus_owned_bad(gp, G_RUNNING, status);
    if (status == G_WAITING && !call) {   /* the lock's release checks (LOCKRANK builds; else
                                             nothing); a commit's releases check themselves */
        if (raw)
            rawunlock_check(word);
        else
            spin_unlock_check((struct spinlock *)((char *)word - offsetof(struct spinlock, locked)));
    }
    execute_bind(c, m, pp, next, inherit, now);
    if (GORO_LOCKRANK && __builtin_expect(m->timer_armed > slice_end(m), 0))
        throw("switch: the core's timer is armed for %llu, after the slice's end %llu",
              (unsigned long long)m->timer_armed, (unsigned long long)slice_end(m));
    if (traced) {                /* a constant: the caller's tracer-on copy (chan.c) */
        trace_switch_direct(gp, next, pp->id, word);   /* the events, the switch (a park) */
        return true;
    }
    if (call) {                  /* a constant: gopark_commit's park (sched.c) */
        arch_set_thread(next);
        arch_switch_park_call(SWITCH_ARG(gp), SWITCH_ARG(next), park_commit_call, gp);
        return true;
    }
    switch_publish(gp, next, status, word, v);
    return true;
}

/* A park's direct switch, the part chan_park (chan.c), gopark_rawunlock and
 * gopark_commit (sched.c) share: gp (RUNNING, the caller; interrupts off; its waiter
 * record queued under the lock whose word is word, held: a channel's spinlock, or a
 * rawlock if raw, a constant) parks WAITING and the switch releases the lock
 * (arch_switch_park), while runnext's goroutine, else the ring's head, runs (c, m, pp:
 * this core, its M, its P). With call (a constant, word unused) the switch calls
 * park_commit_call on the next goroutine's stack instead, which runs the commit
 * gopark_commit left in m (arch_switch_park_call). Returns 1 once gp has resumed; 0
 * with nothing done (attn, a due timer, a scanned next): the caller parks through g0;
 * -1 when the queue was empty, after the looks and the canary (a channel goes straight
 * to findrunnable then). */
HOT_INLINE int park_direct(struct cpu *c, struct m *m, struct p *pp, struct g *gp, bool traced, bool raw,
                           bool call, uint32_t *word)
{
    if (!schedule_look_attn(c, pp))
        return 0;
    stack_check_m(m, gp);
    struct g *next;              /* two calls, so that each folds its slice (inherit) */
    uint64_t now;
    if ((next = runqget_next(pp))) {
        if (__builtin_expect(schedule_look_timer(pp, &now), 1) &&
            __builtin_expect(switch_direct(c, m, pp, gp, next, true, 0, traced, raw, call, G_WAITING, word, 0), 1))
            return 1;
        runqput_back(pp, next);
        return 0;
    }
    if ((next = runqget_ring(pp))) {
        if (__builtin_expect(schedule_look_timer(pp, &now), 1) &&
            __builtin_expect(switch_direct(c, m, pp, gp, next, false, now, traced, raw, call, G_WAITING, word, 0), 1))
            return 1;
        runqput_back(pp, next);
        return 0;
    }
    return -1;
}

/* The g0 halves of a channel's park (sched.c), for chan_park's mcall. */
void park_chan_m(void *arg);
void park_chan_idle_m(void *arg);
