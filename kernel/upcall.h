/* upcall.h: the upcalls the kernel makes into the runtime (runtime/), one list for both
 * sides: the kernel files that call them and runtime.h (so every definition is checked
 * against it) include this. Each says which context it is called in. "Trap": from
 * trap_dispatch (kernel/trap.c) or a port's exception path, interrupts off, on the stack
 * the trap interrupted (a goroutine's or g0's), except where noted. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct trapframe;

/* Boot (kernel/main.c). rt_init: the boot core, once, interrupts off, on its boot stack,
 * before the other cores start. rt_boot: every core after kernel init, interrupts off,
 * on its boot stack; never returns (the core becomes an M and schedules). */
void rt_init(void);
_Noreturn void rt_boot(int cpu);

/* Trap (kernel/trap.c): the core's timer (the tick, which does rt_trap_exit's work
 * itself: trap_tick tail-calls it; it must re-arm the timer, which is what ends the
 * interrupt: arch.h, trap_tick), an IPI's bits (kernel/ipi.c), and the last step
 * before any other trap returns, where a goroutine may be preempted (switching stacks).
 * rt_ipi's tf is NULL when an idle core took the IPI without a trap (ipi_poll, from
 * m_sleep: g0, interrupts off). */
void rt_timer_interrupt(struct trapframe *tf);
/* The tick's fast path in assembly (kernel/<arch>/tick.S) is rt_timer_interrupt's too:
 * it reads struct cpu, m, p and g fields directly, at the offsets the build takes from
 * runtime/asm_offsets.c, and keeps preempt.c's rules. */
void rt_ipi(struct trapframe *tf, uint32_t bits);
void rt_trap_exit(struct trapframe *tf);

/* A data fault at addr, maybe in a stack guard (arch_stack_guard): panics "goroutine N
 * stack overflow" (or "core N scheduler stack (g0) overflow") if it is in the guard of
 * the running stack; otherwise returns. Interrupts off, on a stack other than the
 * overflowed one: ARM's per-core abort stack, RISC-V's per-hart exception stack. */
void rt_stack_fault(struct trapframe *tf, uintptr_t addr);

/* Panic (kernel/panic.c): print the current goroutine for the report. The panicking
 * core, interrupts off, any stack; the other cores are being stopped. */
void rt_panic_report(void);

/* Exit (kernel/exit.c): flush the caller's stdio before the board ends the program.
 * The caller of exit(): a goroutine (or g0), interrupts on. */
void rt_exit_flush(void);

/* Console input. rt_console_read: _read(0) (kernel/syscalls.c), on a goroutine,
 * interrupts on; parks until input. rt_console_wake: the console's receive interrupt
 * (kernel/console_in.c), interrupts off, on the interrupted stack: ready the reader. */
int  rt_console_read(void *buf, size_t n);
void rt_console_wake(void);
