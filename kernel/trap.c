/* trap_dispatch: the portable half of trap handling, called by kernel/<arch>'s trap
 * entry with the saved frame, interrupts off. Timer, IPI and device lines (irq.c) go
 * to their handlers; anything else is a fatal trap and panics with its cause, never
 * hangs. */
#include "kernel.h"
#include "irq.h"
#include "upcall.h"

void trap_tick(struct trapframe *tf)
{
    struct cpu *c = arch_cpu();
    c->last_pc = tf_pc(tf);
    c->ticks++;
    rt_timer_interrupt(tf);                          /* a tail call; rt_trap_exit included */
}

/* The tick doesn't come this way on either port (kernel/<arch>/tick.S has its fast
 * path, which goes to trap_tick directly), so it is the last case, not the first. */
void trap_dispatch(struct trapframe *tf)
{
    enum trap_kind kind = tf_kind(tf);
    arch_cpu()->last_pc = tf_pc(tf);
    switch (kind) {
    case TRAP_IPI:
        ipi_handle(tf);
        break;
    case TRAP_EXTERNAL:
        irq_handle(tf);
        break;
    case TRAP_TIMER:
        trap_tick(tf);
        return;
    case TRAP_EXCEPTION:
        panic_trap(tf, "unexpected trap: %s at pc 0x%lx", tf_cause_name(tf), (unsigned long)tf_pc(tf));
    default:
        panic_trap(tf, "unexpected interrupt: %s", tf_cause_name(tf));
    }
    rt_trap_exit(tf);
}
