/* The architecture contract: everything portable code (kernel/, runtime/) needs from a
 * CPU architecture. Each kernel/<arch>/ implements it; nothing else is arch-specific.
 *
 * Conventions every port keeps:
 * - A register the compiler never allocates (tp on RISC-V, TPIDRPRW on ARM) holds the
 *   running thread; its first word points at the core's struct cpu (arch_cpu()).
 * - All code runs in one privilege level (M-mode / SVC); traps are taken on the stack
 *   that was in use, and the trap entry saves the register frame there before calling
 *   trap_dispatch(): for an interrupt, at least every register the C ABI lets
 *   trap_dispatch clobber (a port may leave the callee-saved ones, which the ABI keeps
 *   and a switch saves in the goroutine's context: kernel/riscv64/trapvec.S); for an
 *   exception, all of them, for the report. The frame is the async safe point of a
 *   preempted goroutine.
 *   (ARM data aborts, always fatal, are the exception: see arch_stack_guard.)
 * - A context (struct context) holds the callee-saved registers and sp of a goroutine
 *   that gave up its core voluntarily; arch_mcall() saves one and switches to the M's
 *   g0 stack, arch_gogo() restores one. Both run with interrupts off, and both arm the
 *   stack guard of the context they switch to where the arch arms guards per switch
 *   (RISC-V: arch_stack_guard). Every port's struct context has uintptr_t-sized fields
 *   `sp` and `ra` (where arch_gogo resumes): the runtime's stack scan and its reports
 *   read them.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* What a trap was, as the portable dispatcher needs to know it (tf_kind). */
enum trap_kind { TRAP_TIMER, TRAP_IPI, TRAP_EXCEPTION, TRAP_UNKNOWN_IRQ,
                 TRAP_EXTERNAL /* a device line at the board's controller (kernel/irq.c) */ };

#include "arch_impl.h"   /* kernel/<arch>/arch_impl.h: struct context, struct trapframe, inlines */

struct cpu;

/* The thread register: the running thread (the runtime's struct g, or at boot the
 * core's struct cpu); the first word of a thread is a pointer to its core's struct
 * cpu. arch_cpu() is only stable where the caller can't migrate (interrupts off or a
 * non-preemptible section). */
static inline void *arch_thread(void);
static inline void arch_set_thread(void *t);
static inline struct cpu *arch_cpu(void);

/* Interrupt enable on the calling core (the global mask: mstatus.MIE / CPSR.I). */
static inline bool arch_intr_get(void);
static inline void arch_intr_on(void);
static inline void arch_intr_off(void);
/* Interrupts off, returning what arch_intr_restore needs to put back the state before:
 * the pair is one instruction or two each, for paths too short for intr_push/intr_pop. */
static inline unsigned long arch_intr_save(void);
static inline void arch_intr_restore(unsigned long saved);
static inline void arch_wait_for_interrupt(void);  /* WFI; returns on a pending interrupt even when masked */
static inline void arch_relax(void);               /* body of a spin-wait loop */
/* One try at a spinlock's word (kernel/spinlock.h, spin_take): if *word is 0, store
 * tag with acquire ordering and return true; false if it was not 0, and may return
 * false with it 0 (a lost reservation: the caller's slow path retries). Never an
 * unconditional swap: the word names its holder, whom a swap would overwrite. */
static inline bool arch_lock_take(uint32_t *word, uint32_t tag);
/* Compare-and-swap on the scheduler's paths (a goroutine's status, a run queue's head):
 * if *word is old, store new and return true, with no ordering (arch_cas32_relaxed),
 * acquire (arch_cas32_acquire) or acquire and release (arch_cas32_acq_rel); else
 * return false, nothing stored. No spurious failure. In assembly because gcc 12's
 * __atomic_compare_exchange_n computes its result again after the loop (RISC-V: 2
 * instructions) or materialises it in a register before the test (ARM: 3), and on
 * RISC-V gives acq_rel no release (lr.w, then sc.w.aq). */
/* A lock word's release: 0 to *word with release ordering, in one instruction where the
 * arch has one (RISC-V: amoswap.w.rl; gcc 12's release store is a fence and an AMO). */
static inline void arch_unlock32(uint32_t *word);
/* The owner's exchange of a pointer only its owner (this core) sets non-NULL and others
 * only ever take (change to NULL): v to *p, the old value returned, with acquire and
 * release ordering. An empty *p stays empty until the owner's store, so where a
 * read-modify-write is a load-exclusive loop with a barrier each side (ARM: 9
 * instructions with its setup), a plain load that finds NULL and a release store do
 * (5); where it is one instruction (RISC-V: amoswap.d.aqrl, the standard mapping; gcc 12
 * emits a fence and amoswap.aq, two) it is that. A P's runnext (runq.h's runnext_put):
 * goready's put, once a channel handoff. */
static inline void *arch_xchg_owned_ptr(void **p, void *v);
/* arch_xchg_owned_ptr without ordering, for a put whose readers synchronize through
 * something else: goready's, after its release CAS of the goroutine's status, which
 * every taker's acquire CAS of that status reads (ARM: no barrier before the store). */
static inline void *arch_xchg_owned_ptr_relaxed(void **p, void *v);
/* The owner's take of such a pointer: *p to NULL, its old value returned (NULL: it was
 * empty), acquire. A thief may have emptied it since any earlier look, so the take is
 * a read-modify-write; where that is a load-exclusive loop (ARM) the exclusive load is
 * also the look (7 instructions when it takes, where a plain look first made it 10),
 * and where it is one AMO (RISC-V) a plain look first spares the AMO when it is empty.
 * A P's runnext (runq.h's runqget_next): every switch's look, once a channel handoff. */
static inline void *arch_take_owned_ptr(void **p);
/* A relaxed atomic load of an aligned 64-bit word, with the field's offset in the load
 * where the port's load takes one: gcc's atomic 64-bit load on ARM adds the offset to
 * the base first (ldrd without an offset), where an ldrd with it is one instruction,
 * single-copy atomic on an aligned doubleword with the Large Physical Address
 * Extension (Cortex-A7 and A15, both ARM boards' cores). The switch's look at its P's
 * first timer (timer0_when). */
static inline int64_t arch_load64_relaxed(const int64_t *p);
static inline bool arch_cas32_relaxed(uint32_t *word, uint32_t old, uint32_t new);
static inline bool arch_cas32_acquire(uint32_t *word, uint32_t old, uint32_t new);
static inline bool arch_cas32_acq_rel(uint32_t *word, uint32_t old, uint32_t new);

/* Per-core timer and IPIs (the board's interrupt controller behind them). */
void     arch_cpu_init(int id);          /* on each core: vectors, timer, IPI sources enabled */
/* Counter ticks since boot, monotonic, all cores agree; any context. Inline (a register
 * or MMIO read): the tracer stamps every event with it and the scheduler reads it per
 * switch. */
static inline uint64_t arch_time_now(void);
/* arch_time_now for a look that may read the counter a few instructions early: no
 * barrier before it (ARM: the isb that orders arch_time_now after what precedes it).
 * The switch's look at its P's first timer: a timer found not yet due by such a read
 * fires from its interrupt instead, a few ticks later. */
static inline uint64_t arch_time_look(void);
uint64_t arch_time_hz(void);
/* One-shot: interrupt when now >= deadline (UINT64_MAX: never). Interrupts off. Inline
 * (a store or two system-register writes): every tick re-arms it. */
static inline void arch_timer_set(uint64_t deadline);
/* A fine clock for benchmarks, any context, 32 bits (differences only): the core's
 * cycle counter (RISC-V mcycle, ARM PMCCNTR), which under -icount shift=0 counts every
 * instruction of all cores (QEMU derives it from the virtual clock), one by one, where
 * arch_time_now steps by 16 to 1000. Elsewhere, cycles of the reading core. */
static inline uint32_t arch_cycles(void);
/* Benchmarks only (tests/bench/irq_to_goroutine.c): arch_trap_stamp(true) makes the
 * calling core's device interrupts (RISC-V: the external interrupt; ARM: every IRQ)
 * enter through a stamp that reads arch_cycles() at the vector's first instructions
 * into a per-core register, without memory or the interrupted code's registers (false:
 * the usual vector again; kernel/<arch>/trapstamp.S). arch_trap_stamp_read, on that
 * core: the last stamp, adjusted for the stamp's own instructions so that a later
 * arch_cycles() minus it counts the usual path's instructions from the interrupt's
 * first one. Interrupts off for both. */
void arch_trap_stamp(bool on);
uint32_t arch_trap_stamp_read(void);
void     arch_ipi_send(int cpu);
void     arch_ipi_clear(void);           /* acknowledge this core's pending IPI */
/* Interrupts off: if this core's IPI doorbell rings, acknowledge it, as the interrupt's
 * entry and arch_ipi_clear would, and return true; else change nothing and return
 * false. For a core that waits with interrupts masked (ipi_poll): it takes its IPIs
 * without a trap. */
bool     arch_ipi_take(void);

/* Contexts. arch_ctx_init: a fresh context that starts entry() on stack_top, its stack
 * guarded by the arch_stack_guard_size() bytes at guard (what arch_stack_guard made a
 * guard), or by nothing (NULL). guard must be aligned to that size (a panic otherwise).
 * Any context; ctx not running. */
void arch_ctx_init(struct context *ctx, void *stack_top, void *guard, void (*entry)(void));
/* Save the caller's context into *save, switch to to->sp (to: the M's g0 context, from
 * arch_ctx_init), arm to's guard, and call fn(arg); fn never returns. Resuming *save
 * (arch_gogo) returns from arch_mcall. */
void arch_mcall(struct context *save, const struct context *to, void (*fn)(void *), void *arg);
_Noreturn void arch_gogo(struct context *ctx);
/* A goroutine to goroutine switch without the M's g0 (runtime/switch.h's direct
 * switch), in the two forms it takes, between two threads (the runtime's goroutines:
 * from is the caller's, to the next one's): save the caller's context into from's as
 * arch_mcall does; then store the goroutine's new status to its status word, then
 * publish it through word, in that order, each with release semantics (both after the
 * context's stores: what they publish, another core may resume from's context at
 * once); then resume to's context as arch_gogo does. From the first of the two stores
 * on it touches no memory but to's context, so the stack from's context describes is
 * free for another core to run on. Resuming from's context later returns. Interrupts
 * off. The runtime's layout and values come from asm_offsets.h (runtime/asm_offsets.c):
 * a thread's context is at SWITCH_CTX in it, its status word at SWITCH_STATUS (struct
 * g's ctx and status). from and to are the threads where ARCH_SWITCH_BY_CTX is 0
 * (RISC-V: its loads and stores take the offset, where the caller's two adds cost 2
 * instructions a switch), and their contexts (a thread + SWITCH_CTX) where it is 1 (ARM:
 * vstm and stm take no offset, so the entry had to add it, where the caller's add
 * replaces a move: 2 instructions a switch); the runtime passes SWITCH_ARG(thread).
 *   arch_switch_park: status SWITCH_WAITING, then 0 to *word (a lock's release).
 *   arch_switch_yield: status SWITCH_RUNNABLE, then v to *word (a run queue's tail
 *   moved past the goroutine's slot).
 * Two entries with at most four arguments, not one with the status and both words and
 * values: on ARM its two stack arguments were spilled and stored on every switch. */
void arch_switch_park(void *from, const void *to, uint32_t *word);
void arch_switch_yield(void *from, const void *to, uint32_t *word, uint32_t v);
/* arch_switch_park for a park whose release is more than one store (a select's
 * channels, a timer to arm): the save, the status (SWITCH_WAITING, release), then
 * fn(arg) called on to's stack (below to's saved sp, with to's stack guard), then to's
 * context resumed. from's stack is free from the status store on, but for what fn reads
 * of it until it releases what guards from's wait (a lock its waker must take). */
void arch_switch_park_call(void *from, const void *to, void (*fn)(void *), void *arg);
/* A goroutine's start and end, the spawn path's halves (runtime/proc.c newproc, goexit).
 * arch_ctx_restart: ctx, which arch_ctx_init made for the same stack, starts entry() on
 * stack_top again: only the words the start reads are written (its guard stays; the
 * other callee-saved slots keep stale values, which a conservative scan reads: GCCHECK
 * builds clear them, as arch_gogo clears the caller-saved registers). Inline.
 * arch_mcall_drop: arch_mcall for a goroutine that never resumes: switch to to's stack,
 * arm its guard and call fn(arg), saving nothing. Interrupts off. */
static inline void arch_ctx_restart(struct context *ctx, void *stack_top, void (*entry)(void));
_Noreturn void arch_mcall_drop(const struct context *to, void (*fn)(void *), void *arg);
/* Zero the caller-saved registers (core and floating point) and return. GCCHECK builds
 * call it before turning interrupts on where the registers may hold runtime integers
 * a conservative scan of the trap frame would take for heap addresses. */
void arch_clear_scratch(void);

/* Trap frames (kernel/<arch>/arch_impl.h defines struct trapframe). */
static inline uintptr_t tf_pc(const struct trapframe *tf);     /* inline: read on every trap */
uintptr_t tf_sp(const struct trapframe *tf);
uintptr_t tf_fp(const struct trapframe *tf);
const char *tf_cause_name(const struct trapframe *tf);
void tf_print(const struct trapframe *tf);      /* all registers, for panic */

/* Backtrace by frame pointers: the caller's frame (fp), walked until fn returns false. */
uintptr_t arch_frame_pointer(void);
void arch_backtrace(uintptr_t fp, uintptr_t lo, uintptr_t hi, bool (*fn)(uintptr_t pc, void *arg), void *arg);

/* Guards under stacks (goroutine and g0 stacks). arch_stack_guard_size() is the size
 * of the guard below each stack, 4096 on both arches, or 0 where an arch has none.
 * Two ways to arm one:
 * - ARM (kernel/arm/mmu.c): a guard page, an invalid page-table entry, armed for good.
 *   arch_stack_guard(page, true) makes the guard-size page at page (aligned, in RAM)
 *   fault on any access, on every core, before it returns; (page, false) makes it
 *   ordinary memory again (also when it was never guarded). The context's guard
 *   argument is unused.
 * - RISC-V (kernel/riscv64/stack_guard.c): no paging in M-mode; one PMP entry per hart
 *   denies data accesses to the guard of the stack the hart runs on, rewritten by
 *   arch_gogo and arch_mcall from the context (arch_ctx_init's guard). arch_stack_guard
 *   has nothing to do (true for an aligned page).
 * arch_stack_guard returns false when the page can't be guarded (no page table left).
 * Any core, any interrupt state, no runtime lock held. A data access to a guard comes
 * to the runtime as rt_stack_fault (kernel.h), on a stack other than the overflowed
 * one: ARM's per-core abort stack, RISC-V's per-hart exception stack. */
static inline size_t arch_stack_guard_size(void);
bool arch_stack_guard(void *page, bool on);

/* Static branches (Linux's jump labels; kernel/patch.c owns the mechanism).
 * arch_static_branch(key) is a condition that costs one nop in the instruction stream
 * while key's sites are off: an asm goto site, the nop falling through to the false
 * path, the true path out of line at a label. Each site adds {site, target, key}
 * (struct static_branch, three pointers) to the section .static_branches, which
 * linker.ld gathers. key is the address of a variable, a link-time constant; the inline
 * must be always_inline and compiled with optimisation.
 * arch_patch_site writes the site's one instruction, a nop (jump false) or a jump to
 * target (jump true), with one aligned store (a word on ARM, a halfword on RISC-V),
 * and cleans it from this core's data side to where instruction fetch reads. Another core may be executing the site
 * meanwhile: it fetches the old instruction or the new one, never a mix (both are in
 * the arch's set that may be changed under a running core). Returns false, writing
 * nothing, when the site holds neither instruction or target is out of the jump's
 * reach (a broken table). arch_icache_sync, on a core: its instruction fetches from
 * now on see every patch written before it, on any core, whose store is ordered before
 * the call (an IPI's release/acquire; on the patching core, program order). */
static inline bool arch_static_branch(const void *key);
bool arch_patch_site(uintptr_t site, uintptr_t target, bool jump);
void arch_icache_sync(void);

/* Semihosting (QEMU -semihosting); returns -1 when the board has none. */
long arch_semihost(long op, void *arg);

_Noreturn void arch_halt(void);           /* interrupts off, WFI forever */

/* What a port calls (portable code, kernel/): its boot entry (boot/<arch>/entry.S)
 * calls kmain(index, nsmp) on the boot core, on its boot stack with interrupts off and
 * .bss cleared, and kmain_secondary(index) on each other core once boot_release is
 * set (kernel.h); neither returns. Its trap entry calls trap_dispatch(frame) for every
 * interrupt (and, where the port doesn't decode them itself, exception), interrupts
 * off, on the interrupted stack, with the frame described above (kernel/trap.c). */
_Noreturn void kmain(int id, int nsmp);
_Noreturn void kmain_secondary(int id);
void trap_dispatch(struct trapframe *tf);
/* The tick, for a port that knows an interrupt is its core's timer without decoding the
 * frame (RISC-V: its own vector slot; ARM: the controller's acknowledge): trap_dispatch's
 * timer case, without the decoding. The timer is still armed for the deadline that
 * fired: rt_timer_interrupt (upcall.h) re-arms it, which is what ends the interrupt
 * (RISC-V: mtimecmp's write; ARM: the level-triggered line drops). */
void trap_tick(struct trapframe *tf);
static inline enum trap_kind tf_kind(const struct trapframe *tf);   /* inline, as tf_pc */
