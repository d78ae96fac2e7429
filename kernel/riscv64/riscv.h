/* The RISC-V port's private interface: what kernel/riscv64/'s files and its assembly
 * need from each other. Included by RISC-V code only. */
#pragma once
#include <stdint.h>

struct trapframe;

/* Trap entry (trapvec.S): the vector mtvec points at; it saves the frame and calls
 * trap_dispatch (kernel/arch.h) for an interrupt, riscv_exception for an exception. */
extern char trap_vector[];
void riscv_exception(struct trapframe *tf);   /* stack_guard.c: interrupts off, the hart's exception stack */

/* Stack guards (stack_guard.c): this hart's PMP entries, at arch_cpu_init; the panic
 * for a guard arch_ctx_init was given unaligned. */
void pmp_init(void);
_Noreturn void pmp_guard_misaligned(uintptr_t guard);

/* Semihosting (semihost.S): the trapping sequence QEMU recognises. */
long arch_semihost_trap(long op, void *arg);
