/* void trap_vector(void): machine-mode trap entry for every hart (mtvec, vectored mode:
 * exceptions enter at trap_vector, interrupt n at trap_vector + 4n). Saves the register
 * frame (struct trapframe, arch_impl.h), calls the C handler with it, restores the
 * frame and returns with mret.
 *
 * Interrupts (trap_interrupt) save their frame on the interrupted stack and call
 * trap_dispatch(frame). The timer's own vector slot goes to the tick's fast path
 * (tick.S), which saves only the t registers it uses and returns from the common tick
 * by itself; what it can't finish it hands to trap_tick_rest (the rest of the frame,
 * then trap_tick: the tick in C) or trap_exit_rest (the rest of the frame, then
 * rt_trap_exit: the goroutine it marked is to be preempted). The handler may switch
 * goroutines in between; the frame then waits on the goroutine's stack, which is what
 * makes it an async safe point. An interrupt saves only what the C handler may clobber: ra, the t and a registers, plus
 * s0 (the frame pointer, for backtraces through the frame), not s1-s11, and the exit
 * restores only that set. Not gp and tp either: gp is the linker's global pointer,
 * which no code writes after boot, and tp (the running thread) is only changed by a
 * switch, which leaves it, when the interrupted goroutine next runs, to that goroutine
 * again (execute sets it before arch_gogo), on whatever core. The callee-saved ones are the C
 * ABI's to keep: trap_dispatch returns with them intact, and if it switched goroutines
 * meanwhile, arch_mcall saved them (as the handler's frames hold them) in the
 * goroutine's context and arch_gogo brings them back before the handler returns. The
 * collector still sees every one: in the context, or in a handler frame on the
 * goroutine's stack, which its scan covers. Their slots in an interrupt's frame are
 * stale stack, harmless to a conservative scan except to the checkmark, which GCCHECK
 * builds keep exact by saving everything.
 *
 * Exceptions (trap_exception; never resumed: they panic) run on this hart's exception
 * stack (mscratch holds its top), not on the interrupted one: a goroutine that
 * overflows into its stack guard faults with its sp in or below the guard, where a
 * frame pushed would land in whatever lies below (stack_guard.c). They save the full
 * frame, mtval included, for the report, and call riscv_exception(frame). A nested
 * exception starts again at the top of the exception stack (the first one's frame is
 * lost; panic() gives up at once on a panic while panicking).
 *
 * The stack guard (stack_guard.c) is on while mstatus.MPRV = 1 and MPP = U. A trap sets
 * MPP to M, turning it off: the interrupt entry turns it back on (MPP = U) once its
 * frame is saved, so the handler is guarded on the interrupted stack; the exit's
 * write of the saved mstatus puts MPP = M back, and mret, returning to M, leaves
 * MPP = U and MPRV as they were. Exception handlers stay unguarded (MPP = M): they
 * read the overflowed stack for the report. The interrupt frame itself is stored
 * unguarded: an interrupt between a prologue's sp decrement and its first store, with
 * sp already below the stack, puts the frame into the guard (or, for a frame larger
 * than the guard, below it); see stack_guard.c. */
#include "arch_impl.h"

    .section .text
    .balign 256
    .globl trap_vector
trap_vector:
    .option push
    .option norvc                           /* one 4-byte jump per vector slot */
    j       trap_exception                  /* +0: every exception */
    .rept 6
    j       trap_interrupt                  /* +4n: interrupt n (3 software, 11 external) */
    .endr
    j       tick_fast                       /* +28: interrupt 7, the timer (tick.S) */
    .rept 8
    j       trap_interrupt
    .endr
    .option pop

trap_exception:
    csrrw   sp, mscratch, sp                /* sp: exception stack top; mscratch: the faulting sp */
    addi    sp, sp, -TF_SIZE
    sd      x1, 8(sp)
    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\r, (\r*8)(sp)
    .endr
    csrr    t0, mscratch
    sd      t0, 16(sp)                      /* x2: the interrupted sp */
    addi    t0, sp, TF_SIZE
    csrw    mscratch, t0                    /* the top again, for the next exception */
    csrr    t0, mcause
    sd      t0, TF_MCAUSE(sp)
    csrr    t0, mtval
    sd      t0, TF_MTVAL(sp)
    sd      zero, (TF_MTVAL + 8)(sp)        /* pad */
    csrr    t0, mepc
    sd      t0, 0(sp)
    csrr    t0, mstatus
    sd      t0, TF_MSTATUS(sp)
    mv      a0, sp
    call    riscv_exception
    j       trap_return

/* An interrupt's frame (the caller-saved set, see the top), then the guard on again:
 * the t registers first (all the tick's fast path saves), then the rest. */
.macro save_temps
    addi    sp, sp, -TF_SIZE
    .irp r, 5,6,7,28,29,30,31
    sd      x\r, (\r*8)(sp)
    .endr
.endm

.macro save_rest
    sd      x1, 8(sp)
    .irp r, 8,10,11,12,13,14,15,16,17
    sd      x\r, (\r*8)(sp)
    .endr
    csrr    t0, mcause
    sd      t0, TF_MCAUSE(sp)
#if GORO_GCCHECK
    .irp r, 3,4,9,18,19,20,21,22,23,24,25,26,27
    sd      x\r, (\r*8)(sp)
    .endr
    csrr    t0, mtval
    sd      t0, TF_MTVAL(sp)
    sd      zero, (TF_MTVAL + 8)(sp)        /* pad: no dead stack shows through (GCCHECK) */
#endif
    addi    t0, sp, TF_SIZE
    sd      t0, 16(sp)                      /* x2: the interrupted sp */
    csrr    t0, mepc
    sd      t0, 0(sp)
    csrr    t0, mstatus
    sd      t0, TF_MSTATUS(sp)
    li      t0, MSTATUS_MPP
    csrc    mstatus, t0                     /* MPP = U: the stack guard on again */
    mv      a0, sp
.endm

/* From tick.S, the t registers saved, nothing else touched: the tick in C. */
    .globl trap_tick_rest
trap_tick_rest:
    save_rest
    call    trap_tick
    j       trap_return

/* From tick.S, which did the tick's work and marked the goroutine: the safe point. */
    .globl trap_exit_rest
trap_exit_rest:
    save_rest
    call    rt_trap_exit
    j       trap_return

trap_interrupt:
    save_temps
    save_rest
    call    trap_dispatch
trap_return:
    ld      t0, 0(sp)
    csrw    mepc, t0
    ld      t0, TF_MSTATUS(sp)
    csrw    mstatus, t0
    ld      x1, 8(sp)
    .irp r, 5,6,7,10,11,12,13,14,15,16,17,28,29,30,31
    ld      x\r, (\r*8)(sp)
    .endr
    ld      sp, 16(sp)                      /* the interrupted sp (on an exception, not sp + TF_SIZE) */
    mret
