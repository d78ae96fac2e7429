/* Goroutine stacks: page-multiple blocks from the runtime's page allocator (recycled
 * by size), with a canary at the low end and, where the arch has them, a guard below
 * it (arch_stack_guard_size, arch.h); the g0 stacks (boot.c) have a guard too.
 *
 * The guard faults on the first access, so an overflow that reaches it panics at once,
 * on the spot, naming the goroutine (rt_stack_fault), on a stack other than the
 * overflowed one. ARM arms a guard page for good (an invalid page-table entry); RISC-V
 * arms one PMP entry per hart at every switch, from the context (arch_ctx_init's guard:
 * stack_guard_of). How each arch does it: docs/design/stack-guard.md. A frame larger
 * than the guard whose first store lands below it skips the guard: then only the
 * canary is left.
 *
 * The canary is checked whenever the goroutine is switched out and on every timer
 * tick: it catches an overflow only after the fact, when a neighbour may already be
 * corrupt. The check (stack_check, runtime.h) is on the switch path, so it reads only
 * the canary's two end words: the top one, which an overflow running down the stack
 * breaks first, and the bottom one, which a frame jumping over the others breaks; the
 * words between only widen the target.
 *
 * Layout of a block: [guard][canary ... stack ... stack_hi). stack_lo..stack_hi is the
 * usable stack, of the size asked for; the guard is extra. The guard is made once,
 * when the block is allocated: goroutines of the default stack size keep theirs on the
 * dead-G free lists (proc.c), so spawn+exit touches no page table in steady state. A
 * block that goes back to the page allocator gets its guard page back as ordinary
 * memory first (page_alloc's other users don't expect a hole).
 *
 * Debug knob: `stackguard=off` on the command line (tests' `//! args:`) leaves every
 * guard off, canary only: the negative control of tests/stack_guard.c. */
#include <string.h>
#include "runtime.h"

/* gp's function is named when the image has its symbol table: "function 0x... (name)". */
#define STACK_OVERFLOW "goroutine %lld stack overflow (function 0x%lx%pS, stack 0x%lx-0x%lx, %lu bytes)"

bool stack_guards_off;        /* stackguard=off: written once by stack_guard_init */

/* Boot core, in rt_init before any stack is made: read the debug knob. */
void stack_guard_init(void)
{
    stack_guards_off = boot_choice("stackguard", (const char *const[]){ "on", "off", NULL }, 0) == 1;
}

/* The g0 stack lo..hi of a core (its boot stack): the lowest guard-size bytes become
 * its guard, the rest the stack (boot.c). */
void stack_g0_init(struct g *g0, uintptr_t lo, uintptr_t hi, void (*entry)(void))
{
    size_t guard = arch_stack_guard_size();
    g0->stack_lo = lo + guard;
    g0->stack_hi = hi;
    /* Where a goroutine's canary is, g0's words never hold it: a channel's park on g0
     * fails the direct switch's canary look (chan.c's chan_park_as). */
    uint64_t *c = (uint64_t *)g0->stack_lo;
    for (int i = 0; i < STACK_CANARY_WORDS; i++)
        c[i] = ~STACK_CANARY;
    if (guard && !stack_guards_off && !arch_stack_guard((void *)lo, true))
        throw("no guard for the g0 stack at 0x%lx", (unsigned long)lo);
    arch_ctx_init(&g0->ctx, (void *)hi, stack_guard_of(g0), entry);
}

bool stack_alloc(struct g *gp, size_t size)
{
    size_t guard = arch_stack_guard_size();
    char *p = page_alloc(guard + size);
    if (!p)
        return false;
    if (guard && !stack_guards_off)
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
    if (guard && !stack_guards_off)
        arch_stack_guard(p, false);
    page_free(p, guard + gp->stack_hi - gp->stack_lo);
    gp->stack_lo = gp->stack_hi = 0;
}

/* stack_check's report (runtime.h): the canary is broken. */
_Noreturn void stack_overflow(struct g *gp)
{
    if (gp->is_g0)               /* a channel's park on g0 (chan.c's chan_park_as) */
        throw("gopark: on g0 (%s)", gp->waitreason ? gp->waitreason : "?");
    throw(STACK_OVERFLOW, (long long)gp->id, (unsigned long)(uintptr_t)gp->fn,
          (void *)(uintptr_t)gp->fn, (unsigned long)gp->stack_lo,
          (unsigned long)gp->stack_hi, (unsigned long)(gp->stack_hi - gp->stack_lo));
}

/* A data fault at addr, maybe in a guard (kernel trap, interrupts off, on the core's
 * abort or exception stack). If it is the guard of the running stack (the goroutine's,
 * or the g0's), that stack overflowed: panic with the trap frame. Otherwise return; the
 * trap panics as any fault. */
void rt_stack_fault(struct trapframe *tf, uintptr_t addr)
{
    struct g *gp = getg();
    size_t guard = arch_stack_guard_size();
    if (is_boot_thread(gp) || !gp->stack_lo || !guard)
        return;
    if (addr < gp->stack_lo - guard || addr >= gp->stack_lo)
        return;
    if (gp->is_g0)
        panic_trap(tf, "core %d scheduler stack (g0) overflow (stack 0x%lx-0x%lx): fault at 0x%lx in its guard",
                   gp->m->id, (unsigned long)gp->stack_lo, (unsigned long)gp->stack_hi, (unsigned long)addr);
    panic_trap(tf, STACK_OVERFLOW ": fault at 0x%lx in its guard", (long long)gp->id,
               (unsigned long)(uintptr_t)gp->fn, (void *)(uintptr_t)gp->fn,
               (unsigned long)gp->stack_lo, (unsigned long)gp->stack_hi,
               (unsigned long)(gp->stack_hi - gp->stack_lo), (unsigned long)addr);
}
