/* suspend_g / resume_g (Go's preempt.go): stop a goroutine wherever it is, so its stack
 * can be scanned, and let it go again.
 *
 * suspend_g loops on the target's state:
 *   dead                 nothing to scan;
 *   runnable, waiting    set SCAN (castogscan): we own the stack, it can't run;
 *   preempted            take it as waiting|SCAN; resume_g will make it runnable;
 *   running              ask it to stop at its next async safe point (preempt_stop +
 *                        IPI) and spin; it becomes preempted;
 *   anything | SCAN      another scanner has it: spin.
 * It spins non-preemptibly, as Go's does: that is exactly why code that waits for other
 * Ps must follow Rule 0 (world.c). A watchdog panics after GORO_WATCHDOG_NS (watchdog.h) naming the goroutine,
 * its state, core and pc.
 *
 * Holding SCAN, the caller keeps interrupts off on its core until resume_g: a timer
 * firing there could make the suspended goroutine ready (goready spins in casgstatus
 * until SCAN clears), and the only one who can clear it is the code that timer
 * interrupted (a hang at SMP=1, tests/gc_concurrent_trees). */
#include "runtime.h"
#include "suspend.h"


/* On g0 from gopreempt_m: gp asked to stop for a suspend_g. */
void preempt_park_m(void *arg)
{
    struct g *gp = arg;
    struct m *m = gp->m;
    gp->preempt_stop = false;
    dropg(m, gp);
    trace_gosuspend(gp);
    casgstatus(gp, G_RUNNING, G_PREEMPTED);
}

struct suspend_state suspend_g(struct g *gp)
{
    struct m *me = acquirem();
    uint64_t start = arch_time_now(), limit = ns_to_ticks(GORO_WATCHDOG_NS);
    struct watchdog w;
    watchdog_start(&w, start, ns_to_ticks(WATCHDOG_STALL_NS));
    for (bool asked = false;;) {
        intr_push();                   /* kept on success: see the top of the file */
        uint32_t s = readgstatus(gp);
        switch (s) {
        case G_DEAD:
        case G_IDLE:
            intr_pop();
            releasem(me);
            return (struct suspend_state){ gp, false, true };
        case G_RUNNABLE:
        case G_WAITING:
            if (castogscan(gp, s)) {
                gp->preempt_stop = false;
                releasem(me);
                return (struct suspend_state){ gp, false, false };
            }
            break;
        case G_PREEMPTED: {
            uint32_t from = G_PREEMPTED;
            if (cas_acq_rel(&gp->status, &from, G_WAITING | G_SCAN, false, __ATOMIC_ACQUIRE)) {
                /* A request re-sent after it stopped (our status read was stale) must
                 * not outlive this suspension, or it would stop again with no one to
                 * take it. */
                gp->preempt_stop = false;
                gp->waitreason = "suspended";
                releasem(me);
                return (struct suspend_state){ gp, true, false };
            }
            break;
        }
        case G_RUNNING:
            if (!asked || arch_time_now() - start > limit / 1000) {
                __atomic_store_n(&gp->preempt_stop, true, __ATOMIC_RELEASE);
                preempt_request(gp);
                asked = true;
            }
            break;
        }
        intr_pop();
        if (watchdog_waited(&w, arch_time_now()) > limit) {
            struct m *m = (s & ~(uint32_t)G_SCAN) == G_RUNNING ? gp->m : NULL;   /* else stale */
            bool live = true;
            uintptr_t pc = m ? cpu_poke_pc(m->id, &live) : gp->ctx.ra;
            throw("watchdog: suspend_g waited more than %lld ms for goroutine %lld [%s%s] on M %d, pc 0x%lx%pN%s",
                  WATCHDOG_MS(GORO_WATCHDOG_NS), (long long)gp->id, gstatus_name(s), s & G_SCAN ? "+scan" : "",
                  m ? m->id : -1, (unsigned long)pc, (void *)pc,
                  live ? "" : " (it took no interrupt in the poke time (WATCHDOG_POKE_NS): the pc of its last trap)");
        }
        arch_relax();
    }
}

void resume_g(struct suspend_state st)
{
    if (st.dead)
        return;
    struct g *gp = st.g;
    uint32_t s = readgstatus(gp);
    if (!(s & G_SCAN))
        throw("resume_g: goroutine %lld is %s without scan", (long long)gp->id, gstatus_name(s));
    __atomic_store_n(&gp->status, s & ~(uint32_t)G_SCAN, __ATOMIC_RELEASE);
    intr_pop();                        /* suspend_g's */
    if (st.stopped)
        goready(gp);
}
