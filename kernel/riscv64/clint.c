/* RISC-V CLINT: the per-hart timer (mtime/mtimecmp) and software interrupts (msip).
 * arch_time_now reads mtime inline (arch_impl.h). */
#include "kernel.h"
#include "board.h"

#define MSIP(h)     ((volatile uint32_t *)(BOARD_CLINT + 4 * (h)))
#define MTIMECMP(h) ((volatile uint64_t *)(BOARD_CLINT + 0x4000 + 8 * (h)))

static inline int hart(int cpu) { return cpu + BOARD_FIRST_HART; }

uint64_t arch_time_hz(void) { return BOARD_TIMER_HZ; }
void arch_ipi_send(int cpu)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
    *MSIP(hart(cpu)) = 1;
}
void arch_ipi_clear(void)
{
    *MSIP(hart(cpu_id())) = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}
bool arch_ipi_take(void)
{
    uint64_t mip;
    __asm__ volatile("csrr %0, mip" : "=r"(mip));
    if (!(mip & (1u << 3)))                /* MSIP: this hart's msip is set */
        return false;
    arch_ipi_clear();
    return true;
}

/* Secondaries wait in WFI for this doorbell (boot/riscv64/entry.S). */
void board_cpu_start(int cpu) { arch_ipi_send(cpu); }
