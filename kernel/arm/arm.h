/* The ARM port's private interface: what kernel/arm/ needs from the board's interrupt
 * controller driver (kernel/dev/gic.c, kernel/dev/bcm2836_intc.c) and the generic
 * timer, and the boot facts entry.S records. Included by ARM code only. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "arch_impl.h"

struct trapframe;

/* Interrupt controller (one driver per board). */
void intc_cpu_init(int id);     /* on each core, interrupts off: enable its timer and IPI sources */
/* Called by the IRQ entry (trapvec.S) with the frame's integer half saved, before its
 * VFP registers are, so it must use none (the attribute makes the compiler keep to
 * that), interrupts off, before trap_dispatch: find
 * which interrupt this is, store the enum trap_kind in tf->info and the raw id in
 * tf->irq, and acknowledge it at the controller (a GIC's EOI is written here, so that a
 * handler that switches goroutines never leaves the controller waiting). A timer
 * interrupt is not disarmed: the tick re-arms the timer before interrupts come on again
 * (trap_tick, arch.h), which drops its level-triggered line, and a GIC that saw the
 * line still high at the EOI forgets the pending state with it; disarming first cost
 * a function call and two system-register writes per tick. */
void intc_ack(struct trapframe *tf) __attribute__((target("general-regs-only")));
#define IRQ_SPURIOUS 0xffu      /* tf->info: nothing was pending by the time of the ack */
void intc_cpu_stop(void);       /* this core takes no more interrupts (halt) */

/* Generic timer (gtimer.c): the virtual timer CNTV, a one-shot deadline. */
void gtimer_init(void);         /* on each core: disarmed */
void gtimer_disarm(void);

/* MMU (mmu.c): an identity map of the image's RAM (Normal, write-back, shareable) and
 * the board's MMIO window (Device); everything else faults. mmu_build runs once, on
 * the boot core with the MMU off; mmu_enable on every core, before any C code that
 * uses exclusives. */
void mmu_build(void);
void mmu_enable(void);

/* Entry points the assembly calls or jumps to. */
void arm_trap(struct trapframe *tf);   /* trap.c: from trapvec.S, the saved frame, interrupts off */
void arm_irq(struct trapframe *tf);    /* trap.c: an acknowledged IRQ's, as arm_trap's */

/* Boot facts (boot/arm/entry.S). */
extern uint32_t arm_entered_hyp;   /* the boot core entered in HYP mode and dropped to SVC */
void _start(void);

/* CP15 helpers. */
#define CP15_READ(op1, crn, crm, op2) ({ uint32_t v_; \
    __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v_)); v_; })
#define CP15_WRITE(op1, crn, crm, op2, v) \
    __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"((uint32_t)(v)) : "memory")
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
/* Clean the data cache line holding p to the point of coherency, for a reader whose
 * MMU and caches are still off (a secondary core waiting to start). */
static inline void dcache_clean_line(const void *p)
{
    __asm__ volatile("dsb\n\tmcr p15, 0, %0, c7, c10, 1\n\tdsb" ::"r"(p) : "memory");
}
