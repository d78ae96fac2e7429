/* Runtime start and end: the boot core sets up Ms, Ps and the main goroutine
 * (rt_init), then every core becomes an M and enters the scheduler (rt_boot).
 * main() runs as goroutine 1; its return ends the program with its status. */
#include <stdio.h>
#include "runtime.h"
#include "heap.h"

int main(void);        /* the application's (its own file; no header of ours declares it) */
extern char __boot_stacks[];
#define BOOT_STACK_SIZE (16 * 1024)
static struct g g0s[GORO_SMP_MAX] GORO_NOSCAN;
uint64_t slice_ticks;

/* Where each core's g0 starts (rt_boot): the scheduler, at the top of the g0 stack. */
static void g0_main(void)
{
    schedule();
}

static void m_init(int id)
{
    struct m *m = &ms[id];
    struct g *g0 = &g0s[id];
    m->id = id;
    m->g0 = g0;
    m->slice_ticks = slice_ticks;      /* rt_init set it first */
    m->timer_armed = UINT64_MAX;       /* arch_cpu_init left the timer off */
    m->canary[0] = STACK_CANARY_LO;
    m->canary[1] = STACK_CANARY_HI;
    m->g0_top = (uintptr_t)__boot_stacks + (uintptr_t)(id + 1) * BOOT_STACK_SIZE;
    m->rand = (boot_seed() * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)(id + 1) << 32) ^ 0x5DEECE66DULL;
    g0->cpu = &cpus[id];
    g0->m = m;
    g0->is_g0 = true;
    g0->status = G_RUNNING;
    stack_g0_init(g0, m->g0_top - BOOT_STACK_SIZE, m->g0_top, g0_main);   /* its guard, its context */
    cpus[id].m = m;
}

static void main_goroutine(void *arg)
{
    (void)arg;
    trace_boot();
    goro_exit(main());
}

/* Boot core, before the others are released. */
void rt_init(void)
{
    int id = arch_cpu()->id;
    stack_guard_init();
    sched.gomaxprocs = ncpu;
    slice_ticks = ns_to_ticks(GORO_TIMESLICE_NS);
    for (int i = 0; i < GORO_SMP_MAX; i++) {
        ps[i].id = i;
        ps[i].status = i < ncpu ? P_RUNNING : P_DEAD;
        ps[i].timer0_when = INT64_MAX;
        ps[i].timer_lock = (struct spinlock)SPINLOCK_INIT("timer");
        ps[i].pin_head = i < ncpu ? NULL : PIN_CLOSED;   /* pin.c: a dead P's inbox */
    }
    for (int i = 0; i < ncpu; i++) {
        m_init(i);
        ms[i].p = &ps[i];
        ps[i].m = &ms[i];
    }
    trace_init();
    arch_set_thread(ms[id].g0);
    heap_init();
    if (!newproc(main_goroutine, NULL, 64 * 1024))
        throw("rt_init: no memory for the main goroutine");
}

/* Every core: become M id and schedule, from the top of the g0 stack (the boot stack
 * we are on) with its guard armed. */
void rt_boot(int id)
{
    arch_intr_off();
    arch_set_thread(ms[id].g0);
    arch_gogo(&ms[id].g0->ctx);
}

void rt_exit_flush(void)
{
    struct g *gp = getg();
    if (is_boot_thread(gp) || gp->is_g0 || !gp->reent)
        return;                       /* boot thread or g0: no goroutine stdio */
    fflush(stdout);
    fflush(stderr);
}

void rt_panic_report(void)
{
    struct g *gp = getg();
    if (is_boot_thread(gp)) {
        kprintf("during boot\n");
        return;
    }
    if (gp->is_g0) {
        struct g *cur = gp->m->curg;
        kprintf("on the scheduler stack (g0)");
        if (cur)
            kprintf(", goroutine %lld", (long long)cur->id);
        kprintf("\n");
        return;
    }
    kprintf("goroutine %lld [%s], function 0x%lx%pS\n", (long long)gp->id, gstatus_name(readgstatus(gp)),
            (unsigned long)(uintptr_t)gp->fn, (void *)(uintptr_t)gp->fn);
}

_Noreturn void goro_exit(int status)
{
    trace_exit();
    kexit(status);
}

_Noreturn void goro_panic(const char *fmt, ...)
{
    rt_exit_flush();
    va_list ap;
    va_start(ap, fmt);
    vpanic(fmt, ap, arch_frame_pointer());
}
