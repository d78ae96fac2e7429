/* ARMv7-A half of the arch contract: per-core setup, contexts, backtrace and halt.
 * Trap decoding is in trap.c, the timer in gtimer.c, IPIs in the board's interrupt
 * controller driver (kernel/dev/gic.c, kernel/dev/bcm2836_intc.c). */
#include "kernel.h"
#include "arm.h"

/* Interrupts off; the vectors (VBAR), VFP and the MMU are already set (entry.S). */
void arch_cpu_init(int id)
{
    gtimer_init();
    intc_cpu_init(id);
    CP15_WRITE(0, c9, c12, 0, 1u);          /* PMCR.E: the PMU's counters on */
    CP15_WRITE(0, c9, c12, 1, 1u << 31);    /* PMCNTENSET.C: the cycle counter (arch_cycles) */
}

uintptr_t arch_frame_pointer(void) { return (uintptr_t)__builtin_frame_address(0); }

/* gcc's ARM-state frames (-marm -fno-omit-frame-pointer): fp points at the saved lr,
 * the caller's fp is just below it ([fp] = lr, [fp-4] = caller's fp). A leaf function
 * saves only fp ([fp] = caller's fp, a stack address): its caller's pc is in lr, which
 * a trap report prints; the walk skips to the caller's frame. */
void arch_backtrace(uintptr_t fp, uintptr_t lo, uintptr_t hi, bool (*fn)(uintptr_t, void *), void *arg)
{
    while (fp >= lo && fp < hi && (fp & 3) == 0) {
        uintptr_t lr = ((uintptr_t *)fp)[0], prev = ((uintptr_t *)fp)[-1];
        if (lr > fp && lr <= hi) {          /* a leaf frame: [fp] is the caller's fp */
            fp = lr;
            continue;
        }
        if (!lr || !fn(lr & ~(uintptr_t)1, arg) || prev <= fp)
            return;
        fp = prev;
    }
}

_Noreturn void arch_halt(void)
{
    arch_intr_off();
    gtimer_disarm();
    intc_cpu_stop();
    for (;;)
        arch_wait_for_interrupt();
}


/* A fresh context starts entry() on stack_top with an empty frame-pointer chain, lr 0
 * (through arch_ctx_start) and the default FPSCR (round to nearest, no traps). */
void arch_ctx_init(struct context *ctx, void *stack_top, void *guard, void (*entry)(void))
{
    (void)guard;                        /* guard pages are armed for good (mmu.c) */
    *ctx = (struct context){ 0 };
    ctx->r[0] = (uintptr_t)entry;      /* r4 */
    ctx->ra = (uintptr_t)arch_ctx_start;
    ctx->sp = (uintptr_t)stack_top & ~(uintptr_t)7;
}

/* arch_mcall_drop(to, fn, arg) (arch.h): arch_mcall's second half alone, for a
 * goroutine that ends (goexit): its registers are not saved, as nothing resumes it. */
#define STR_(x) #x
#define STR(x) STR_(x)
__asm__(".pushsection .text.arch_mcall_drop, \"ax\", %progbits\n"
        ".arm\n"
        ".globl arch_mcall_drop\n"
        ".type arch_mcall_drop, %function\n"
        "arch_mcall_drop:\n"
        "    ldr sp, [r0, #" STR(CTX_SP) "]\n"
        "    mov fp, #0\n"
        "    mov lr, #0\n"
        "    mov r0, r2\n"
        "    bx r1\n"
        ".size arch_mcall_drop, . - arch_mcall_drop\n"
        ".popsection");
