/* PSCI (qemu-virt-arm): start a secondary core with CPU_ON at _start. The conduit is
 * HVC, or SMC when the core entered in HYP mode (-M virt,virtualization=on: the HVC
 * would come to us, and QEMU's PSCI listens on SMC). */
#include "kernel.h"
#include "arm.h"

#define PSCI_CPU_ON          0x84000003u
#define PSCI_ALREADY_ON      (-4)

static long psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t r0 __asm__("r0") = fn, r1 __asm__("r1") = a1, r2 __asm__("r2") = a2,
                      r3 __asm__("r3") = a3;
    if (arm_entered_hyp)
        __asm__ volatile(".arch_extension sec\n\tsmc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) :: "memory");
    else
        __asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) :: "memory");
    return (int32_t)r0;
}

void board_cpu_start(int cpu)
{
    long r = psci_call(PSCI_CPU_ON, (uint32_t)cpu, (uint32_t)(uintptr_t)_start, 0);
    if (r != 0 && r != PSCI_ALREADY_ON)
        panic("PSCI CPU_ON of core %d failed: %ld", cpu, r);
}
