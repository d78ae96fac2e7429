/* Host stand-in for kernel/<arch>/arch_impl.h, so that portable kernel/ and runtime/
 * files compile and run as host unit tests (tests/host/run.sh). The thread register is
 * a __thread pointer (host_thread), "interrupts" are a per-thread flag (no interrupt
 * ever arrives on the host), and waiting or relaxing yields the host CPU, since the
 * host tests run more threads than there are cores. */
#pragma once
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct context {
    uint64_t ra, sp;
    uint64_t s[12];
};
/* Host code never starts a goroutine: arch.h's inline restart, for completeness. */
static inline void arch_ctx_restart(struct context *ctx, void *stack_top, void (*entry)(void))
{
    ctx->ra = (uint64_t)(uintptr_t)entry;
    ctx->sp = (uint64_t)(uintptr_t)stack_top;
}

struct trapframe {
    uint64_t pc, sp, fp, cause, tval, status;
};

struct cpu;
extern __thread void *host_thread;       /* shim.c: what tp/TPIDRPRW would hold */
extern __thread bool host_intr_enabled;  /* shim.c: mstatus.MIE / CPSR.I stand-in */

static inline void *arch_thread(void) { return host_thread; }
static inline void arch_set_thread(void *t) { host_thread = t; }
static inline struct cpu *arch_cpu(void) { return *(struct cpu *volatile *)arch_thread(); }
static inline bool arch_intr_get(void) { return host_intr_enabled; }
static inline void arch_intr_on(void) { host_intr_enabled = true; }
static inline void arch_intr_off(void) { host_intr_enabled = false; }
static inline unsigned long arch_intr_save(void)
{
    unsigned long s = host_intr_enabled;
    host_intr_enabled = false;
    return s;
}
static inline void arch_intr_restore(unsigned long saved) { host_intr_enabled = saved != 0; }
static inline void arch_wait_for_interrupt(void) { sched_yield(); }
static inline void arch_relax(void) { sched_yield(); }
static inline bool arch_lock_take(uint32_t *word, uint32_t tag)
{
    uint32_t free = 0;
    return __atomic_compare_exchange_n(word, &free, tag, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}
static inline void arch_unlock32(uint32_t *word) { __atomic_store_n(word, 0, __ATOMIC_RELEASE); }
static inline void *arch_xchg_owned_ptr(void **p, void *v) { return __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL); }
static inline void *arch_xchg_owned_ptr_relaxed(void **p, void *v) { return __atomic_exchange_n(p, v, __ATOMIC_RELAXED); }
#define ARCH_SWITCH_BY_CTX 0
static inline void *arch_take_owned_ptr(void **p) { return __atomic_exchange_n(p, NULL, __ATOMIC_ACQUIRE); }
static inline bool arch_cas32_relaxed(uint32_t *word, uint32_t old, uint32_t new)
{
    return __atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}
static inline bool arch_cas32_acquire(uint32_t *word, uint32_t old, uint32_t new)
{
    return __atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}
static inline bool arch_cas32_acq_rel(uint32_t *word, uint32_t old, uint32_t new)
{
    return __atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}
static inline size_t arch_stack_guard_size(void) { return 0; }
static inline bool arch_static_branch(const void *key) { (void)key; return false; }   /* GORO_TRACE_HOOKS=0 here */
/* The spinlock watchdog reads the clock only after 65536 spins: a host clock will do. */
static inline uint64_t arch_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
static inline uint64_t arch_time_look(void) { return arch_time_now(); }
static inline int64_t arch_load64_relaxed(const int64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
/* No timer interrupts on the host: arming one does nothing. */
static inline void arch_timer_set(uint64_t deadline) { (void)deadline; }
static inline uint32_t arch_cycles(void) { return (uint32_t)arch_time_now(); }
/* Trap frames never occur on the host; the arch contract's inline readers still exist. */
static inline uintptr_t tf_pc(const struct trapframe *tf) { return tf->pc; }
static inline enum trap_kind tf_kind(const struct trapframe *tf) { (void)tf; return TRAP_EXCEPTION; }
