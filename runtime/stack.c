/* Goroutine stacks: page-multiple blocks from the runtime's page allocator (recycled
 * by size), with a canary at the low end. The canary is checked whenever the goroutine
 * is switched out and on every timer tick, so an overflow panics naming the goroutine
 * and its function before it can corrupt a neighbour for long. */
#include "runtime.h"

bool stack_alloc(struct g *gp, size_t size)
{
    void *p = page_alloc(size);
    if (!p)
        return false;
    gp->stack_lo = (uintptr_t)p;
    gp->stack_hi = (uintptr_t)p + size;
    uint64_t *c = p;
    for (int i = 0; i < STACK_CANARY_WORDS; i++)
        c[i] = STACK_CANARY;
    return true;
}

void stack_free(struct g *gp)
{
    page_free((void *)gp->stack_lo, gp->stack_hi - gp->stack_lo);
    gp->stack_lo = gp->stack_hi = 0;
}

void stack_check(struct g *gp)
{
    const uint64_t *c = (const uint64_t *)gp->stack_lo;
    bool ok = true;
    for (int i = 0; i < STACK_CANARY_WORDS; i++)
        ok &= c[i] == STACK_CANARY;
    if (!ok)
        throw("goroutine %lld stack overflow (function 0x%lx, stack 0x%lx-0x%lx, %lu bytes)",
              (long long)gp->id, (unsigned long)(uintptr_t)gp->fn, (unsigned long)gp->stack_lo,
              (unsigned long)gp->stack_hi, (unsigned long)(gp->stack_hi - gp->stack_lo));
}
