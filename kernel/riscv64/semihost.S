/* long arch_semihost(long op, void *arg): RISC-V semihosting call (the magic
 * slli/ebreak/srai sequence, uncompressed, in one page). QEMU answers it when started
 * with -semihosting-config; boards without it must not call this (board.h says). */
    .section .text
    .option push
    .option norvc
    .align 4
    .globl arch_semihost_trap
arch_semihost_trap:
    slli    zero, zero, 0x1f
    ebreak
    srai    zero, zero, 7
    ret
    .option pop
