/* Goroutine context switch halves (RISC-V). Both are called with interrupts off.
 *
 * void arch_mcall(struct context *save, const struct context *to, void (*fn)(void *), void *arg)
 *   saves ra, sp, s0-s11 into *save, switches to to->sp (the top of the M's g0 stack),
 *   arms to's stack guard and calls fn(arg), which never returns. arch_gogo(save)
 *   later returns from arch_mcall.
 * void arch_gogo(struct context *ctx)
 *   restores ra, sp, s0-s11 from *ctx, arms ctx's stack guard and returns to ctx->ra;
 *   in GCCHECK builds it clears the caller-saved registers first.
 * void arch_switch_park(void *from, const void *to, uint32_t *word)
 * void arch_switch_yield(void *from, const void *to, uint32_t *word, uint32_t v)
 *   arch_mcall's save into from's context (from + SWITCH_CTX), then the goroutine's
 *   status (from + SWITCH_STATUS: waiting, runnable) and then *word (0; v), each a
 *   release store in that order, then arch_gogo(to + SWITCH_CTX): from the first store
 *   on it touches no memory but to's (kernel/arch.h).
 *
 * Arming a guard is one CSR write: pmpaddr0 = ctx->guard, the NAPOT address of the
 * stack's guard region (stack_guard.c). No fence is needed: PMP CSR writes take
 * effect for the accesses that follow them in program order on this hart, and the
 * stores before (into the old stack) are not checked against the new entry. */
#include "arch_impl.h"
#include "asm_offsets.h"       /* SWITCH_*: struct g's status word and values */

    .section .text
.macro clear_scratch                      /* a0-a7, t0-t6 = 0 */
    .irp r, a0,a1,a2,a3,a4,a5,a6,a7,t0,t1,t2,t3,t4,t5,t6
    li      \r, 0
    .endr
.endm

.macro save ctx, off=0                    /* the caller's context, into \ctx + \off */
    sd      ra, (\off + CTX_RA)(\ctx)
    sd      sp, (\off + CTX_SP)(\ctx)
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    sd      s\i, (\off + CTX_S0 + \i*8)(\ctx)
    .endr
.endm

    .globl arch_mcall
arch_mcall:
    save    a0
    ld      sp, CTX_SP(a1)
    ld      t0, CTX_GUARD(a1)
    csrw    pmpaddr0, t0
    mv      s0, zero
    mv      ra, zero
    mv      a0, a3
    jr      a2

.macro resume ctx, off=0                  /* arch_gogo's body, from \ctx + \off */
    ld      ra, (\off + CTX_RA)(\ctx)
    ld      sp, (\off + CTX_SP)(\ctx)
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    ld      s\i, (\off + CTX_S0 + \i*8)(\ctx)
    .endr
    ld      t0, (\off + CTX_GUARD)(\ctx)
    csrw    pmpaddr0, t0
#if GORO_GCCHECK
    /* Caller-saved registers are dead here, but a trap before they are overwritten
     * saves them in this goroutine's frame, where a conservative scan sees them. To
     * the collector a stale pointer there only keeps garbage alive one more cycle;
     * the checkmark, though, would find it on a black stack pointing at an object the
     * mark rightly left white, and report a missed object. So GCCHECK builds clear
     * them (as mark.c's clear_dead_stack clears dead stack), and others save the 15
     * instructions on every switch. */
    clear_scratch
#endif
    ret
.endm

    .globl arch_gogo
arch_gogo:
    resume  a0

/* The two stores are AMOs with .rl (RVWMO: every earlier access, the context's stores
 * and the first AMO included, is ordered before it): a release store in one
 * instruction, where fence rw,w and sw take two. */
/* The direct switch's publication, after the save: status to the goroutine's status
 * word (thread + SWITCH_STATUS), then value to (word), each an AMO with release. */
.macro publish thread, status, word, value
    addi    t0, \thread, SWITCH_STATUS
    li      t1, \status
    amoswap.w.rl zero, t1, (t0)
    amoswap.w.rl zero, \value, (\word)
.endm

    .globl arch_switch_park
arch_switch_park:
    save    a0, SWITCH_CTX
    publish a0, SWITCH_WAITING, a2, zero
    resume  a1, SWITCH_CTX

    .globl arch_switch_yield
arch_switch_yield:
    save    a0, SWITCH_CTX
    publish a0, SWITCH_RUNNABLE, a2, a3
    resume  a1, SWITCH_CTX

/* arch_switch_park_call: the save, the status (waiting), then fn(arg) on to's stack
 * (its guard armed), then to's context. s1 holds to across the call; resume takes
 * another base, as it loads s1. */
    .globl arch_switch_park_call
arch_switch_park_call:
    save    a0, SWITCH_CTX
    addi    t0, a0, SWITCH_STATUS
    li      t1, SWITCH_WAITING
    amoswap.w.rl zero, t1, (t0)
    mv      s1, a1
    ld      sp, (SWITCH_CTX + CTX_SP)(a1)
    ld      t0, (SWITCH_CTX + CTX_GUARD)(a1)
    csrw    pmpaddr0, t0
    mv      s0, zero                        /* fn starts a fresh frame-pointer chain */
    mv      a0, a3
    jalr    a2
    mv      t2, s1
    resume  t2, SWITCH_CTX

/* void arch_clear_scratch(void): zero the caller-saved registers (GCCHECK builds call it
 * where a pending interrupt would save runtime integers that look like heap addresses:
 * runtime/heap.c's alloc_small). */
    .globl arch_clear_scratch
    .type arch_clear_scratch, %function
arch_clear_scratch:
    clear_scratch
    ret
