/* trap_dispatch: the portable half of trap handling, called by kernel/<arch>'s trap
 * entry with the saved frame, interrupts off. Timer, IPI and device lines (irq.c) go
 * to their handlers; anything else is a fatal trap and panics with its cause, never
 * hangs. */
#include "kernel.h"
#include "irq.h"
#include "upcall.h"

/* Every trap but the tick (out of line: the tick's path has no frame to set up). */
static __attribute__((noinline)) void trap_dispatch_other(struct trapframe *tf, enum trap_kind kind)
{
    switch (kind) {
    case TRAP_IPI:
        ipi_handle(tf);
        break;
    case TRAP_EXTERNAL:
        irq_handle(tf);
        break;
    case TRAP_EXCEPTION:
        panic_trap(tf, "unexpected trap: %s at pc 0x%lx", tf_cause_name(tf), (unsigned long)tf_pc(tf));
    default:
        panic_trap(tf, "unexpected interrupt: %s", tf_cause_name(tf));
    }
    rt_trap_exit(tf);
}

void trap_tick(struct trapframe *tf)
{
    struct cpu *c = arch_cpu();
    c->last_pc = tf_pc(tf);
    c->ticks++;
    rt_timer_interrupt(tf);                          /* a tail call; rt_trap_exit included */
}

void trap_dispatch(struct trapframe *tf)
{
    enum trap_kind kind = tf_kind(tf);
    if (__builtin_expect(kind == TRAP_TIMER, 1)) {   /* the tick: first, a tail call */
        trap_tick(tf);
        return;
    }
    arch_cpu()->last_pc = tf_pc(tf);
    trap_dispatch_other(tf, kind);
}
