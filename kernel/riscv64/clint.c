/* RISC-V CLINT: the per-hart timer (mtime/mtimecmp) and software interrupts (msip). */
#include "kernel.h"
#include "board.h"

#define MSIP(h)     ((volatile uint32_t *)(BOARD_CLINT + 4 * (h)))
#define MTIMECMP(h) ((volatile uint64_t *)(BOARD_CLINT + 0x4000 + 8 * (h)))

static inline int hart(int cpu) { return cpu + BOARD_FIRST_HART; }

uint64_t arch_time_hz(void) { return BOARD_TIMER_HZ; }
void arch_timer_set(uint64_t deadline) { *MTIMECMP(hart(cpu_id())) = deadline; }
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
/* Secondaries wait in WFI for this doorbell (boot/riscv64/entry.S). */
void board_cpu_start(int cpu) { arch_ipi_send(cpu); }
