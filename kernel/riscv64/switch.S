/* Goroutine context switch halves (RISC-V). Both are called with interrupts off.
 *
 * void arch_mcall(struct context *save, void *stack_top, void (*fn)(void *), void *arg)
 *   saves ra, sp, s0-s11 into *save, switches to stack_top and calls fn(arg), which
 *   never returns. arch_gogo(save) later returns from arch_mcall.
 * void arch_gogo(struct context *ctx)
 *   restores ra, sp, s0-s11 from *ctx, clears the caller-saved registers and returns
 *   to ctx->ra. */
#include "arch_impl.h"

    .section .text
    .globl arch_mcall
arch_mcall:
    sd      ra, CTX_RA(a0)
    sd      sp, CTX_SP(a0)
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    sd      s\i, (CTX_S0 + \i*8)(a0)
    .endr
    mv      sp, a1
    mv      s0, zero
    mv      ra, zero
    mv      a0, a3
    jr      a2

    .globl arch_gogo
arch_gogo:
    ld      ra, CTX_RA(a0)
    ld      sp, CTX_SP(a0)
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    ld      s\i, (CTX_S0 + \i*8)(a0)
    .endr
    /* Caller-saved registers are dead here; clear them so no stale pointer from the
     * previous goroutine or the scheduler lands in this goroutine's next trap frame,
     * where the conservative collector would take it for a root of a black stack. */
    .irp r, a0,a1,a2,a3,a4,a5,a6,a7,t0,t1,t2,t3,t4,t5,t6
    li      \r, 0
    .endr
    ret
