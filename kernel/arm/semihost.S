/* long arch_semihost(long op, void *arg): an ARM-state semihosting call (svc 0x123456,
 * r0 = op, r1 = arg, result in r0). QEMU answers it when started with
 * -semihosting-config; on a board with nothing to answer, the SVC trap returns -1
 * (trap.c). lr is saved first: an SVC taken in SVC mode overwrites it. */
    .syntax unified
    .arm
    .section .text
    .globl arch_semihost
    .type arch_semihost, %function
arch_semihost:
    push    {r4, lr}
    svc     #0x123456
    pop     {r4, pc}
