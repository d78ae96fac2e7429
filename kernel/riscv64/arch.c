/* RISC-V machine-mode half of the arch contract: per-core setup, trap decoding, frames,
 * backtrace and halt. Timer and IPIs are in clint.c, stack guards in stack_guard.c. */
#include "kernel.h"
#include "board.h"
#include "riscv.h"

#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)
#define MIE_MEIE (1UL << 11)


void arch_cpu_init(int id)
{
    __asm__ volatile("csrw mtvec, %0" ::"r"((uintptr_t)trap_vector | 1));   /* vectored */
    (void)id;
    pmp_init();
    arch_timer_set(UINT64_MAX);
    /* msip is left as it is: a release IPI still pending only causes one empty IPI trap. */
    __asm__ volatile("csrw mie, %0" ::"r"(MIE_MSIE | MIE_MTIE | MIE_MEIE));
}

static const char *const exc_names[] = {
    "instruction address misaligned", "instruction access fault", "illegal instruction",
    "breakpoint", "load address misaligned", "load access fault",
    "store address misaligned", "store access fault", "environment call from U-mode",
    "environment call from S-mode", "reserved", "environment call from M-mode",
    "instruction page fault", "load page fault", "reserved", "store page fault",
};

const char *tf_cause_name(const struct trapframe *tf)
{
    if (tf->mcause & CAUSE_INTR) {
        switch (tf->mcause & 0xff) {
        case 3: return "machine software interrupt";
        case 7: return "machine timer interrupt";
        case 11: return "machine external interrupt";
        default: return "unknown interrupt";
        }
    }
    return tf->mcause < 16 ? exc_names[tf->mcause] : "unknown exception";
}

uintptr_t tf_sp(const struct trapframe *tf) { return tf->x[2]; }
uintptr_t tf_fp(const struct trapframe *tf) { return tf->x[8]; }

void tf_print(const struct trapframe *tf)
{
    static const char *const names[32] = {
        "pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    kprintf("mcause 0x%lx mtval 0x%lx mstatus 0x%lx\n", (unsigned long)tf->mcause,
            (unsigned long)tf->mtval, (unsigned long)tf->mstatus);
    for (int i = 0; i < 32; i += 4)
        kprintf("%4s %016lx %4s %016lx %4s %016lx %4s %016lx\n", names[i], (unsigned long)tf->x[i],
                names[i + 1], (unsigned long)tf->x[i + 1], names[i + 2], (unsigned long)tf->x[i + 2],
                names[i + 3], (unsigned long)tf->x[i + 3]);
}

uintptr_t arch_frame_pointer(void) { return (uintptr_t)__builtin_frame_address(0); }

/* gcc's RISC-V frames: fp points just above the saved ra (fp-8) and saved fp (fp-16). */
void arch_backtrace(uintptr_t fp, uintptr_t lo, uintptr_t hi, bool (*fn)(uintptr_t, void *), void *arg)
{
    while (fp >= lo && fp <= hi && (fp & 7) == 0) {
        uintptr_t ra = ((uintptr_t *)fp)[-1], prev = ((uintptr_t *)fp)[-2];
        if (!ra || !fn(ra, arg) || prev <= fp)
            return;
        fp = prev;
    }
}

_Noreturn void arch_halt(void)
{
    arch_intr_off();
    __asm__ volatile("csrw mie, zero");
    for (;;)
        arch_wait_for_interrupt();
}

/* Where a fresh context resumes (arch_gogo returns to its ra): jump to the entry, held
 * in s1, with ra = 0, so that the entry's frame records no caller and every backtrace
 * (arch_backtrace, tools/gdb/goro.py, gdb's own) ends at the entry function. With
 * ra = the entry itself, as arch_gogo leaves it, gdb took it for a return address and
 * went on into the function before (goro_goexit). As ARM's (kernel/arm/switch.S). */
__asm__(".pushsection .text.arch_ctx_start, \"ax\", @progbits\n"
        ".globl arch_ctx_start\n"
        ".type arch_ctx_start, @function\n"
        "arch_ctx_start:\n"
        "    li ra, 0\n"
        "    jr s1\n"
        ".size arch_ctx_start, . - arch_ctx_start\n"
        ".popsection");

/* arch_mcall_drop(to, fn, arg) (arch.h): arch_mcall's second half alone, for a
 * goroutine that ends (goexit): its registers are not saved, as nothing resumes it. */
#define STR_(x) #x
#define STR(x) STR_(x)
__asm__(".pushsection .text.arch_mcall_drop, \"ax\", @progbits\n"
        ".globl arch_mcall_drop\n"
        ".type arch_mcall_drop, @function\n"
        "arch_mcall_drop:\n"
        "    ld sp, " STR(CTX_SP) "(a0)\n"
        "    ld t0, " STR(CTX_GUARD) "(a0)\n"
        "    csrw pmpaddr0, t0\n"
        "    mv s0, zero\n"
        "    mv ra, zero\n"
        "    mv a0, a2\n"
        "    jr a1\n"
        ".size arch_mcall_drop, . - arch_mcall_drop\n"
        ".popsection");

/* A fresh context starts entry() on stack_top with an empty frame-pointer chain, and
 * arms the guard at guard (stack_guard.c) whenever it runs. */
void arch_ctx_init(struct context *ctx, void *stack_top, void *guard, void (*entry)(void))
{
    *ctx = (struct context){ 0 };
    ctx->ra = (uintptr_t)arch_ctx_start;
    ctx->s[1] = (uintptr_t)entry;
    ctx->sp = (uintptr_t)stack_top & ~(uintptr_t)15;
    /* pmpaddr0, NAPOT: the base shifted right by 2 with size/8 - 1 ones below; 0 arms
     * nothing (stack_guard.c). */
    uintptr_t g = (uintptr_t)guard;
    if (__builtin_expect(g & (STACK_GUARD - 1), 0))
        pmp_guard_misaligned(g);
    ctx->guard = g ? (g >> 2) | (STACK_GUARD / 8 - 1) : 0;
}
