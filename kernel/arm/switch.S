/* Goroutine context switch halves (ARMv7-A). Both are called with interrupts off.
 *
 * void arch_mcall(struct context *save, const struct context *to, void (*fn)(void *), void *arg)
 *   saves r4-r11, sp, lr, FPSCR and d8-d15 into *save, switches to to->sp (the top of
 *   the M's g0 stack) and calls fn(arg), which never returns. arch_gogo(save) later
 *   returns from arch_mcall. (Guard pages need nothing per switch: mmu.c.)
 * void arch_gogo(struct context *ctx)
 *   restores r4-r11, sp, lr, FPSCR and d8-d15 from *ctx and returns to ctx->ra; in
 *   GCCHECK builds it clears r0-r3, ip and the caller-saved d registers first.
 * void arch_switch_park(void *from, const void *to, uint32_t *word)
 * void arch_switch_yield(void *from, const void *to, uint32_t *word, uint32_t v)
 *   arch_mcall's save into from's context (from + SWITCH_CTX), then the goroutine's
 *   status (from + SWITCH_STATUS: waiting, runnable) and then *word (0; v), each a
 *   release store in that order, then arch_gogo(to + SWITCH_CTX): from the first store
 *   on it touches no memory but to's (kernel/arch.h). stm and ldm take no offset: the
 *   two adds that find the contexts are here.
 * The context's layout (arch_impl.h) is the order of its two stores: d8-d15 by vstmia
 * with writeback, which leaves the base at r4's slot, then r4-r11, FPSCR (by way of
 * ip), sp and lr by one stmia; the loads mirror them. A save is 3 instructions and a
 * resume 4 (before: 7 and 8, each field at its offset), 8 fewer a direct switch. SP in
 * an A32 stm/ldm list is deprecated but defined on ARMv7-A (ARM DDI 0406C, STM/LDM).
 * arch_ctx_start: where a fresh context (arch_ctx_init) resumes: it calls the entry
 *   function held in r4 with lr = 0, so a backtrace ends there. */
#include "arch_impl.h"
#include "asm_offsets.h"       /* SWITCH_*: struct g's status word and values */

    .syntax unified
    .arm
    .section .text

.macro clear_scratch                      @ r0-r3, ip, d0-d7, d16-d31 = 0
    mov     r0, #0
    mov     r1, #0
    mov     r2, #0
    mov     r3, #0
    mov     ip, #0
    vmov.i64 q0, #0
    vmov.i64 q1, #0
    vmov.i64 q2, #0
    vmov.i64 q3, #0
    vmov.i64 q8, #0
    vmov.i64 q9, #0
    vmov.i64 q10, #0
    vmov.i64 q11, #0
    vmov.i64 q12, #0
    vmov.i64 q13, #0
    vmov.i64 q14, #0
    vmov.i64 q15, #0
.endm

.macro save ctx                            @ the caller's context, into \ctx; \ctx ends at CTX_R4
    vstmia  \ctx!, {d8-d15}
    vmrs    ip, fpscr
    stmia   \ctx, {r4-r11, ip, sp, lr}      @ ip: FPSCR. SP in the list: deprecated, defined (ARMv7 A32)
.endm

    .globl arch_mcall
    .type arch_mcall, %function
arch_mcall:
    save    r0
    ldr     sp, [r1, #CTX_SP]
    mov     fp, #0                          @ fn starts a fresh frame-pointer chain
    mov     lr, #0
    mov     r0, r3
    bx      r2

.macro resume ctx                          @ arch_gogo's body, from \ctx
    vldmia  \ctx!, {d8-d15}
    ldmia   \ctx, {r4-r11, ip, sp, lr}
    vmsr    fpscr, ip
#if GORO_GCCHECK
    @ Caller-saved registers are dead here, but a trap before they are overwritten
    @ saves them in this goroutine's frame, where a conservative scan sees them. To
    @ the collector a stale pointer there only keeps garbage alive one more cycle; the
    @ checkmark would report it as a missed object on a black stack. So GCCHECK builds
    @ clear them (as mark.c's clear_dead_stack clears dead stack); others save the 17
    @ instructions on every switch. gcc keeps 64-bit integers (and so pointers) in d
    @ registers too: d0-d7 and d16-d31 are cleared with the core registers.
    clear_scratch
#endif
    bx      lr
.endm

    .globl arch_gogo
    .type arch_gogo, %function
arch_gogo:
    resume  r0

@ The direct switch's publication, after the save: status to the goroutine's status
@ word, then value to [word]. ctx is where save left it: the thread + SWITCH_CTX +
@ CTX_R4, so the status is at ctx + (SWITCH_STATUS - SWITCH_CTX - CTX_R4). One barrier
@ orders the context's stores (and everything before) ahead of both stores; the second,
@ store to store, keeps the status ahead of the word.
.macro publish ctx, status, word, value
    mov     ip, #\status
    dmb     ish
    str     ip, [\ctx, #(SWITCH_STATUS - SWITCH_CTX - CTX_R4)]
    dmb     ishst
    str     \value, [\word]
.endm

    .globl arch_switch_park
    .type arch_switch_park, %function
arch_switch_park:                           @ r0, r1: contexts (ARCH_SWITCH_BY_CTX)
    save    r0
    mov     r3, #0
    publish r0, SWITCH_WAITING, r2, r3
    resume  r1

    .globl arch_switch_yield
    .type arch_switch_yield, %function
arch_switch_yield:
    save    r0
    publish r0, SWITCH_RUNNABLE, r2, r3
    resume  r1

@ arch_switch_park_call: the save, the status (waiting), then fn(arg) on to's stack, then
@ to's context. r4 holds to's context across the call.
    .globl arch_switch_park_call
    .type arch_switch_park_call, %function
arch_switch_park_call:
    save    r0
    mov     ip, #SWITCH_WAITING
    dmb     ish
    str     ip, [r0, #(SWITCH_STATUS - SWITCH_CTX - CTX_R4)]
    mov     r4, r1
    ldr     sp, [r4, #CTX_SP]
    mov     fp, #0                          @ fn starts a fresh frame-pointer chain
    mov     r0, r3
    blx     r2
    resume  r4

    .globl arch_ctx_start
    .type arch_ctx_start, %function
arch_ctx_start:
    mov     lr, #0
    bx      r4

/* void arch_clear_scratch(void): zero the caller-saved registers, core and VFP (GCCHECK
 * builds call it where a pending interrupt would save runtime integers that look like
 * heap addresses, such as a span's bitmap halves: runtime/heap.c's alloc_small). */
    .globl arch_clear_scratch
    .type arch_clear_scratch, %function
arch_clear_scratch:
    clear_scratch
    bx      lr
