/* void arch_trap_stamp(bool on), uint32_t arch_trap_stamp_read(void): benchmarks' stamp
 * at the first instructions of an IRQ (kernel/arch.h has the contract).
 *
 * trap_vectors_stamp is trap_vectors with its IRQ slot sent through irq_stamp, which
 * reads the fine clock (PMCCNTR, arch_cycles) into sp_irq, IRQ mode's banked sp, free
 * because the exception modes run on the SVC stack (trapvec.S), and parks it in
 * TPIDRURW, the user read/write thread register, which nothing else uses (no code runs
 * in user mode): a per-core register, no memory, no register of the interrupted code
 * touched. The other slots jump to trap_vectors' own. arch_trap_stamp points this
 * core's VBAR at one table or the other.
 *
 * The stamp path against the usual one (trap_vectors' slot, `b vec_irq`, then vec_irq):
 *   stamp table's slot `b irq_stamp`     the interrupt's first instruction (f)
 *   mrc PMCCNTR                          the read (f + 1)
 *   mcr TPIDRURW, b trap_vectors + 0x18  two more
 *   trap_vectors' slot `b vec_irq`       as usual from here on
 * So the path is 4 instructions longer than the usual one (5 against 1), the read is 1
 * after the first: arch_trap_stamp_read returns the read + 3, which is what the fine
 * clock would have read at the first instruction of the usual path given the same
 * later reading: later - stamp = the usual path's instructions from the interrupt's
 * first one to that reading (a read's value counts the instructions before it; two
 * reads in a row differ by 1 under -icount shift=0). */
#include "arch_impl.h"

    .syntax unified
    .arm

    .section .text
    .balign 32
trap_vectors_stamp:
    b       trap_vectors + 0x00
    b       trap_vectors + 0x04
    b       trap_vectors + 0x08
    b       trap_vectors + 0x0c
    b       trap_vectors + 0x10
    b       trap_vectors + 0x14
    b       irq_stamp
    b       trap_vectors + 0x1c

irq_stamp:                                  @ IRQ mode, interrupts off
    mrc     p15, 0, sp, c9, c13, 0          @ PMCCNTR
    mcr     p15, 0, sp, c13, c0, 2          @ TPIDRURW
    b       trap_vectors + 0x18

    .globl arch_trap_stamp
arch_trap_stamp:
    cmp     r0, #0
    ldrne   r0, =trap_vectors_stamp
    ldreq   r0, =trap_vectors
    mcr     p15, 0, r0, c12, c0, 0          @ VBAR
    isb
    bx      lr

    .globl arch_trap_stamp_read
arch_trap_stamp_read:
    mrc     p15, 0, r0, c13, c0, 2          @ TPIDRURW
    add     r0, r0, #3
    bx      lr
    .ltorg
