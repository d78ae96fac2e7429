/* tick_fast: the timer interrupt's fast path (vec_irq, trapvec.S, jumps here when the
 * controller's acknowledge says it is the timer), which is rt_timer_interrupt's
 * (runtime/preempt.c) common case in assembly: a goroutine runs, none of its P's timers
 * is due, its canary is intact. Then the tick
 *   1. marks the goroutine (g->preempt) and starts a new slice if the slice is over or
 *      within 1/16 of its end (m->slice_start + m->slice_ticks),
 *   2. re-arms the timer for the earlier of the slice's end and the P's first timer:
 *      CNTV_CVAL's write is what ends the interrupt (the line is level-triggered and
 *      follows CNTVCT >= CVAL), so it is written on every tick, even for the deadline
 *      that fired; CNTV_CTL is left alone (it fired, so it is enabled and unmasked, and
 *      the deadline is finite: a slice's end), and the exception return is the ISB,
 *   3. counts the tick and records the pc (cpu->ticks, cpu->last_pc, as trap_tick),
 *   4. returns (rfe), unless the goroutine is marked and preemptible (mlocks == 0):
 *      then the safe point, rt_trap_exit with the full frame (trap_irq_rest).
 * vec_irq saved r2-r12 and lr in the frame (one store each: the count of registers
 * doesn't matter, the count of instructions does) and left r0, r1, pc and cpsr in the
 * four words at TF_SP; the VFP registers and the FPSCR are neither used nor saved, and
 * no exclusive access is made (so the monitor needs no clearing: trapvec.S's exit
 * clears it for a handler that may have switched goroutines). Anything else (no M or P
 * yet, g0 or a boot thread interrupted, a due timer, a broken canary, the tracer on)
 * goes to trap_irq_rest with trap_tick before it has changed anything: the rest of the
 * frame, then the tick in C, which does it all again and reports what it finds. The
 * offsets come from runtime/asm_offsets.c (the build's asm_offsets.h). */
#include "arch_impl.h"
#include "asm_offsets.h"
#ifndef GORO_TRACE_HOOKS
#define GORO_TRACE_HOOKS 1              /* as runtime/trace.h */
#endif

.if M_P != M_CURG + 4
.error "struct m: tick_fast loads curg and p with one ldrd"
.endif

    .syntax unified
    .arm
    .section .text
    .balign 4
    .globl tick_fast
/* sp: the frame (r2-r12, lr, info, irq; TF_SP: the four words). */
tick_fast:
    mrc     p15, 0, r1, c13, c0, 4          @ the interrupted thread
    ldr     r2, [r1]                        @ r2: this core's struct cpu (its first word)
    ldr     r3, [r2, #CPU_M]                @ r3: m
    cmp     r3, #0
    beq     .Lrest                          @ no runtime on this core yet
    ldrd    r4, r5, [r3, #M_CURG]           @ r4: curg, r5: p
    cmp     r4, r1
    bne     .Lrest                          @ not its goroutine: g0 or a boot thread (or none)
    cmp     r5, #0
    beq     .Lrest
    isb
    mrrc    p15, 1, r6, r7, c14             @ r7:r6 now (CNTVCT)
    ldr     r12, =P_TIMER0_WHEN
    ldrd    r8, r9, [r5, r12]               @ r9:r8 the P's first timer (single-copy atomic: LPAE)
    subs    r12, r6, r8
    sbcs    r12, r7, r9
    bge     .Lrest                          @ due (signed, as C): the C path fires it
    ldr     r10, [r4, #G_STACK_LO]          @ stack_check
    ldr     r11, [r10]
    ldr     r12, =CANARY_LO
    cmp     r11, r12
    ldr     r11, [r10, #CANARY_LAST]
    ldr     r12, =CANARY_HI
    cmpeq   r11, r12
    bne     .Lrest
    ldrd    r10, r11, [r3, #M_SLICE_TICKS]  @ 1. r1:r0 the slice's end; r11:r10 its length
    lsr     r12, r10, #4
    orr     r12, r12, r11, lsl #28
    adds    r12, r12, r6
    adc     lr, r7, r11, lsr #4             @ lr:r12 now + slice_ticks / 16
    ldrd    r0, r1, [r3, #M_SLICE_START]
    adds    r0, r0, r10
    adc     r1, r1, r11
    subs    r12, r12, r0
    sbcs    lr, lr, r1
    bcc     1f                              @ not within 1/16 of its end (unsigned)
#if GORO_TRACE_HOOKS
.Lsite:                                     @ trace_preempt_tick's site: the C path traces
    nop
    .pushsection .static_branches, "ao", %progbits, .Lsite
    .balign 4
    .word   .Lsite, .Lrest, trace_on
    .popsection
#endif
    mov     r12, #1
    strb    r12, [r4, #G_PREEMPT]
    strd    r6, r7, [r3, #M_SLICE_START]    @ a new slice, from now
    adds    r0, r6, r10
    adc     r1, r7, r11
1:  subs    r12, r8, r0                     @ 2. r1:r0 the earlier deadline (unsigned, as C)
    sbcs    r12, r9, r1
    movcc   r0, r8
    movcc   r1, r9
    strd    r0, r1, [r3, #M_TIMER_ARMED]
    mcrr    p15, 3, r0, r1, c14             @ CNTV_CVAL
    ldr     r12, [r2, #CPU_TICKS]           @ 3.
    add     r12, r12, #1
    str     r12, [r2, #CPU_TICKS]
    ldr     r0, [sp, #TF_SP]                @ r0: the four words, to the end
    ldr     r12, [r0, #8]
    str     r12, [r2, #CPU_LAST_PC]
    ldrb    r12, [r4, #G_PREEMPT]           @ 4. trap_exit's test (runtime/preempt.c)
    cmp     r12, #0
    bne     2f
.Lreturn:
    add     r1, sp, #(TF_R0 + 8)
    ldmia   r1, {r2-r12}
    ldr     lr, [sp, #TF_LR]
    mov     sp, r0
    ldmia   sp!, {r0, r1}
    rfeia   sp!                             @ pc, cpsr; sp: the interrupted one
2:  ldr     r12, [r2, #CPU_MLOCKS]
    cmp     r12, #0
    bne     .Lreturn                        @ not preemptible: releasem yields
    ldr     r4, =rt_trap_exit
    b       trap_irq_rest
.Lrest:
    ldr     r4, =trap_tick
    b       trap_irq_rest
    .ltorg
