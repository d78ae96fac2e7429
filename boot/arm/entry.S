/* Reset entry for every core (ARMv7-A, ARM state).
 * void _start(void): a core enters here in SVC or HYP mode with the MMU off: QEMU's ELF
 * loader starts every core at once (raspi2b), PSCI CPU_ON starts one (virt), the Pi
 * firmware jumps here from its mailbox-3 spin loop. A core entering in HYP mode (real
 * Pi firmware, -M virt,virtualization=on) gives PL1 the timers and drops to SVC. Every
 * core enables VFP/NEON, installs the vectors and points its ABT-mode sp at its abort
 * stack. Core 0 boots: it clears .bss, builds the page table, turns its MMU on and calls
 * kmain(0, nsmp); the others wait for boot_release (set by kmain), turn their MMU on and
 * call kmain_secondary(index), which parks those the command line's smp= leaves out.
 * Cores beyond the image's core count (__goro_smp, SMP=) park forever. */
#include "board.h"
#include "arch_impl.h"

#define BOOT_STACK_SIZE (16 * 1024)     /* as linker.ld */

    .syntax unified
    .arm
    .arch_extension virt
    .section .text.boot, "ax"
    .globl _start
_start:
    cpsid   aif
    mrs     r0, cpsr
    and     r0, r0, #PSR_MODE_MASK
    mov     r10, #0                         @ r10: entered in HYP mode
    cmp     r0, #PSR_MODE_HYP
    bne     1f
    mov     r10, #1
    mrc     p15, 4, r0, c14, c1, 0          @ CNTHCTL: PL1 may use the physical counter/timer
    orr     r0, r0, #3
    mcr     p15, 4, r0, c14, c1, 0
    mov     r0, #0
    mov     r1, #0
    mcrr    p15, 4, r0, r1, c14             @ CNTVOFF = 0: virtual time is physical time
    mcr     p15, 4, r0, c1, c1, 0           @ HCR = 0: nothing traps to HYP
    mcr     p15, 4, r0, c1, c1, 3           @ HSTR = 0
    ldr     r0, =0x33ff
    mcr     p15, 4, r0, c1, c1, 2           @ HCPTR: VFP/NEON not trapped
    mrc     p15, 0, r0, c0, c0, 0
    mcr     p15, 4, r0, c0, c0, 0           @ VPIDR = MIDR
    mrc     p15, 0, r0, c0, c0, 5
    mcr     p15, 4, r0, c0, c0, 5           @ VMPIDR = MPIDR
    ldr     r0, =(PSR_MODE_SVC | PSR_I | PSR_F | PSR_A)
    msr     spsr_cxsf, r0
    adr     r0, 1f
    msr     elr_hyp, r0
    isb
    eret
1:  cps     #PSR_MODE_SVC
    mrc     p15, 0, r0, c1, c0, 2           @ CPACR: cp10, cp11 (VFP/NEON) full access
    orr     r0, r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #0x40000000                 @ FPEXC.EN
    vmsr    fpexc, r0
    ldr     r0, =trap_vectors
    mcr     p15, 0, r0, c12, c0, 0          @ VBAR
    mrc     p15, 0, r0, c1, c0, 0           @ SCTLR: vectors at VBAR (V=0), no alignment faults (A=0)
    bic     r0, r0, #(1 << 13)
    bic     r0, r0, #(1 << 1)
    mcr     p15, 0, r0, c1, c0, 0
    isb
    mov     r0, #0
    mcr     p15, 0, r0, c13, c0, 4          @ TPIDRPRW: no thread yet
    mrc     p15, 0, r4, c0, c0, 5           @ MPIDR.Aff0 is the core index (Aff1 is 0xf on a Pi 2)
    and     r4, r4, #0xff
    ldr     r5, =__goro_smp                 @ an absolute symbol: the image's SMP
    cmp     r4, r5
    bhs     park
    ldr     r0, =arm_abort_stacks           @ sp_abt = arm_abort_stacks + (index+1) * size
    add     r1, r4, #1                      @ (data aborts run on it: trapvec.S)
    mov     r2, #ABORT_STACK_SIZE
    mla     r0, r1, r2, r0
    cps     #PSR_MODE_ABT
    mov     sp, r0
    cps     #PSR_MODE_SVC
    ldr     r0, =__boot_stacks              @ sp = __boot_stacks + (index+1) * size
    add     r1, r4, #1
    mov     r2, #BOOT_STACK_SIZE
    mla     r0, r1, r2, r0
    mov     sp, r0
    mov     fp, #0                          @ end of the frame-pointer chain
    mov     lr, #0
    cmp     r4, #0
    bne     secondary
    ldr     r0, =__bss_start                @ 64-byte aligned (linker.ld)
    ldr     r1, =__bss_end
    mov     r2, #0
    mov     r3, #0
2:  cmp     r0, r1
    strdlo  r2, r3, [r0], #8
    blo     2b
    ldr     r0, =arm_entered_hyp
    str     r10, [r0]
    bl      mmu_build
    bl      mmu_enable
    mov     r0, r4                          @ kmain(index, nsmp)
    mov     r1, r5
    bl      kmain
    b       park

secondary:
    ldr     r0, =boot_release               @ written by core 0 and cleaned to memory
3:  ldr     r1, [r0]
    cmp     r1, #0
    bne     4f
    wfe
    b       3b
4:  dmb
    bl      mmu_enable
    mov     r0, r4
    bl      kmain_secondary

park:
    cpsid   aif
5:  wfi
    b       5b

    .data
    .balign 4
    .globl boot_release, arm_entered_hyp
boot_release:    .word 0
arm_entered_hyp: .word 0
