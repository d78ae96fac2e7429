/* Stack guards on RISC-V in machine mode, with PMP (as Zephyr's CONFIG_PMP_STACK_GUARD).
 *
 * goro runs in M-mode without paging, so there are no guard pages. PMP (physical
 * memory protection) checks U- and S-mode accesses, and M-mode ones only in locked
 * entries, which can't be changed until reset. But with mstatus.MPRV = 1, M-mode loads
 * and stores (AMOs and LR/SC included; instruction fetch is not affected) are checked
 * with the privilege in mstatus.MPP, so with MPP = U every data access goes through PMP
 * as if from U-mode. Every hart uses two of its PMP entries (the lowest-numbered entry
 * that matches decides):
 *
 *   entry 0: NAPOT, no permission: the guard of the stack this hart is running on, the
 *            STACK_GUARD (4 KiB) bytes below it. Rewritten at every switch: arch_gogo
 *            and arch_mcall write pmpaddr0 = the context's guard word, one CSR write.
 *   entry 1: NAPOT over the whole address space, RWX: everything else (RAM, MMIO),
 *            as a U-mode access needs an entry that grants it.
 *
 * The FU540's U54 harts have 8 PMP entries, granularity 4 bytes (pmpcfg0 only; the
 * E51 hart 0, parked, has 8 too); QEMU 7.2 gives both boards 16, granularity 4 bytes.
 * A 4 KiB NAPOT region needs 4 KiB alignment, which the runtime's page-aligned stack
 * blocks and boot stacks have. Writing pmpaddr0 with 0 arms nothing useful: NAPOT
 * 0 is the 8 bytes at address 0, never memory on these boards (a context without a
 * guard, or the stackguard=off knob).
 *
 * Keeping MPP = U: a trap sets MPP = M (the privilege it came from), and MPRV with
 * MPP = M checks nothing, so the interrupt entry sets MPP = U again once its frame is
 * saved (trapvec.S); the exit writes back the saved mstatus (MPP = M) and mret returns
 * to M and sets MPP = U (privileged spec 1.10 and later: the least-privileged mode),
 * leaving MPRV = 1 (1.12 clears it only when returning below M). Exception handlers
 * keep MPP = M, unguarded, on a per-hart exception stack (mscratch holds its top):
 * the report reads the overflowed stack. satp is set to 0 (Bare) before MPRV: MPRV
 * with MPP = U would otherwise translate through whatever satp held at reset.
 *
 * A guard hit is a load or store access fault (mcause 5 or 7, mtval the address):
 * riscv_exception hands it to the runtime (rt_stack_fault), which panics "goroutine N
 * stack overflow ... in its guard" if it is the running stack's guard.
 *
 * What the guard does not catch: a single frame larger than the guard whose first
 * store lands below it (gcc 12's -fstack-clash-protection for RISC-V probes only
 * dynamic allocations, alloca and VLAs, a store every 4 KiB; a fixed frame of 20 KiB
 * still moves sp in one step with no probe, so the option would not close this, and
 * goro does not use it); and an interrupt taken between a prologue's sp decrement and its
 * first store when that sp is already below the stack: the interrupt's frame (288
 * bytes) is stored unguarded below sp, in the guard for a frame up to 3.8 KiB. */
#include "kernel.h"
#include "riscv.h"
#include "upcall.h"

#define PMP_NAPOT  0x18
#define PMP_RWX    0x07
/* pmpcfg0 bytes: entry 0 NAPOT with no permission, entry 1 NAPOT RWX; none locked. */
#define PMPCFG0    ((uint64_t)PMP_NAPOT | ((uint64_t)(PMP_NAPOT | PMP_RWX) << 8))

/* Each hart's exception stack (trapvec.S runs every exception on it; entry.S points
 * mscratch at its top). Kept out of .bss (the collector scans .bss). */
char riscv_exc_stacks[GORO_SMP_MAX][EXC_STACK_SIZE]
    __attribute__((aligned(16), section(".noscan.exc_stacks")));

_Static_assert((STACK_GUARD & (STACK_GUARD - 1)) == 0 && STACK_GUARD >= 8, "a NAPOT guard");

/* arch_ctx_init's slow path: a guard that is not a NAPOT region. */
_Noreturn void pmp_guard_misaligned(uintptr_t guard)
{
    panic("stack guard at 0x%lx is not %d-byte aligned", (unsigned long)guard, STACK_GUARD);
}

/* Every hart, from arch_cpu_init, interrupts off, before the runtime runs anything on
 * it: both entries (the guard entry empty until the first switch), then MPRV with
 * MPP = U, which turns checking on. */
void pmp_init(void)
{
    __asm__ volatile("csrw pmpaddr0, zero");
    __asm__ volatile("csrw pmpaddr1, %0" ::"r"(~0UL));   /* NAPOT, all ones: everything */
    __asm__ volatile("csrw pmpcfg0, %0" ::"r"(PMPCFG0));
    __asm__ volatile("csrw satp, zero");
    __asm__ volatile("csrc mstatus, %0" ::"r"((unsigned long)MSTATUS_MPP));
    __asm__ volatile("csrs mstatus, %0" ::"r"((unsigned long)MSTATUS_MPRV) : "memory");
}

/* Nothing to do per page: a guard is armed by the context that runs above it
 * (arch_ctx_init, switch.S). */
bool arch_stack_guard(void *page, bool on)
{
    (void)on;
    return ((uintptr_t)page & (STACK_GUARD - 1)) == 0;
}

/* trapvec.S: every exception, on this hart's exception stack, interrupts off, MPP = M. */
void riscv_exception(struct trapframe *tf)
{
    if (tf->mcause == 5 || tf->mcause == 7)      /* load / store access fault */
        rt_stack_fault(tf, tf->mtval);           /* returns unless it was a guard */
    trap_dispatch(tf);
}
