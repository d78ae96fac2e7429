/* ARMv7-A (ARM state, SVC mode) half of the arch contract: register frames and inlines. */
#pragma once

/* struct context (switch.S). */
#define CTX_D8    0
#define CTX_R4    64
#define CTX_FPSCR 96
#define CTX_SP    100
#define CTX_RA    104
#define CTX_SIZE  112

/* struct trapframe (trapvec.S). r0-r12, sp, lr, pc are consecutive so that one
 * `ldmia sp, {r0-pc}^` restores them and the CPSR. */
#define TF_R0     0
#define TF_SP     52
#define TF_LR     56
#define TF_PC     60
#define TF_CPSR   64
#define TF_VECTOR 68
#define TF_INFO   72
#define TF_FAR    76
#define TF_FSR    80
#define TF_FPSCR  84
#define TF_IRQ    88
#define TF_D0     96
#define TF_SIZE   352

/* Exception vectors, as offsets / 4 in the vector table (TF_VECTOR). */
#define VEC_RESET 0
#define VEC_UNDEF 1
#define VEC_SVC   2
#define VEC_PABT  3
#define VEC_DABT  4
#define VEC_HYP   5
#define VEC_IRQ   6
#define VEC_FIQ   7

#define PSR_MODE_MASK 0x1f
#define PSR_MODE_SVC  0x13
#define PSR_MODE_ABT  0x17
#define PSR_MODE_HYP  0x1a
#define PSR_T (1u << 5)
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)
#define PSR_A (1u << 8)

/* Each core's abort stack (trap.c, arm_abort_stacks): data aborts run on it
 * (trapvec.S), so that a goroutine that overflowed into its guard page can be reported. */
#define ABORT_STACK_SIZE 8192
#define STACK_GUARD_SIZE 4096

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Callee-saved state of a goroutine that gave up its core voluntarily (switch.S):
 * r4-r11 (r11 is the frame pointer), sp, the return address (lr, named ra as the
 * contract names it for every port), the FPSCR (its rounding mode is the goroutine's),
 * and the callee-saved VFP registers d8-d15. */
/* In the order of switch.S's two stores and two loads: d8-d15 (vstmia/vldmia with
 * writeback), then r4-r11, FPSCR (by way of ip), sp and lr in one stmia/ldmia. */
struct context {
    uint64_t d[8];           /* d8 .. d15 */
    uint32_t r[8];           /* r4 .. r11 */
    uint32_t fpscr;          /* ip's slot in the stmia */
    uint32_t sp, ra;         /* ra: where arch_gogo resumes (the saved lr) */
    uint32_t pad;
};
_Static_assert(__builtin_offsetof(struct context, sp) == CTX_SP, "context layout");
_Static_assert(__builtin_offsetof(struct context, ra) == CTX_RA, "context layout");
_Static_assert(__builtin_offsetof(struct context, fpscr) == CTX_FPSCR, "context layout");
_Static_assert(__builtin_offsetof(struct context, d) == CTX_D8, "context layout");
_Static_assert(__builtin_offsetof(struct context, r) == CTX_R4, "context layout");
_Static_assert(CTX_R4 == CTX_D8 + 64 && CTX_FPSCR == CTX_R4 + 32 && CTX_SP == CTX_FPSCR + 4 && CTX_RA == CTX_SP + 4,
               "switch.S's save: vstmia ctx!, {d8-d15} then stmia ctx, {r4-r11, ip, sp, lr}");
_Static_assert(sizeof(struct context) == CTX_SIZE, "context size");

void arch_ctx_start(void);             /* switch.S: where a fresh context (arch_ctx_init) resumes */

/* arch.h: a context arch_ctx_init made for this stack starts entry again, with the
 * default FPSCR. r5-r10 and d8-d15 keep the last run's values but in GCCHECK builds
 * (arch.h says why). */
static inline void arch_ctx_restart(struct context *ctx, void *stack_top, void (*entry)(void))
{
#if GORO_GCCHECK
    for (int i = 1; i < 7; i++)
        ctx->r[i] = 0;
    for (int i = 0; i < 8; i++)
        ctx->d[i] = 0;
#endif
    ctx->r[0] = (uintptr_t)entry;       /* r4 */
    ctx->r[7] = 0;                      /* r11, the frame pointer: the chain ends here */
    ctx->sp = (uintptr_t)stack_top & ~(uintptr_t)7;
    ctx->ra = (uintptr_t)arch_ctx_start;
    ctx->fpscr = 0;
}

/* Full register frame saved by trapvec.S on the interrupted SVC stack, 8-byte aligned.
 * The VFP state (d0-d31, FPSCR) is saved eagerly on every trap, so a goroutine
 * preempted in the middle of float code resumes with its registers intact. */
struct trapframe {
    uint32_t r[13];          /* r0 .. r12 (r11 is the frame pointer) */
    uint32_t sp, lr, pc;     /* SVC-mode sp and lr of the interrupted code; its pc */
    uint32_t cpsr;           /* the interrupted CPSR (the exception mode's SPSR) */
    uint32_t vector;         /* VEC_*: which exception */
    uint32_t info;           /* IRQ: enum trap_kind decoded by the interrupt controller */
    uint32_t far, fsr;       /* aborts: fault address and status (DFAR/DFSR, IFAR/IFSR) */
    uint32_t fpscr;
    uint32_t irq;            /* IRQ: the controller's raw interrupt id or source bits */
    uint32_t pad;
    uint64_t d[32];          /* d0 .. d31 */
};
_Static_assert(__builtin_offsetof(struct trapframe, sp) == TF_SP, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, lr) == TF_LR, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, pc) == TF_PC, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, cpsr) == TF_CPSR, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, vector) == TF_VECTOR, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, info) == TF_INFO, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, far) == TF_FAR, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, fsr) == TF_FSR, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, fpscr) == TF_FPSCR, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, irq) == TF_IRQ, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, d) == TF_D0, "trapframe layout");
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe size matches trapvec.S");
_Static_assert(TF_SIZE % 8 == 0, "trapframe keeps sp 8-byte aligned (AAPCS)");

static inline uintptr_t tf_pc(const struct trapframe *tf) { return tf->pc; }
static inline enum trap_kind tf_kind(const struct trapframe *tf)
{
    switch (tf->vector) {
    case VEC_IRQ: return (enum trap_kind)tf->info;   /* decoded by intc_ack */
    case VEC_FIQ: return TRAP_UNKNOWN_IRQ;
    default: return TRAP_EXCEPTION;
    }
}

/* TPIDRPRW (CP15 c13, c0, 4), a PL1-only register, points at the running thread (a
 * goroutine's struct g, or a core's struct cpu at boot), whose first word is its
 * core's struct cpu. */
static inline void *arch_thread(void)
{
    void *t;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 4" : "=r"(t));
    return t;
}
static inline void arch_set_thread(void *t) { __asm__ volatile("mcr p15, 0, %0, c13, c0, 4" ::"r"(t) : "memory"); }
static inline struct cpu *arch_cpu(void) { return *(struct cpu *volatile *)arch_thread(); }
static inline bool arch_intr_get(void)
{
    uint32_t s;
    __asm__ volatile("mrs %0, cpsr" : "=r"(s));
    return (s & PSR_I) == 0;
}
static inline void arch_intr_on(void)  { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void arch_intr_off(void) { __asm__ volatile("cpsid i" ::: "memory"); }
static inline unsigned long arch_intr_save(void)
{
    unsigned long s;
    __asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(s) :: "memory");
    return s;
}
/* The control byte back (I, F, and the mode, which is still SVC; MSR ignores T), as
 * Linux's arch_local_irq_restore does. */
static inline void arch_intr_restore(unsigned long saved) { __asm__ volatile("msr cpsr_c, %0" ::"r"(saved) : "memory"); }
static inline void arch_wait_for_interrupt(void) { __asm__ volatile("dsb\n\twfi" ::: "memory"); }
static inline void arch_relax(void) { __asm__ volatile("yield" ::: "memory"); }
/* One try, no loop (the caller's slow path retries): ldrex, cmp, bne, strex, cmp, bne,
 * dmb, as gcc's weak compare-and-swap, but the failure a branch out (asm goto) and one
 * register for the loaded word and the store's status, where gcc took two: the
 * channel's entry points then need no frame (6 instructions a handoff). */
static inline __attribute__((always_inline)) bool arch_lock_take(uint32_t *word, uint32_t tag)
{
    uint32_t t;
    __asm__ volatile goto("ldrex %0, [%1]\n\tcmp %0, #0\n\tbne %l[busy]\n\t"
                          "strex %0, %2, [%1]\n\tcmp %0, #0\n\tbne %l[busy]\n\tdmb ish"
                          : "=&r"(t) : "r"(word), "r"(tag) : "cc", "memory" : busy);
    return true;
busy:
    return false;
}
/* The owner's exchanges: a plain look that finds NULL, which stays NULL (only the owner
 * sets it), and a store (release: dmb ish, str); else the exchange (acq_rel: dmb, the
 * ldrex/strex loop, dmb). */
#define ARCH_XCHG_OWNED(name, store_order, xchg_order)                                  \
    static inline __attribute__((always_inline)) void *name(void **p, void *v)          \
    {                                                                                   \
        if (__builtin_expect(!__atomic_load_n(p, __ATOMIC_RELAXED), 1)) {               \
            __atomic_store_n(p, v, store_order);                                        \
            return NULL;                                                                \
        }                                                                               \
        return __atomic_exchange_n(p, v, xchg_order);                                   \
    }
ARCH_XCHG_OWNED(arch_xchg_owned_ptr, __ATOMIC_RELEASE, __ATOMIC_ACQ_REL)
ARCH_XCHG_OWNED(arch_xchg_owned_ptr_relaxed, __ATOMIC_RELAXED, __ATOMIC_RELAXED)
#undef ARCH_XCHG_OWNED
/* The exclusive load is the look: an empty runnext leaves the loop at once by a branch
 * out (asm goto, so the caller's test of the result folds into it; the monitor is left
 * open: every strex here follows its own ldrex), a full one is taken by the strex of
 * NULL, then the barrier (acquire). */
static inline __attribute__((always_inline)) void *arch_take_owned_ptr(void **p)
{
    void *v;
    uint32_t t;
    __asm__ volatile goto("1: ldrex %0, [%2]\n\tcmp %0, #0\n\tbeq %l[empty]\n\t"
                          "strex %1, %3, [%2]\n\tcmp %1, #0\n\tbne 1b\n\tdmb ish"
                          : "=&r"(v), "=&r"(t) : "r"(p), "r"(0) : "cc", "memory" : empty);
    if (!v)
        __builtin_unreachable();     /* the fall-through took a goroutine: no test again */
    return v;
empty:
    return NULL;
}
static inline __attribute__((always_inline)) void arch_unlock32(uint32_t *word)
{
    __atomic_store_n(word, 0, __ATOMIC_RELEASE);   /* dmb ish, str: already the shortest */
}
/* arch_cas32_*: LDREX/STREX, the failure a branch out of the loop (asm goto), the
 * barriers gcc places (acq_rel: one before, one after; acquire: after; relaxed: none).
 * The expected value may be an immediate ("rI": the statuses are constants), which
 * frees a register: goready then needs no frame (gosched_switch 111.2 -> 105.2 on
 * virt-arm). */
#define ARCH_CAS32(name, before, after)                                                                        \
    static inline __attribute__((always_inline)) bool name(uint32_t *word, uint32_t old, uint32_t new)   \
    {                                                                                                     \
        uint32_t t;                                                                                       \
        __asm__ volatile goto(before "1: ldrex %0, [%1]\n\tcmp %0, %2\n\tbne %l[fail]\n\t"                        \
                     "strex %0, %3, [%1]\n\tcmp %0, #0\n\tbne 1b" after                                     \
                     : "=&r"(t)                                                                           \
                     : "r"(word), "rI"(old), "r"(new)                                                     \
                     : "cc", "memory"                                                                     \
                     : fail);                                                                             \
        return true;                                                                                      \
    fail:                                                                                                 \
        return false;                                                                                     \
    }
ARCH_CAS32(arch_cas32_relaxed, "", "")
ARCH_CAS32(arch_cas32_acquire, "", "\n\tdmb ish")
ARCH_CAS32(arch_cas32_acq_rel, "dmb ish\n\t", "\n\tdmb ish")
#undef ARCH_CAS32
static inline size_t arch_stack_guard_size(void) { return STACK_GUARD_SIZE; }   /* mmu.c */

/* CNTVCT, the generic timer's virtual count (gtimer.c); the ISB keeps the read from
 * being taken before the instructions that precede it. */
static inline uint64_t arch_time_now(void)
{
    uint64_t t;
    __asm__ volatile("isb\n\tmrrc p15, 1, %Q0, %R0, c14" : "=r"(t) :: "memory");   /* one register pair */
    return t;
}
/* "m": the field's address as the base and its offset (an offset ldrd can't encode, or
 * an odd register pair, fails the build, not the load). */
static inline __attribute__((always_inline)) int64_t arch_load64_relaxed(const int64_t *p)
{
    int64_t v;
    __asm__ volatile("ldrd %Q0, %R0, %1" : "=r"(v) : "m"(*p));
    return v;
}
static inline __attribute__((always_inline)) uint64_t arch_time_look(void)
{
    uint64_t t;
    __asm__ volatile("mrrc p15, 1, %Q0, %R0, c14" : "=r"(t) :: "memory");
    return t;
}

/* For the tick's fast path (tick.S), by runtime/asm_offsets.c: nothing beyond the
 * runtime's offsets (the counter and the timer are system registers). */
#define ARCH_ASM_OFFSETS(OFF)
#define ARCH_SWITCH_BY_CTX 1     /* arch_switch_*: contexts (kernel/arch.h) */

/* The virtual timer CNTV (gtimer.c): CNTV_CVAL = deadline and CNTV_CTL = enable, or
 * CNTV_CTL = 0 (disarmed) for UINT64_MAX. Interrupts off. */
static inline void arch_timer_set(uint64_t deadline)
{
    if (deadline == UINT64_MAX) {
        __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" ::"r"(0u) : "memory");
        return;
    }
    __asm__ volatile("mcrr p15, 3, %Q0, %R0, c14\n\t"      /* CNTV_CVAL */
                     "mcr p15, 0, %1, c14, c3, 1\n\t"       /* CNTV_CTL: enable */
                     "isb" ::"r"(deadline), "r"(1u) : "memory");
}

/* A static branch site (arch.h): the architectural NOP (0xe320f000, a hint), which
 * arch_patch_site turns into a B to the true path; ARMv7 lets NOP and B be changed
 * under a running core (ARM ARM A3.5.4). %c0: the key's address without the '#'. */
static inline __attribute__((always_inline)) bool arch_static_branch(const void *key)
{
    __asm__ goto(".Lsite%=:\tnop\n\t"
                 ".pushsection .static_branches, \"ao\", %%progbits, .Lsite%=\n\t"
                 ".balign 4\n\t"
                 ".word .Lsite%=, %l[yes], %c0\n\t"
                 ".popsection"
                 :: "i"(key) :: yes);
    return false;
yes:
    return true;
}

/* The fine clock (arch.h): PMCCNTR, the PMU's cycle counter, which arch_cpu_init starts
 * on every core; QEMU counts it in virtual ns (1 GHz), so under -icount shift=0 it
 * counts instructions one by one where CNTVCT steps by 16. */
static inline uint32_t arch_cycles(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v) :: "memory");
    return v;
}
#endif /* __ASSEMBLER__ */
