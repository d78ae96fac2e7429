/* void trap_vector(void): machine-mode trap entry for every hart (mtvec, direct mode).
 * Saves the full register frame (struct trapframe, arch_impl.h) on the interrupted
 * stack, calls trap_dispatch(frame), restores the frame and returns with mret. The
 * handler may switch goroutines in between; the frame then waits on the goroutine's
 * stack, which is what makes it an async safe point. */
#include "arch_impl.h"

    .section .text
    .align 4
    .globl trap_vector
trap_vector:
    addi    sp, sp, -TF_SIZE
    sd      x1, 8(sp)
    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\r, (\r*8)(sp)
    .endr
    addi    t0, sp, TF_SIZE
    sd      t0, 16(sp)                      /* x2: the interrupted sp */
    csrr    t0, mepc
    sd      t0, 0(sp)
    csrr    t0, mstatus
    sd      t0, TF_MSTATUS(sp)
    csrr    t0, mcause
    sd      t0, TF_MCAUSE(sp)
    csrr    t0, mtval
    sd      t0, TF_MTVAL(sp)
    mv      a0, sp
    call    trap_dispatch
    ld      t0, 0(sp)
    csrw    mepc, t0
    ld      t0, TF_MSTATUS(sp)
    csrw    mstatus, t0
    ld      x1, 8(sp)
    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\r, (\r*8)(sp)
    .endr
    addi    sp, sp, TF_SIZE
    mret
