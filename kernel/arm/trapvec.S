/* void trap_vectors(void): the exception vector table (VBAR) of every core, and the
 * common trap entry and exit.
 *
 * Every exception, IRQs included, is moved to SVC mode at once: the exception mode
 * stores its return address and SPSR on the SVC stack (srsdb) and switches to SVC, so
 * the exception modes need no stacks (but ABT, below), and the full frame (struct trapframe,
 * arch_impl.h: r0-r12, sp, lr, pc, cpsr, VFP d0-d31 and FPSCR) lands on the stack of
 * the interrupted code. trap_common aligns the frame to 8 bytes, saves it, calls
 * arm_trap(frame) (which calls trap_dispatch), and returns through the frame with
 * `ldmia sp, {r0-pc}^`. IRQs have their own entry (vec_irq, below): the integer half
 * of the frame, the controller's acknowledge, then the tick's fast path (tick.S, which
 * returns by itself with rfe) or the rest of the frame and arm_irq. The handler may
 * switch goroutines in between; the frame then waits on the goroutine's stack (the async safe point) and is
 * restored on whatever core resumes it: everything is reloaded from the frame, the
 * SVC-mode sp included.
 *
 * Data aborts are the exception: they run, in SVC mode too, on the core's abort stack
 * (sp_abt, set by entry.S, arm_abort_stacks). A goroutine that overflows into its guard page faults
 * with its sp in or next to the guard, where no frame fits, and a frame pushed there
 * would fault again, forever. The frame still records the interrupted SVC sp and lr,
 * so returning through it works as for any trap. A data abort taken while already on
 * the abort stack (a fault in the abort handler) nests below on it. */
#include "arch_impl.h"
#include "asm_offsets.h"        /* the build's: runtime/asm_offsets.c */

    .syntax unified
    .arm

.macro save_vfp                           @ the frame's FPSCR and d0-d31 (r0 clobbered)
    vmrs    r0, fpscr
    str     r0, [sp, #TF_FPSCR]
    add     r0, sp, #TF_D0
    vstmia  r0!, {d0-d15}
    vstmia  r0, {d16-d31}
.endm

    .section .text
    .balign 32
    .globl trap_vectors
trap_vectors:
    b       vec_reset
    b       vec_undef
    b       vec_svc
    b       vec_pabt
    b       vec_dabt
    b       vec_hyp
    b       vec_irq
    b       vec_fiq

/* lr_adjust: what to subtract from the exception mode's lr to get the pc to report or
 * return to (ARM state; arm_trap corrects an undefined Thumb instruction). */
.macro entry name, vec, lr_adjust
\name:
    .if \lr_adjust
    sub     lr, lr, #\lr_adjust
    .endif
    srsdb   sp!, #PSR_MODE_SVC              @ SVC stack: [sp] = pc, [sp+4] = cpsr
    cps     #PSR_MODE_SVC
    stmdb   sp!, {r0, r1}
    mov     r1, #\vec
    b       trap_common
.endm

    entry vec_reset, VEC_RESET, 0
    entry vec_undef, VEC_UNDEF, 4
    entry vec_svc,   VEC_SVC,   4
    entry vec_pabt,  VEC_PABT,  4
    entry vec_hyp,   VEC_HYP,   0
    entry vec_fiq,   VEC_FIQ,   4

/* IRQs: the frame's integer half, r2-r12 and lr with one store each, then the
 * controller's acknowledge (intc_ack, which uses no VFP register: arm.h), then the
 * tick's fast path (tick.S) for the timer, or the rest of the frame and arm_irq. Until
 * the frame is complete, its TF_SP slot holds the address of the four words the entry
 * pushed (r0, r1, pc, cpsr of the interrupted code; 16 bytes below its sp). */
vec_irq:
    sub     lr, lr, #4
    srsdb   sp!, #PSR_MODE_SVC              @ SVC stack: [sp] = pc, [sp+4] = cpsr
    cps     #PSR_MODE_SVC
    stmdb   sp!, {r0, r1}
    mov     r0, sp                          @ r0: the four words
    sub     sp, sp, #TF_SIZE
    bic     sp, sp, #7                      @ AAPCS: 8-byte aligned
    add     r1, sp, #(TF_R0 + 8)
    stmia   r1, {r2-r12}
    str     lr, [sp, #TF_LR]
    str     r0, [sp, #TF_SP]
    mov     r0, sp
    bl      intc_ack                        @ tf->info, tf->irq
    ldr     r0, [sp, #TF_INFO]
    cmp     r0, #TRAP_TIMER_KIND
    beq     tick_fast
    ldr     r4, =arm_irq
/* The rest of an IRQ's frame (vec_irq's; tick.S comes here too), then the C function
 * in r4 with it, and the common return. The acknowledge's info and irq are kept. */
    .globl trap_irq_rest
trap_irq_rest:
    ldr     r0, [sp, #TF_SP]
    ldmia   r0, {r1, r2, r3, r5}            @ the interrupted r0, r1, pc, cpsr
    stmia   sp, {r1, r2}
    add     r0, r0, #16
    str     r0, [sp, #TF_SP]                @ the interrupted sp
    str     r3, [sp, #TF_PC]
    str     r5, [sp, #TF_CPSR]
    mov     r1, #VEC_IRQ
    str     r1, [sp, #TF_VECTOR]
#if GORO_GCCHECK
    mov     r2, #0                          @ as trap_save's (info and irq are written)
    str     r2, [sp, #TF_FAR]
    str     r2, [sp, #TF_FSR]
    str     r2, [sp, #(TF_IRQ + 4)]         @ pad
#endif
    save_vfp
    mov     ip, r4
    add     r0, sp, #(TF_R0 + 16)           @ r4-r11 as interrupted: tick_fast left its
    ldmia   r0, {r4-r11}                    @ integers there (the counter, deadlines), and
    mov     r0, sp                          @ the handler's prologue would push them onto
    blx     ip                              @ the goroutine's stack (a preempted one's scan
    b       trap_restore                    @ reads them; on raspi2b they look like heap addresses)

/* ABT mode, interrupts off; sp_abt = the top of this core's abort stack. */
vec_dabt:
    sub     lr, lr, #8
    srsdb   sp!, #PSR_MODE_ABT              @ abort stack: [sp] = pc, [sp+4] = cpsr
    stmdb   sp!, {r0, r1}
    mov     r0, sp                          @ r0: r0, r1, pc, cpsr of the interrupted code
    add     sp, sp, #16                     @ sp_abt back at the top for the next abort
    cps     #PSR_MODE_SVC
    str     sp, [r0, #-4]                   @ the interrupted sp, a fifth word below
    sub     r1, r0, sp                      @ on the abort stack already (a nested abort)?
    cmp     r1, #ABORT_STACK_SIZE
    subhs   sp, r0, #8                      @ no: the frame goes below the five words
    sub     sp, sp, #TF_SIZE
    bic     sp, sp, #7
    mov     r1, #VEC_DABT
    str     r1, [sp, #TF_VECTOR]
    add     r1, sp, #(TF_R0 + 8)
    stmia   r1, {r2-r12}
    ldr     r2, [r0, #-4]
    b       trap_save

/* SVC mode, interrupts off; sp = interrupted sp - 16 holding r0, r1, pc, cpsr; r1 = vector.
 * Every exception but IRQs (vec_irq) and data aborts (vec_dabt). */
trap_common:
    mov     r0, sp
    sub     sp, sp, #TF_SIZE
    bic     sp, sp, #7                      @ AAPCS: 8-byte aligned
    str     r1, [sp, #TF_VECTOR]
    add     r1, sp, #(TF_R0 + 8)
    stmia   r1, {r2-r12}
    add     r2, r0, #16                     @ the interrupted sp
/* The frame at sp has its vector and r2-r12; r0 = the interrupted r0, r1, pc, cpsr;
 * r2 = the interrupted sp; lr = the interrupted SVC lr. */
trap_save:
    ldmia   r0, {r3-r6}                     @ r0, r1, pc, cpsr of the interrupted code
    stmia   sp, {r3, r4}
    str     r2, [sp, #TF_SP]
    str     lr, [sp, #TF_LR]
    str     r5, [sp, #TF_PC]
    str     r6, [sp, #TF_CPSR]
#if GORO_GCCHECK
    @ The words an IRQ or SVC frame leaves unwritten (info, far, fsr, irq, pad) would
    @ show whatever dead stack lay there, inside the frame a scan covers. The collector
    @ only keeps garbage one cycle longer for it; the checkmark would report that garbage
    @ as missed (gc_trees_checkmark on raspi2b: a replaced tree node in a frame's far
    @ or pad). The RISC-V entry stores every slot in GCCHECK builds for the same reason.
    mov     r4, #0
    mov     r5, #0
    strd    r4, r5, [sp, #TF_INFO]          @ info, far
    str     r4, [sp, #TF_FSR]
    strd    r4, r5, [sp, #TF_IRQ]           @ irq, pad
#endif
    save_vfp
    mov     r0, sp
    bl      arm_trap
trap_restore:                               @ sp: a complete frame
    add     r0, sp, #TF_D0
    vldmia  r0!, {d0-d15}
    vldmia  r0, {d16-d31}
    ldr     r0, [sp, #TF_FPSCR]
    vmsr    fpscr, r0
    ldr     r0, [sp, #TF_CPSR]
    msr     spsr_cxsf, r0
    sub     r0, sp, #4                      @ no exclusive reservation survives a trap:
    strex   r1, r2, [r0]                    @ a dummy strex, not clrex (Cortex-A15 erratum 830321)
    ldmia   sp, {r0-pc}^                    @ r0-r12, sp, lr, pc; cpsr = spsr
