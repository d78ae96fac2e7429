/* Reset entry for every hart (RISC-V, machine mode, QEMU -bios none).
 * void _start(void): every hart enters here at once. Core 0 (the board's first usable
 * hart) clears .bss and boots (kmain); the others wait in WFI until it releases them
 * (kmain_secondary, which parks those the command line's smp= leaves out: the boot core
 * must be one smp= keeps, so it is core 0, not the first hart to arrive). Harts beyond
 * the image's core count (__goro_smp, SMP=), or below the board's first usable hart,
 * park forever without touching memory. */
#include "board.h"
#include "arch_impl.h"

#define BOOT_STACK_SIZE (16 * 1024)

    .section .text.boot, "ax"
    .globl _start
_start:
    csrw    mie, zero
    csrci   mstatus, 8
    la      t0, trap_vector
    addi    t0, t0, 1                       /* vectored: exceptions at +0 (trapvec.S) */
    csrw    mtvec, t0
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    csrr    a0, mhartid
    li      t1, BOARD_FIRST_HART
    bltu    a0, t1, park
    addi    a0, a0, -BOARD_FIRST_HART       /* a0 = core index */
    lui     t1, %hi(__goro_smp)              /* an absolute symbol: the image's SMP */
    addi    t1, t1, %lo(__goro_smp)
    mv      a1, t1                          /* kmain(index, nsmp) */
    bgeu    a0, t1, park
    li      t1, BOOT_STACK_SIZE             /* sp = __boot_stacks + (index+1) * size */
    addi    t2, a0, 1
    mul     t2, t2, t1
    la      sp, __boot_stacks
    add     sp, sp, t2
    li      t1, EXC_STACK_SIZE              /* mscratch = this hart's exception stack top */
    addi    t2, a0, 1                       /* (trapvec.S runs exceptions on it) */
    mul     t2, t2, t1
    la      t1, riscv_exc_stacks
    add     t1, t1, t2
    csrw    mscratch, t1
    mv      s0, zero                        /* end of the frame-pointer chain */
    mv      tp, zero
    bnez    a0, secondary
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    kmain
    j       park

secondary:
    li      t0, 8                           /* MSIE only: WFI wakes on the release IPI */
    csrw    mie, t0
3:  la      t0, boot_release
    lw      t1, 0(t0)
    fence   r, rw
    bnez    t1, 4f
    wfi
    j       3b
4:  call    kmain_secondary

park:
    csrw    mie, zero
5:  wfi
    j       5b

    .data
    .globl boot_release
boot_release:   .word 0
