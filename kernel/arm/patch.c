/* ARMv7-A half of static branches (arch.h): a site is NOP (0xe320f000) or B target,
 * one aligned word either way; ARMv7 allows exactly these (and BL, BKPT, SVC, HVC,
 * SMC, ISB) to be changed while another core executes them (ARM ARM A3.5.4). The
 * text is Normal write-back memory, mapped read/write (mmu.c), so the store lands in
 * the patcher's data cache: it is cleaned to the point of unification (DCCMVAU, where
 * instruction fetch reads), then the instruction caches and branch predictors of the
 * inner-shareable domain are invalidated (ICIALLUIS, BPIALLIS, broadcast), and each
 * core's ISB (or exception return) discards what its pipeline fetched before. */
#include "kernel.h"
#include "arm.h"

#define INSN_NOP 0xe320f000u                 /* NOP (hint), ARM state */
#define INSN_B   0xea000000u                 /* B, condition AL; imm24 = (target - pc - 8) / 4 */

/* B with a byte offset from the site's pc + 8, in [-32 MiB, 32 MiB), a multiple of 4. */
static uint32_t b_to(int32_t off)
{
    return INSN_B | ((uint32_t)off >> 2 & 0xffffff);
}

bool arch_patch_site(uintptr_t site, uintptr_t target, bool jump)
{
    int32_t off = (int32_t)(target - site - 8);
    if ((site & 3) || (target & 3) || off < -(1 << 25) || off >= (1 << 25))
        return false;
    uint32_t *insn = (uint32_t *)site;
    uint32_t old = __atomic_load_n(insn, __ATOMIC_RELAXED);
    if (old != INSN_NOP && old != b_to(off))
        return false;
    __atomic_store_n(insn, jump ? b_to(off) : INSN_NOP, __ATOMIC_RELAXED);
    dsb();
    CP15_WRITE(0, c7, c11, 1, site);                     /* DCCMVAU: to the point of unification */
    return true;
}

/* On the patcher after its sites, and on every other core after it (kernel/patch.c):
 * the cleans complete, every core's instruction cache and branch predictor lose the
 * old instructions, then this core's pipeline is refetched. */
void arch_icache_sync(void)
{
    dsb();
    CP15_WRITE(0, c7, c1, 0, 0);                         /* ICIALLUIS */
    CP15_WRITE(0, c7, c1, 6, 0);                         /* BPIALLIS */
    dsb();
    isb();
}
