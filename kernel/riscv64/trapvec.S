/* void trap_vector(void): machine-mode trap entry for every hart (mtvec, direct mode).
 * Saves the full register frame (struct trapframe, arch_impl.h) on the interrupted
 * stack, calls trap_dispatch(frame), restores the frame and returns with mret. The
 * handler may switch goroutines in between; the frame then waits on the goroutine's
 * stack, which is what makes it an async safe point.
 *
 * An interrupt (every tick) saves only what the C handler may clobber: ra, gp, tp, the
 * t and a registers, plus s0 (the frame pointer, for backtraces through the frame),
 * not s1-s11, and the exit restores only the clobberable set. The callee-saved ones
 * are the C ABI's to keep: trap_dispatch returns with them intact, and if it switched
 * goroutines meanwhile, arch_mcall saved them (as the handler's frames hold them) in
 * the goroutine's context and arch_gogo brings them back before the handler returns.
 * The collector still sees every one: in the context, or in a handler frame on the
 * goroutine's stack, which its scan covers. Their slots in an interrupt's frame are
 * stale stack, harmless to a conservative scan except to the checkmark, which GCCHECK
 * builds keep exact by saving everything. Exceptions (never resumed: they panic)
 * save the full frame, mtval included, for the report. */
#include "arch_impl.h"

    .section .text
    .align 4
    .globl trap_vector
trap_vector:
    addi    sp, sp, -TF_SIZE
    sd      x1, 8(sp)
    .irp r, 3,4,5,6,7,8,10,11,12,13,14,15,16,17,28,29,30,31
    sd      x\r, (\r*8)(sp)
    .endr
    csrr    t0, mcause
    sd      t0, TF_MCAUSE(sp)
#if !GORO_GCCHECK
    bltz    t0, 1f                          /* an interrupt: the s registers stay put */
#endif
    .irp r, 9,18,19,20,21,22,23,24,25,26,27
    sd      x\r, (\r*8)(sp)
    .endr
    csrr    t0, mtval
    sd      t0, TF_MTVAL(sp)
    sd      zero, (TF_MTVAL + 8)(sp)        /* pad: no dead stack shows through (GCCHECK) */
1:
    addi    t0, sp, TF_SIZE
    sd      t0, 16(sp)                      /* x2: the interrupted sp */
    csrr    t0, mepc
    sd      t0, 0(sp)
    csrr    t0, mstatus
    sd      t0, TF_MSTATUS(sp)
    mv      a0, sp
    call    trap_dispatch
    ld      t0, 0(sp)
    csrw    mepc, t0
    ld      t0, TF_MSTATUS(sp)
    csrw    mstatus, t0
    ld      x1, 8(sp)
    .irp r, 3,4,5,6,7,10,11,12,13,14,15,16,17,28,29,30,31
    ld      x\r, (\r*8)(sp)
    .endr
    addi    sp, sp, TF_SIZE
    mret
