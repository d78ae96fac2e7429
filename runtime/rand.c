/* Fast per-M pseudo-random numbers (xorshift64*), seeded from the boot seed and the
 * core, for stealing order and select. */
#include "runtime.h"

uint32_t fastrand(void)
{
    unsigned long s = arch_intr_save();   /* a section this short needs no count (arch.h) */
    struct m *m = arch_cpu()->m;
    uint64_t x = m->rand;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    m->rand = x;
    arch_intr_restore(s);
    return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

uint32_t fastrandn(uint32_t n) { return (uint32_t)(((uint64_t)fastrand() * n) >> 32); }

uint64_t goro_rand(void) { return ((uint64_t)fastrand() << 32) | fastrand(); }
uint64_t goro_seed(void) { return boot_seed(); }
