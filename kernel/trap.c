/* trap_dispatch: the portable half of trap handling, called by kernel/<arch>'s trap
 * entry with the saved frame, interrupts off. Timer, IPI and device lines (irq.c) go
 * to their handlers; anything else is a fatal trap and panics with its cause, never
 * hangs. */
#include "kernel.h"
#include "irq.h"
#include "upcall.h"

void trap_dispatch(struct trapframe *tf)
{
    struct cpu *c = arch_cpu();
    c->last_pc = tf_pc(tf);
    switch (tf_kind(tf)) {
    case TRAP_TIMER:
        c->ticks++;
        rt_timer_interrupt(tf);
        break;
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
