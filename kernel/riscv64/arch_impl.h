/* RISC-V (RV64, machine mode) half of the arch contract: register frames and inlines. */
#pragma once

#define CTX_RA 0
#define CTX_SP 8
#define CTX_S0 16
#define CTX_GUARD 112
#define TF_SIZE    288
#define TF_MSTATUS 256
#define TF_MCAUSE  264
#define TF_MTVAL   272
#define MSTATUS_MPP  0x1800      /* previous privilege; U (0) keeps the stack guard on */
#define MSTATUS_MPRV 0x20000     /* loads and stores use MPP's privilege: PMP checks them */
#define STACK_GUARD  4096        /* bytes of each stack's guard region (stack_guard.c) */
#define EXC_STACK_SIZE 8192      /* each hart's exception stack (stack_guard.c, trapvec.S) */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "board.h"       /* BOARD_CLINT: every RISC-V board's counter is its CLINT's mtime */

/* Callee-saved registers of a voluntarily switched goroutine (switch.S), and the
 * pmpaddr0 value that arms its stack's guard (arch_ctx_init, stack_guard.c). */
struct context {
    uint64_t ra, sp;
    uint64_t s[12];          /* s0 (the frame pointer) .. s11 */
    uint64_t guard;          /* written by arch_ctx_init only; arch_mcall never saves it */
};
_Static_assert(__builtin_offsetof(struct context, s) == CTX_S0, "context layout");
_Static_assert(__builtin_offsetof(struct context, guard) == CTX_GUARD, "context layout");
_Static_assert(sizeof(struct context) == 120, "context size");

/* Where a fresh context starts (arch.c): the entry, in s1, called with ra = 0. */
void arch_ctx_start(void);

/* arch.h: a context arch_ctx_init made for this stack starts entry again. Its guard
 * word stays (it depends on the stack only); s2-s11 keep the last run's values but in
 * GCCHECK builds (arch.h says why). */
static inline void arch_ctx_restart(struct context *ctx, void *stack_top, void (*entry)(void))
{
#if GORO_GCCHECK
    for (int i = 2; i < 12; i++)
        ctx->s[i] = 0;
#endif
    ctx->ra = (uintptr_t)arch_ctx_start;
    ctx->sp = (uintptr_t)stack_top & ~(uintptr_t)15;
    ctx->s[0] = 0;                       /* the frame-pointer chain ends here */
    ctx->s[1] = (uintptr_t)entry;
}

/* Full register frame saved by trapvec.S on the interrupted stack. x[0] holds mepc
 * (x0 is zero, so its slot is reused); x[1..31] are x1..x31. */
struct trapframe {
    uint64_t x[32];
    uint64_t mstatus, mcause, mtval, pad;
};
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe size matches trapvec.S");
_Static_assert(__builtin_offsetof(struct trapframe, mstatus) == TF_MSTATUS, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, mcause) == TF_MCAUSE, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, mtval) == TF_MTVAL, "trapframe layout");
_Static_assert(TF_SIZE % 16 == 0, "trapframe keeps sp 16-byte aligned");

#define MSTATUS_MIE 0x8UL
#define CAUSE_INTR (1UL << 63)

static inline uintptr_t tf_pc(const struct trapframe *tf) { return tf->x[0]; }
static inline enum trap_kind tf_kind(const struct trapframe *tf)
{
    if (tf->mcause == (CAUSE_INTR | 7))      /* the tick first: one compare */
        return TRAP_TIMER;
    if (!(tf->mcause & CAUSE_INTR))
        return TRAP_EXCEPTION;
    switch (tf->mcause & 0xff) {
    case 7: return TRAP_TIMER;
    case 3: return TRAP_IPI;
    case 11: return TRAP_EXTERNAL;       /* the PLIC (kernel/dev/plic.c) */
    default: return TRAP_UNKNOWN_IRQ;
    }
}

/* tp points at the running thread (a goroutine's struct g, or a core's struct cpu at
 * boot), whose first word is its core's struct cpu. */
static inline void *arch_thread(void)
{
    void *t;
    __asm__ volatile("mv %0, tp" : "=r"(t));
    return t;
}
static inline void arch_set_thread(void *t) { __asm__ volatile("mv tp, %0" ::"r"(t) : "memory"); }
/* The thread's first word, loaded off tp itself: one instruction, where a load through
 * arch_thread() took two (its mv, then the load). Volatile, as that load was: a thread
 * that moves to another core reads its new one after the switch (whose asm it cannot
 * cross). */
static inline struct cpu *arch_cpu(void)
{
    struct cpu *c;
    __asm__ volatile("ld %0, 0(tp)" : "=r"(c));
    return c;
}
static inline bool arch_intr_get(void)
{
    uint64_t s;
    __asm__ volatile("csrr %0, mstatus" : "=r"(s));
    return (s & MSTATUS_MIE) != 0;
}
static inline void arch_intr_on(void)  { __asm__ volatile("csrsi mstatus, 8" ::: "memory"); }
static inline void arch_intr_off(void) { __asm__ volatile("csrci mstatus, 8" ::: "memory"); }
/* The saved state is mstatus as it was, whole: the restore takes its MIE bit. The mask
 * is the restore's, not the save's, as a save is not always restored (a channel
 * operation that parks turns interrupts on when it resumes): one instruction less on
 * that path. */
static inline unsigned long arch_intr_save(void)
{
    unsigned long s;
    __asm__ volatile("csrrci %0, mstatus, 8" : "=r"(s) :: "memory");
    return s;
}
/* Sets MIE if it was set; clears nothing (and sets no other bit of mstatus: MPRV, MPP). */
static inline void arch_intr_restore(unsigned long saved)
{
    __asm__ volatile("csrs mstatus, %0" ::"r"(saved & MSTATUS_MIE) : "memory");
}
static inline void arch_wait_for_interrupt(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline void arch_relax(void) { __asm__ volatile("nop" ::: "memory"); }
/* LR/SC without a retry loop (arch.h allows the spurious failure): lr.w.aq, bnez,
 * sc.w, and the caller's bnez, 4 instructions. gcc 12's compare-and-swap is this plus
 * a loop back on a failed sc and a sext.w of the loaded word before the caller's test,
 * 6. v is the loaded word (not 0: held) or sc's result (0: stored). */
static inline __attribute__((always_inline)) bool arch_lock_take(uint32_t *word, uint32_t tag)
{
    unsigned long v;
    __asm__ volatile("lr.w.aq %0, (%1)\n\tbnez %0, 1f\n\tsc.w %0, %2, (%1)\n1:"
                     : "=&r"(v) : "r"(word), "r"(tag) : "memory");
    return v == 0;
}
static inline __attribute__((always_inline)) void arch_unlock32(uint32_t *word)
{
    __asm__ volatile("amoswap.w.rl zero, zero, (%0)" ::"r"(word) : "memory");
}
static inline __attribute__((always_inline)) void *arch_xchg_owned_ptr(void **p, void *v)
{
    void *old;
    __asm__ volatile("amoswap.d.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
    return old;
}
static inline __attribute__((always_inline)) void *arch_xchg_owned_ptr_relaxed(void **p, void *v)
{
    void *old;
    __asm__ volatile("amoswap.d %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
    return old;
}
/* A look first: an empty runnext costs no AMO. */
static inline __attribute__((always_inline)) void *arch_take_owned_ptr(void **p)
{
    if (!__atomic_load_n(p, __ATOMIC_RELAXED))
        return NULL;
    return __atomic_exchange_n(p, NULL, __ATOMIC_ACQUIRE);
}
/* arch_cas32_*: LR/SC, the failure a branch out of the loop (asm goto); acq_rel is the
 * standard mapping, lr.w.aq and sc.w.rl. lr.w sign-extends the word it loads: old is
 * compared sign-extended too, so any 32-bit value works. */
#define ARCH_CAS32(name, lr, sc)                                                                          \
    static inline __attribute__((always_inline)) bool name(uint32_t *word, uint32_t old, uint32_t new)   \
    {                                                                                                     \
        unsigned long t;                                                                                  \
        __asm__ volatile goto("1: " lr " %0, (%1)\n\tbne %0, %2, %l[fail]\n\t" sc " %0, %3, (%1)\n\tbnez %0, 1b" \
                     : "=&r"(t)                                                                           \
                     : "r"(word), "r"((long)(int32_t)old), "r"(new)                                       \
                     : "memory"                                                                           \
                     : fail);                                                                             \
        return true;                                                                                      \
    fail:                                                                                                 \
        return false;                                                                                     \
    }
ARCH_CAS32(arch_cas32_relaxed, "lr.w", "sc.w")
ARCH_CAS32(arch_cas32_acquire, "lr.w.aq", "sc.w")
ARCH_CAS32(arch_cas32_acq_rel, "lr.w.aq", "sc.w.rl")
#undef ARCH_CAS32
static inline size_t arch_stack_guard_size(void) { return STACK_GUARD; }   /* PMP: stack_guard.c */

/* mtime by MMIO, not the time CSR (rdtime): the FU540's U54 harts don't implement that
 * CSR (reads trap, for firmware to emulate), and here there is no firmware. */
#define CLINT_MTIME ((volatile uint64_t *)(BOARD_CLINT + 0xbff8))
static inline uint64_t arch_time_now(void) { return *CLINT_MTIME; }
static inline uint64_t arch_time_look(void) { return *CLINT_MTIME; }
static inline int64_t arch_load64_relaxed(const int64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
/* For the tick's fast path (tick.S), by runtime/asm_offsets.c: mtime's address and
 * mtimecmp[0]'s (board.h's numbers carry C suffixes the assembler doesn't take). */
#define ARCH_SWITCH_BY_CTX 0     /* arch_switch_*: threads (kernel/arch.h) */
#define ARCH_ASM_OFFSETS(OFF) \
    OFF(CLINT_MTIME_ADDR, BOARD_CLINT + 0xbff8); OFF(CLINT_MTIMECMP_ADDR, BOARD_CLINT + 0x4000)
/* This hart's mtimecmp, indexed by mhartid (the hart, not the core: cores start at
 * BOARD_FIRST_HART), so the tick needs no struct cpu load to re-arm. */
static inline void arch_timer_set(uint64_t deadline)
{
    uint64_t h;
    __asm__ volatile("csrr %0, mhartid" : "=r"(h));
    ((volatile uint64_t *)(BOARD_CLINT + 0x4000))[h] = deadline;
}

/* A static branch site (arch.h): `c.nop`, 2 bytes at whatever boundary the code has
 * reached (no alignment padding on the fast path), which arch_patch_site rewrites into
 * `c.j` to the true path with one aligned 16-bit store. The true path must be within
 * c.j's reach, 2 KiB either way: it is code of the same function, and kernel/patch.c
 * checks every site at boot. */
static inline __attribute__((always_inline)) bool arch_static_branch(const void *key)
{
    __asm__ goto(".Lsite%=:\tc.nop\n\t"
                 ".pushsection .static_branches, \"ao\", %%progbits, .Lsite%=\n\t"
                 ".balign 8\n\t"
                 ".dword .Lsite%=, %l[yes], %0\n\t"
                 ".popsection"
                 :: "i"(key) :: yes);
    return false;
yes:
    return true;
}

/* The fine clock (arch.h): mcycle, which QEMU counts as the virtual clock under
 * -icount (one per instruction at shift=0) where mtime steps by 100 (virt) or 1000
 * (sifive-u). */
static inline uint32_t arch_cycles(void)
{
    uint64_t v;
    __asm__ volatile("csrr %0, mcycle" : "=r"(v) :: "memory");
    return (uint32_t)v;
}
#endif /* __ASSEMBLER__ */
