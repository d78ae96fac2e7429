/* The MMU: one short-descriptor first-level table of 1 MiB sections, an identity map
 * shared by every core. The image's RAM (from the section holding _start to the end of
 * memory.ld's RAM) is Normal memory, write-back write-allocate, shareable, so that
 * exclusives and caches work on real Cortex-A cores; the board's MMIO window
 * (BOARD_MMIO_BASE..BOARD_MMIO_END) is shareable Device memory, never executable;
 * every other address faults (a data or prefetch abort, and a panic).
 *
 * Stack guard pages (arch_stack_guard, arch.h): the first guard page in a section splits
 * it into a second-level table of 256 small pages with the same attributes, taken from
 * a fixed pool outside .bss (the collector scans .bss; linker.ld's .noscan); the guard
 * page's entry is then made invalid, so any access to it is a translation fault (page),
 * which nothing else in this map produces. The split keeps every translation as it
 * was, so it is done without break-before-make (which would fault the other cores'
 * accesses to the same MiB meanwhile); the TLB entry of the old section goes with the
 * TLBIMVAIS of the guard page. Page-table changes are broadcast to every core's TLB
 * (the inner-shareable TLBI), as stacks move between cores. Sections stay split once
 * split. mmu_lock guards the tables and the pool (a leaf lock, interrupts off). */
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

#define PDE_TABLE    0x1u                    /* first-level descriptor type: second-level table */
#define PTE_SMALL    0x2u                    /* second-level descriptor type: 4 KiB page */
#define PTE_B        (1u << 2)
#define PTE_C        (1u << 3)
#define PTE_AP_RW    (3u << 4)
#define PTE_TEX(x)   ((uint32_t)(x) << 6)
#define PTE_S        (1u << 10)
#define PTE_NORMAL   (PTE_SMALL | PTE_AP_RW | PTE_TEX(1) | PTE_C | PTE_B | PTE_S)    /* as SECT_NORMAL */
#define PAGE         4096u
#define L2_TABLES    512                     /* 512 KiB: guard pages in up to 512 sections */

#define TTBR_FLAGS   0x6au                   /* walks: inner/outer WB-WA, inner shareable */
#define SCTLR_M      (1u << 0)
#define SCTLR_A      (1u << 1)
#define SCTLR_C      (1u << 2)
#define SCTLR_Z      (1u << 11)
#define SCTLR_I      (1u << 12)
#define SCTLR_TRE    (1u << 28)
#define SCTLR_AFE    (1u << 29)
#define ACTLR_SMP    (1u << 6)

/* In .noscan, like the L2 pool: the collector scans .data and .bss as roots at every
 * mark termination, and 16 KiB of section entries, each a physical address that may
 * fall in the heap arena, cost a third of the ARM pause and kept random objects alive.
 * Boot doesn't clear .noscan: mmu_build does. */
static uint32_t l1[4096] __attribute__((aligned(16384), section(".noscan.l1")));
static uint32_t l2_pool[L2_TABLES][256] __attribute__((aligned(1024), section(".noscan.l2_pool")));
static int l2_used;                          /* mmu_lock */
static struct spinlock mmu_lock = SPINLOCK_INIT("mmu");
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
    for (int i = 0; i < 4096; i++)
        l1[i] = 0;                           /* unmapped: a fault */
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

/* mmu_lock held. The second-level table of the section holding va, splitting the
 * section into one if it is a Normal-memory section (NULL: not RAM, or no table left). */
static uint32_t *l2_table(uintptr_t va)
{
    uint32_t *pde = &l1[va >> 20];
    if ((*pde & 3) == PDE_TABLE)
        return (uint32_t *)(*pde & ~0x3ffu);
    if (*pde != ((uint32_t)(va & ~(SECTION - 1)) | SECT_NORMAL) || l2_used == L2_TABLES)
        return NULL;
    uint32_t *t = l2_pool[l2_used++];
    for (int i = 0; i < 256; i++)
        t[i] = (uint32_t)((va & ~(SECTION - 1)) + i * PAGE) | PTE_NORMAL;
    dsb();                                   /* the table before the entry that points at it */
    *pde = (uint32_t)(uintptr_t)t | PDE_TABLE;
    return t;
}

bool arch_stack_guard(void *page, bool on)
{
    uintptr_t va = (uintptr_t)page;
    if (va & (PAGE - 1))
        return false;
    spin_lock(&mmu_lock);
    uint32_t *t = (on || (l1[va >> 20] & 3) == PDE_TABLE) ? l2_table(va) : NULL;
    if (t) {
        t[(va >> 12) & 0xff] = on ? 0 : (uint32_t)va | PTE_NORMAL;
        dsb();                                             /* visible to table walks */
        CP15_WRITE(0, c8, c3, 1, va);                      /* TLBIMVAIS: every core */
        dsb();
        isb();
    }
    spin_unlock(&mmu_lock);
    return t != NULL || !on;
}
