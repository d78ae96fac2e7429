/* The MMU: one short-descriptor first-level table of 1 MiB sections, an identity map
 * shared by every core. The image's RAM (from the section holding _start to the end of
 * memory.ld's RAM) is Normal memory, write-back write-allocate, shareable, so that
 * exclusives and caches work on real Cortex-A cores; the board's MMIO window
 * (BOARD_MMIO_BASE..BOARD_MMIO_END) is shareable Device memory, never executable;
 * every other address faults (a data or prefetch abort, and a panic). */
#include "kernel.h"
#include "board.h"
#include "arm.h"

#define SECTION      0x100000u
#define SECT         0x2u                    /* descriptor type: section */
#define SECT_B       (1u << 2)
#define SECT_C       (1u << 3)
#define SECT_XN      (1u << 4)
#define SECT_AP_RW   (3u << 10)              /* read/write at PL1 (and PL0) */
#define SECT_TEX(x)  ((uint32_t)(x) << 12)
#define SECT_S       (1u << 16)
#define SECT_NORMAL  (SECT | SECT_AP_RW | SECT_TEX(1) | SECT_C | SECT_B | SECT_S)   /* WB-WA, shareable */
#define SECT_DEVICE  (SECT | SECT_AP_RW | SECT_B | SECT_XN)                         /* shareable Device */

#define TTBR_FLAGS   0x6au                   /* walks: inner/outer WB-WA, inner shareable */
#define SCTLR_M      (1u << 0)
#define SCTLR_A      (1u << 1)
#define SCTLR_C      (1u << 2)
#define SCTLR_Z      (1u << 11)
#define SCTLR_I      (1u << 12)
#define SCTLR_TRE    (1u << 28)
#define SCTLR_AFE    (1u << 29)
#define ACTLR_SMP    (1u << 6)

static uint32_t l1[4096] __attribute__((aligned(16384)));
extern char __ram_end[];

static void map(uintptr_t lo, uintptr_t hi, uint32_t attr)
{
    for (uint64_t a = lo & ~(SECTION - 1); a < hi; a += SECTION)
        l1[a >> 20] = (uint32_t)a | attr;
}

/* Boot core, MMU off, .bss cleared: the table goes straight to memory, where the
 * other cores' table walks will read it. */
void mmu_build(void)
{
    map((uintptr_t)_start, (uintptr_t)__ram_end, SECT_NORMAL);
    map(BOARD_MMIO_BASE, BOARD_MMIO_END, SECT_DEVICE);
    dsb();
}

/* Every core, MMU off, interrupts off. The SMP bit joins the core to the coherency
 * domain before its caches are on (firmware sets it where non-secure code can't). */
void mmu_enable(void)
{
    uint32_t actlr = CP15_READ(0, c1, c0, 1);
    if (!(actlr & ACTLR_SMP))
        CP15_WRITE(0, c1, c0, 1, actlr | ACTLR_SMP);
    CP15_WRITE(0, c2, c0, 2, 0);                          /* TTBCR: TTBR0 only, short descriptors */
    CP15_WRITE(0, c2, c0, 0, (uintptr_t)l1 | TTBR_FLAGS); /* TTBR0 */
    CP15_WRITE(0, c3, c0, 0, 0x55555555);                 /* DACR: every domain checks permissions */
    CP15_WRITE(0, c8, c7, 0, 0);                          /* TLBIALL */
    CP15_WRITE(0, c7, c5, 0, 0);                          /* ICIALLU */
    CP15_WRITE(0, c7, c5, 6, 0);                          /* BPIALL */
    dsb();
    isb();
    uint32_t sctlr = CP15_READ(0, c1, c0, 0);
    sctlr |= SCTLR_M | SCTLR_C | SCTLR_Z | SCTLR_I;
    sctlr &= ~(SCTLR_A | SCTLR_TRE | SCTLR_AFE);
    CP15_WRITE(0, c1, c0, 0, sctlr);
    isb();
}
