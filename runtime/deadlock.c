/* Deadlock detection: when the last P goes idle with no timer pending and no goroutine
 * waiting for a device interrupt or console input (ext_waiters, irq.c), nothing can
 * make a goroutine runnable again (goroutines are readied only by running goroutines,
 * timers, device interrupts, or the runtime's own interrupts). If goroutines are still alive and all of
 * them are waiting, report them and exit 2, as Go's checkdead does. */
#include "runtime.h"

static void print_goroutine(struct g *gp)
{
    uint32_t s = readgstatus(gp);
    kprintf("goroutine %lld [%s%s%s]: function 0x%lx%pS\n", (long long)gp->id, gstatus_name(s),
            s == G_WAITING ? ", " : "", s == G_WAITING && gp->waitreason ? gp->waitreason : "",
            (unsigned long)(uintptr_t)gp->fn, (void *)(uintptr_t)gp->fn);
}

void sched_trace_all(void)
{
    for (struct g *gp = allgs; gp; gp = gp->alllink)
        if (readgstatus(gp) != G_DEAD)
            print_goroutine(gp);
}

/* On g0, interrupts off, after this M's P went idle and all Ps were idle. */
void checkdead(void)
{
    if (timers_total() > 0 || __atomic_load_n(&sched.gcwaiting, __ATOMIC_ACQUIRE) ||
        __atomic_load_n(&ext_waiters, __ATOMIC_SEQ_CST))
        return;
    spin_lock(&allg_lock);
    int waiting = 0;
    for (struct g *gp = allgs; gp; gp = gp->alllink) {
        uint32_t s = readgstatus(gp);
        if (s == G_DEAD)
            continue;
        if (s != G_WAITING) {
            spin_unlock(&allg_lock);
            return;
        }
        waiting++;
    }
    if (__atomic_load_n(&sched.npidle, __ATOMIC_SEQ_CST) != sched.gomaxprocs || timers_total() > 0 ||
        __atomic_load_n(&ext_waiters, __ATOMIC_SEQ_CST)) {
        spin_unlock(&allg_lock);
        return;
    }
    fatal_begin();   /* the other cores stop: the report comes whole */
    kprintf("fatal error: %s\n\n", waiting ? "all goroutines are asleep - deadlock!"
                                           : "no goroutines (main called goro_goexit) - deadlock!");
    sched_trace_all();
    spin_unlock(&allg_lock);
    kexit(2);
}
