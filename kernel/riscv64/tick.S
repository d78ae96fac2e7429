/* tick_fast: the timer interrupt's fast path (trap_vector's slot 7 jumps here), which is
 * rt_timer_interrupt's (runtime/preempt.c) common case in assembly: a goroutine runs,
 * none of its P's timers is due, its canary is intact. Then the tick
 *   1. marks the goroutine (g->preempt) and starts a new slice if the slice is over or
 *      within 1/16 of its end (m->slice_start + m->slice_ticks),
 *   2. re-arms the timer for the earlier of the slice's end and the P's first timer:
 *      the write of mtimecmp is what ends the interrupt (MTIP follows mtime >= mtimecmp),
 *      so it is written on every tick, even when the deadline is the one that fired,
 *   3. counts the tick and records the pc (cpu->ticks, cpu->last_pc, as trap_tick),
 *   4. returns with mret, unless the goroutine is marked and preemptible (mlocks
 *      == 0): then the safe point, trap_exit_rest (trapvec.S), with the full frame.
 * It saves only t0-t6, in their slots of an interrupt's frame on the interrupted stack,
 * touches no CSR but to read mepc and mhartid, and runs with the stack guard off
 * (MPP = M, as the trap left it; mret leaves MPRV and MPP = U as they were: trapvec.S):
 * it loads and stores nothing on the stack but its own seven slots. Anything else (no
 * M or P yet, g0 or a boot thread interrupted, a due timer, a broken canary, the tracer
 * on) goes to trap_tick_rest before it has changed anything: the rest of the frame,
 * then the tick in C, which does it all again and reports what it finds. The offsets
 * come from runtime/asm_offsets.c (the build's asm_offsets.h). */
#include "arch_impl.h"
#include "asm_offsets.h"
#ifndef GORO_TRACE_HOOKS
#define GORO_TRACE_HOOKS 1              /* as runtime/trace.h */
#endif

.if P_TIMER0_WHEN >= 4094
.error "struct p's timer0_when is beyond two immediates: tick_fast needs another add"
.endif
.if CANARY_LO != CANARY_HI
.error "stack_check's two canary words differ on RV64: tick_fast compares both with one"
.endif

    .section .text
    .balign 4
    .globl tick_fast
tick_fast:
    addi    sp, sp, -TF_SIZE
    .irp r, 5,6,7,28,29,30,31
    sd      x\r, (\r*8)(sp)                 /* t0-t6, in the frame trapvec.S completes */
    .endr
    ld      t0, 0(tp)                       /* this core's struct cpu (the thread's first word) */
    ld      t1, CPU_M(t0)
    beqz    t1, trap_tick_rest              /* no runtime on this core yet */
    ld      t2, M_CURG(t1)
    bne     t2, tp, trap_tick_rest          /* not its goroutine: g0 or a boot thread (or none) */
    ld      t3, M_P(t1)
    beqz    t3, trap_tick_rest
    lui     t4, %hi(CLINT_MTIME_ADDR)
    ld      t4, %lo(CLINT_MTIME_ADDR)(t4)   /* t4: now */
    .if P_TIMER0_WHEN < 2048
    ld      t3, P_TIMER0_WHEN(t3)           /* t3: the P's first timer (atomic: one load) */
    .else                                   /* beyond a load's 12-bit offset (the run queue) */
    addi    t3, t3, 2047
    ld      t3, (P_TIMER0_WHEN - 2047)(t3)
    .endif
    bge     t4, t3, trap_tick_rest          /* due: the C path fires it */
    ld      t5, G_STACK_LO(t2)              /* stack_check */
    ld      t6, .Lcanary
    ld      t0, 0(t5)
    bne     t0, t6, trap_tick_rest
    ld      t0, CANARY_LAST(t5)
    bne     t0, t6, trap_tick_rest
    ld      t5, M_SLICE_TICKS(t1)           /* 1. t0: the slice's end */
    srli    t6, t5, 4
    add     t6, t6, t4
    ld      t0, M_SLICE_START(t1)
    add     t0, t0, t5
    bltu    t6, t0, 1f                      /* not within 1/16 of its end */
#if GORO_TRACE_HOOKS
.Lsite:                                     /* trace_preempt_tick's site: the C path traces */
    .option push
    .option rvc
    c.nop
    .option pop
    .pushsection .static_branches, "ao", @progbits, .Lsite
    .balign 8
    .dword .Lsite, .Ltraced, trace_on
    .popsection
#endif
    li      t6, 1
    sb      t6, G_PREEMPT(t2)
    sd      t4, M_SLICE_START(t1)           /* a new slice, from now */
    add     t0, t4, t5
1:  bgeu    t3, t0, 2f                      /* 2. t0: the earlier deadline (unsigned, as C) */
    mv      t0, t3
2:  sd      t0, M_TIMER_ARMED(t1)
    csrr    t6, mhartid                     /* this hart's mtimecmp, as arch_timer_set */
    slli    t6, t6, 3
    lui     t5, %hi(CLINT_MTIMECMP_ADDR)
    add     t6, t6, t5
    sd      t0, %lo(CLINT_MTIMECMP_ADDR)(t6)
    ld      t0, 0(tp)                       /* 3. */
    ld      t5, CPU_TICKS(t0)
    addi    t5, t5, 1
    sd      t5, CPU_TICKS(t0)
    csrr    t6, mepc
    sd      t6, CPU_LAST_PC(t0)
    lbu     t6, G_PREEMPT(t2)               /* 4. trap_exit's test (runtime/preempt.c) */
    bnez    t6, 3f
.Lreturn:
    .irp r, 5,6,7,28,29,30,31
    ld      x\r, (\r*8)(sp)
    .endr
    addi    sp, sp, TF_SIZE
    mret
3:  lw      t6, CPU_MLOCKS(t0)
    bnez    t6, .Lreturn                    /* not preemptible: releasem yields */
    j       trap_exit_rest

.Ltraced:                                   /* within the site's c.j reach */
    j       trap_tick_rest

    .section .rodata
    .balign 8
.Lcanary:
    .dword  CANARY_LO
