/* RISC-V half of static branches (arch.h): a site is `c.nop` or `c.j target`, one
 * aligned halfword either way, so a hart fetching it while another rewrites it decodes
 * one or the other. A hart's stores reach its own instruction fetch only through
 * fence.i, and another hart's only through a fence.i on that hart after the store (the
 * Zifencei rule): kernel/patch.c has every core run arch_icache_sync. */
#include "kernel.h"

#define INSN_C_NOP 0x0001u                   /* c.nop (addi x0, x0, 0) */
#define INSN_C_J   0xa001u                   /* c.j: funct3 101, op 01 */

/* c.j with a byte offset in [-2048, 2046]: imm[11|4|9:8|10|6|7|3:1|5] in bits 12..2. */
static uint16_t c_j(int64_t off)
{
    uint32_t u = (uint32_t)off;
    return (uint16_t)(INSN_C_J | (u >> 11 & 1) << 12 | (u >> 4 & 1) << 11 | (u >> 8 & 3) << 9 |
                      (u >> 10 & 1) << 8 | (u >> 6 & 1) << 7 | (u >> 7 & 1) << 6 |
                      (u >> 1 & 7) << 3 | (u >> 5 & 1) << 2);
}

bool arch_patch_site(uintptr_t site, uintptr_t target, bool jump)
{
    int64_t off = (int64_t)(target - site);
    if ((site & 1) || (off & 1) || off < -2048 || off > 2046)
        return false;
    uint16_t *insn = (uint16_t *)site;
    uint16_t old = __atomic_load_n(insn, __ATOMIC_RELAXED);
    if (old != INSN_C_NOP && old != c_j(off))
        return false;
    __atomic_store_n(insn, jump ? c_j(off) : (uint16_t)INSN_C_NOP, __ATOMIC_RELAXED);
    return true;
}

/* fence first: this hart's patch stores are ordered before anything that follows (the
 * IPI that makes the other harts sync), then fence.i for this hart's own fetches. */
void arch_icache_sync(void)
{
    __asm__ volatile("fence rw, rw\n\tfence.i" ::: "memory");
}
