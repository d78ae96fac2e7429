/* void arch_trap_stamp(bool on), uint32_t arch_trap_stamp_read(void): benchmarks' stamp
 * at the first instructions of a device interrupt (kernel/arch.h has the contract).
 *
 * trap_vector_stamp is trap_vector (vectored mtvec: interrupt n at +4n) with its slot
 * for the external interrupt (11) sent through ext_stamp, which reads the fine clock
 * (mcycle, arch_cycles) and parks it in sscratch, the supervisor scratch register,
 * which nothing else uses (no code runs in S-mode; M-mode may access it): a per-hart
 * register, no memory; t0 is lent to sscratch for the read and given back. The other
 * slots jump to trap_vector's own. arch_trap_stamp points this hart's mtvec at one
 * table or the other.
 *
 * The stamp path against the usual one (trap_vector's slot, `j trap_interrupt`):
 *   stamp table's slot `j ext_stamp`     the interrupt's first instruction (f)
 *   csrw sscratch, t0                    f + 1
 *   csrr t0, mcycle                      the read (f + 2)
 *   csrrw t0, sscratch, t0; j slot 11    two more
 *   trap_vector's slot `j trap_interrupt` as usual from here on
 * So the path is 5 instructions longer than the usual one (6 against 1), the read is 2
 * after the first: arch_trap_stamp_read returns the read + 3, which is what the fine
 * clock would have read at the first instruction of the usual path given the same
 * later reading (a read's value counts the instructions before it). */
#include "arch_impl.h"

    .section .text
    .balign 256
trap_vector_stamp:
    .option push
    .option norvc                           /* one 4-byte jump per vector slot */
    .set    n, 0
    .rept 16
    .if n == 11
    j       ext_stamp
    .else
    j       trap_vector + 4 * n
    .endif
    .set    n, n + 1
    .endr
    .option pop

ext_stamp:
    csrw    sscratch, t0
    csrr    t0, mcycle
    csrrw   t0, sscratch, t0                /* sscratch = the stamp, t0 back */
    j       trap_vector + 4 * 11

    .globl arch_trap_stamp
arch_trap_stamp:
    la      t0, trap_vector
    beqz    a0, 1f
    la      t0, trap_vector_stamp
1:  ori     t0, t0, 1                       /* vectored */
    csrw    mtvec, t0
    ret

    .globl arch_trap_stamp_read
arch_trap_stamp_read:
    csrr    a0, sscratch
    addiw   a0, a0, 3
    ret
