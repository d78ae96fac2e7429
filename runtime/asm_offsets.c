/* asm_offsets.c: the offsets and constants the tick's fast path (kernel/<arch>/tick.S)
 * reads, taken from the structs themselves: the build compiles this file to assembly
 * (never to an object) and turns each `@OFF@ NAME value` line into `#define NAME value`
 * in $(LIBDIR)/asm_offsets.h (Makefile), so no offset is typed twice and a field moved
 * in runtime.h or cpu.h moves the assembly with it. The fast path is
 * rt_timer_interrupt's (preempt.c) in assembly: what it reads is listed here; so is
 * what the direct switch's assembly (kernel/<arch>/switch.S) publishes. */
#include "runtime.h"

#define OFF(name, value) __asm__ volatile("@OFF@ " #name " %0" ::"i"(value))

void asm_offsets(void);
void asm_offsets(void)
{
    OFF(CPU_M, offsetof(struct cpu, m));
    OFF(CPU_TICKS, offsetof(struct cpu, ticks));
    OFF(CPU_LAST_PC, offsetof(struct cpu, last_pc));
    OFF(M_CURG, offsetof(struct m, curg));
    OFF(M_P, offsetof(struct m, p));
    OFF(CPU_MLOCKS, offsetof(struct cpu, mlocks));
    OFF(M_SLICE_START, offsetof(struct m, slice_start));
    OFF(M_SLICE_TICKS, offsetof(struct m, slice_ticks));
    OFF(M_TIMER_ARMED, offsetof(struct m, timer_armed));
    OFF(P_TIMER0_WHEN, offsetof(struct p, timer0_when));
    OFF(G_STACK_LO, offsetof(struct g, stack_lo));
    OFF(G_PREEMPT, offsetof(struct g, preempt));
    /* stack_check (runtime.h): the canary's first and last machine words. */
    OFF(CANARY_LAST, STACK_CANARY_WORDS * 8 - sizeof(uintptr_t));
    OFF(CANARY_LO, (uintptr_t)STACK_CANARY);
    OFF(CANARY_HI, (uintptr_t)(STACK_CANARY >> (64 - 8 * sizeof(uintptr_t))));
    /* The direct switch's publication (kernel/arch.h arch_switch_park, _yield). */
    OFF(SWITCH_CTX, offsetof(struct g, ctx));
    OFF(SWITCH_STATUS, offsetof(struct g, status));
    OFF(SWITCH_WAITING, G_WAITING);
    OFF(SWITCH_RUNNABLE, G_RUNNABLE);
    OFF(TRAP_TIMER_KIND, TRAP_TIMER);    /* kernel/arch.h: the IRQ entry's test (ARM) */
    ARCH_ASM_OFFSETS(OFF);           /* the port's own (kernel/<arch>/arch_impl.h) */
}
