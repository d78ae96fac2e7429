/* Goroutine stacks: page-multiple blocks from the runtime's page allocator (recycled
 * by size), with a canary at the low end and, where the arch has them, a guard page
 * below it (arch_stack_guard, arch.h).
 *
 * The guard page faults on the first access, so an overflow that reaches it panics at
 * once, on the spot, naming the goroutine (rt_stack_fault). The canary is checked
 * whenever the goroutine is switched out and on every timer tick: it is all RISC-V
 * (no paging in M-mode) has, and it catches an overflow only after the fact, when a
 * neighbour may already be corrupt. The check (stack_check, runtime.h) is on the
 * switch path, so it reads only the canary's two end words: the top one, which an
 * overflow running down the stack breaks first, and the bottom one, which a frame
 * jumping over the others breaks; the words between only widen the target.
 *
 * Layout of a block: [guard page][canary ... stack ... stack_hi). stack_lo..stack_hi is
 * the usable stack, of the size asked for; the guard page is extra. The guard is made
 * once, when the block is allocated: goroutines of the default stack size keep theirs
 * on the dead-G free lists (proc.c), so spawn+exit touches no page table in steady
 * state. A block that goes back to the page allocator gets its guard page back as
 * ordinary memory first (page_alloc's other users don't expect a hole). */
#include "runtime.h"

/* gp's function is named when the image has its symbol table: "function 0x... (name)". */
#define STACK_OVERFLOW "goroutine %lld stack overflow (function 0x%lx%s, stack 0x%lx-0x%lx, %lu bytes)"

bool stack_alloc(struct g *gp, size_t size)
{
    size_t guard = arch_stack_guard_size();
    char *p = page_alloc(guard + size);
    if (!p)
        return false;
    if (guard)
        arch_stack_guard(p, true);      /* false (no table left): the canary still checks */
    gp->stack_lo = (uintptr_t)p + guard;
    gp->stack_hi = (uintptr_t)p + guard + size;
    uint64_t *c = (uint64_t *)gp->stack_lo;
    for (int i = 0; i < STACK_CANARY_WORDS; i++)
        c[i] = STACK_CANARY;
    return true;
}

void stack_free(struct g *gp)
{
    size_t guard = arch_stack_guard_size();
    void *p = (void *)(gp->stack_lo - guard);
    if (guard)
        arch_stack_guard(p, false);
    page_free(p, guard + gp->stack_hi - gp->stack_lo);
    gp->stack_lo = gp->stack_hi = 0;
}

/* stack_check's report (runtime.h): the canary is broken. */
_Noreturn void stack_overflow(struct g *gp)
{
    char sym[SYM_BUF];
    throw(STACK_OVERFLOW, (long long)gp->id, (unsigned long)(uintptr_t)gp->fn,
          sym_describe(sym, sizeof sym, (uintptr_t)gp->fn, SYM_PAREN), (unsigned long)gp->stack_lo,
          (unsigned long)gp->stack_hi, (unsigned long)(gp->stack_hi - gp->stack_lo));
}

/* A data fault at addr in a guard page (kernel trap, interrupts off, on the core's
 * abort stack). If it is the running goroutine's guard, the goroutine overflowed its
 * stack: panic with its trap frame. Otherwise return; the trap panics as any fault. */
void rt_stack_fault(struct trapframe *tf, uintptr_t addr)
{
    struct g *gp = getg();
    size_t guard = arch_stack_guard_size();
    if (*(void **)gp == (void *)gp || gp->is_g0 || !gp->stack_lo)    /* boot, or a g0 */
        return;
    char sym[SYM_BUF];
    if (addr >= gp->stack_lo - guard && addr < gp->stack_lo)
        panic_trap(tf, STACK_OVERFLOW ": fault at 0x%lx in its guard page", (long long)gp->id,
                   (unsigned long)(uintptr_t)gp->fn, sym_describe(sym, sizeof sym, (uintptr_t)gp->fn, SYM_PAREN),
                   (unsigned long)gp->stack_lo, (unsigned long)gp->stack_hi,
                   (unsigned long)(gp->stack_hi - gp->stack_lo), (unsigned long)addr);
}
