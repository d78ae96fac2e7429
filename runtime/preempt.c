/* Preemption: the time slice, the timer interrupt, preemption requests by IPI, and the
 * async safe point.
 *
 * Every core's timer is programmed for the earlier of its P's next timer and the end of
 * the running goroutine's slice (set_slice_timer), lazily: reprogramming it (an MMIO
 * or system-register write) on every switch would be most of a switch's cost, so it is
 * reprogrammed only when the deadline moves earlier than the armed one (m->timer_armed).
 * A later deadline (each fresh slice ends later than the last) leaves the timer armed
 * early; when it fires, rt_timer_interrupt re-arms it for the real deadline, and a slice
 * within 1/16 of its end counts as over, so a goroutine that runs for whole slices takes
 * one tick per slice, and two goroutines switching all the time take one per slice
 * between them. When the slice is over, or another
 * core asks (preempt_request: flag, then IPI), the goroutine is marked preempt. At the
 * end of the trap (rt_trap_exit), a marked goroutine that is preemptible (mlocks == 0;
 * interrupts were on, or the trap could not have been taken) switches to g0 from inside
 * the trap handler: its full register frame stays on its stack, the async safe point,
 * and is restored by the trap return when it runs again, on whatever core. A marked
 * goroutine that isn't preemptible yields when it becomes so (releasem). */
#include "runtime.h"

extern char __wb_start[], __wb_end[];   /* linker.ld: goro_store's fast path */

/* Interrupts off: program this core's timer (set_slice_timer, runtime.h). */
void slice_timer_arm(struct m *m, uint64_t deadline)
{
    m->timer_armed = deadline;
    arch_timer_set(deadline);
}

/* slice_timer_deadline after a tick that fired timers (began at now), its P's first
 * timer no sooner than this tick took again. A periodic timer's next period can come
 * before the tick that fired it ends (its period as short as 1 ns, or shorter than the
 * firing takes on a slow or loaded core); armed for then, the timer would interrupt
 * again at once, and the interrupted goroutine would never run again: a 2 us ticker did
 * that to its core on qemu-virt-riscv64 (timer_chan; the 5 us one in its LOCKRANK
 * build, once). With the floor the interrupted code gets at least half the core, and a
 * due timer fires late by at most one firing's length. The slice's end is not moved
 * (the direct switch counts on the timer armed no later than it, switch.h): a slice
 * that ends within the floor takes its tick then, which starts the next slice. */
static uint64_t tick_throttle(struct m *m, uint64_t now)
{
    uint64_t after = arch_time_now();
    return slice_timer_deadline_floor(m, after + (after - now));
}

/* The tick's slow path: a timer is due, or no goroutine runs here. */
static __attribute__((noinline)) void tick_slow(struct m *m, uint64_t now)
{
    struct p *pp = m->p;
    bool held = false;              /* pp has due timers it may not fire now */
    if (pp && __atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED) <= (int64_t)now) {
        /* Only a running P fires timers here: its M owns it. An idle P's M fires them
         * from findrunnable after m_sleep sees them due and takes the P back; a stopped
         * P's wait for the world's restart. (Firing on a stopped P raced procresize,
         * which moves a dying P's timers: a timer fired here and re-added there fired
         * twice, "casgstatus: goroutine 2 is runnable, not waiting", trace_basic on
         * virt-arm SMP=4.) */
        if (__atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) == P_RUNNING)
            timers_run(pp, (int64_t)now);
        else
            held = true;
    }
    struct g *gp = m->curg;
    if (gp) {
        stack_check(gp);
        if (now + (m->slice_ticks >> 4) >= slice_end(m)) {     /* over, or within 1/16 of it */
            gp->preempt = true;
            trace_preempt_tick();
            m->slice_start = now;   /* a deferred request re-arms too: no storm */
        }
    }
    /* It fired: program it whatever the deadline, UINT64_MAX included (the interrupt
     * stays pending until the timer is written: RISC-V's mtimecmp, ARM's level-triggered
     * line; trap_tick, arch.h). */
    slice_timer_arm(m, held ? (m->curg ? slice_end(m) : UINT64_MAX) : tick_throttle(m, now));
}

static inline __attribute__((always_inline)) void trap_exit(struct trapframe *tf);

/* The tick (trap_tick, interrupts off), and the trap's exit. Each port has this fast
 * path in assembly too (kernel/<arch>/tick.S, which reads the fields it needs at the
 * offsets runtime/asm_offsets.c lists), and comes here only for what that leaves: the
 * two must decide alike, so a change here is a change there. Its fast path, taken
 * when a goroutine runs here and none of the P's timers is due (the common tick: a
 * timer armed early, for a slice since renewed, or a slice's end): check the canary,
 * mark the goroutine if its slice is (nearly) over, re-arm for the real deadline,
 * nothing else. The timer has fired, so it is written whatever the deadline (see
 * tick_slow): that write is also what ends the interrupt (arch.h, trap_tick). */
void rt_timer_interrupt(struct trapframe *tf)
{
    struct m *m = arch_cpu()->m;
    if (__builtin_expect(!m, 0)) {
        arch_timer_set(UINT64_MAX);   /* no runtime here yet: the write ends the interrupt */
        return;
    }
    uint64_t now = arch_time_now();
    struct g *gp = m->curg;
    struct p *pp = m->p;
    int64_t t0;
    if (__builtin_expect(gp && pp && (int64_t)now < (t0 = __atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED)), 1)) {
        stack_check(gp);
        uint64_t end = slice_end(m);
        if (now + (m->slice_ticks >> 4) >= end) {     /* over, or within 1/16 of it */
            gp->preempt = true;
            trace_preempt_tick();
            m->slice_start = now;
            end = now + m->slice_ticks;
        }
        slice_timer_arm(m, (uint64_t)t0 < end ? (uint64_t)t0 : end);
    } else {
        tick_slow(m, now);
    }
    trap_exit(tf);
}

void rt_ipi(struct trapframe *tf, uint32_t bits)
{
    (void)tf;
    struct m *m = arch_cpu()->m;
    if (m && (bits & IPI_PREEMPT) && m->curg) {
        m->curg->preempt = true;
        trace_preempt_ipi();
    }
    /* IPI_WAKE: m_sleep re-checks after the interrupt; a timer_start on another core
     * may have given our P an earlier timer (timer.c): arm for it. */
    if (m && (bits & IPI_WAKE))
        set_slice_timer(m);
}

/* Ask gp to stop at its next safe point; it is told at once by IPI if it runs. */
void preempt_request(struct g *gp)
{
    __atomic_store_n(&gp->preempt, true, __ATOMIC_RELEASE);
    trace_preempt_request(gp);
    struct m *m = __atomic_load_n(&gp->m, __ATOMIC_ACQUIRE);
    if (m && readgstatus(gp) == G_RUNNING)
        ipi_send(m->id, IPI_PREEMPT);
}

static void gopreempt_m(void *arg)
{
    struct g *gp = arg;
    struct m *m = gp->m;
    stack_check(gp);
    if (gp->preempt_stop) {
        preempt_park_m(gp);          /* world.c: suspend_g wants it stopped */
        schedule();
    }
    casgstatus(gp, G_RUNNING, G_RUNNABLE);
    trace_gopreempt(gp);
    dropg(m, gp);
    if (gp->pin) {
        pin_put(m->p, gp, false);    /* its own P's queue, not the global one (pin.c) */
    } else {
        globrunqput(gp);
        wakep();         /* as Go's goschedImpl: an idle P can take it; else two
                            goroutines share this P while another P sleeps */
    }
    schedule();
}

/* rt_trap_exit's rest, out of line (the common trap has nothing to do and should not
 * pay for a frame): gp, a goroutine, was asked to stop. */
static __attribute__((noinline)) void trap_preempt(struct trapframe *tf, struct g *gp)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE);   /* with the relaxed load of preempt: acquire */
    struct cpu *c = arch_cpu();
    if (c->mlocks || c->noff || readgstatus(gp) != G_RUNNING)
        return;
    uintptr_t pc = tf_pc(tf);
    if (pc >= (uintptr_t)__wb_start && pc < (uintptr_t)__wb_end)
        return;            /* goro_store's check-and-store is not a safe point (mgc.c) */
    gp->preempt = false;
    gp->tf = tf;
    mcall(gopreempt_m, gp);
    gp->tf = NULL;
}

/* The last step of every trap: the async safe point. A marked goroutine that holds
 * locks (its core's mlocks: only that core writes them) is left to releasem without a
 * call. */
static inline __attribute__((always_inline)) void trap_exit(struct trapframe *tf)
{
    struct g *gp = getg();             /* the interrupted thread: a goroutine, g0 or boot */
    if (is_boot_thread(gp) || gp->is_g0 || !__atomic_load_n(&gp->preempt, __ATOMIC_RELAXED) ||
        gp->cpu->mlocks)
        return;
    trap_preempt(tf, gp);
}

void rt_trap_exit(struct trapframe *tf) { trap_exit(tf); }
