/* The kernel layer's interface to the runtime and to tests: interrupts, spinlocks,
 * console, panic, exit, IPIs and timers. Everything here works on any core. */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cpu.h"
#include "atomic.h"          /* releasing compare-and-swaps (gcc 12 on RISC-V) */
#include "spinlock.h"
#include "watchdog.h"

/* A zero-initialised global that holds no pointer into the collected heap: boot clears
 * it, the collector doesn't scan it as a root (linker.ld). For the runtime's per-core
 * tables: they are large, and their 64-bit times and counters have halves that look
 * like heap addresses on 32-bit boards (a checkmark false positive, and garbage kept). */
#define GORO_NOSCAN __attribute__((section(".bss.noscan")))

/* Interrupt-off sections, nestable (spinlock.c; inline: they are on every lock). */
_Noreturn void intr_pop_fail(void);

static inline __attribute__((always_inline)) struct cpu *intr_push_cpu(void)
{
    bool on = arch_intr_get();
    arch_intr_off();
    struct cpu *c = arch_cpu();
    if (c->noff++ == 0)
        c->intena = on;
    return c;
}

static inline __attribute__((always_inline)) void intr_push(void) { (void)intr_push_cpu(); }

static inline __attribute__((always_inline)) void intr_pop_cpu(struct cpu *c)
{
    if (__builtin_expect(arch_intr_get() || c->noff < 1, 0))
        intr_pop_fail();
    if (--c->noff == 0 && c->intena)
        arch_intr_on();
}

static inline __attribute__((always_inline)) void intr_pop(void) { intr_pop_cpu(arch_cpu()); }

/* Spinlocks' uncontended paths (spinlock.h says what they guarantee). spin_take stores
 * this core's tag, the owner's record (spin_lock_slow's take stores it too); the
 * release's check is one compare of the word with the tag: a free lock (0) or one
 * another core holds fails it. */
static inline __attribute__((always_inline)) void spin_lock(struct spinlock *l)
{
    struct cpu *c = intr_push_cpu();
#if GORO_LOCKRANK
    lockrank_acquire(l, l->name, &l->rank);
#endif
    if (__builtin_expect(!spin_take(&l->locked, c->lock_tag), 0))
        spin_lock_slow(l);
}

/* spin_unlock's checks in LOCKRANK builds (this core holds l; its rank released),
 * without the release: for a lock whose word its holder stores 0 to itself, later
 * (a channel's park releases its lock only once the goroutine's registers are saved:
 * runtime/switch.h). Nothing in other builds, where the store is the whole release: the
 * word is the owner's record too. */
static inline __attribute__((always_inline)) void spin_unlock_check(struct spinlock *l)
{
#if GORO_LOCKRANK
    if (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != arch_cpu()->lock_tag)
        spin_unlock_fail(l);
    lockrank_release(l);
#else
    (void)l;
#endif
}

static inline __attribute__((always_inline)) void spin_unlock(struct spinlock *l)
{
    struct cpu *c = arch_cpu();
    if (__builtin_expect(__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != c->lock_tag, 0))
        spin_unlock_fail(l);
#if GORO_LOCKRANK
    lockrank_release(l);
#endif
    arch_unlock32(&l->locked);
    intr_pop_cpu(c);
}


/* Console (console.c): each call's output is one unit; lines from different cores
 * never interleave. */
void console_write(const char *s, size_t n);
int  kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_fresh_line(void);      /* a newline unless the last byte written was one */
int  kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int  ksnprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Panic (panic.c): message, core, goroutine, backtrace; stops every core; exit 2. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void vpanic(const char *fmt, va_list ap, uintptr_t fp);
_Noreturn void panic_trap(struct trapframe *tf, const char *fmt, ...);
void print_backtrace(uintptr_t fp);
void fatal_begin(void);             /* a fatal report's start: the other cores stopped */
_Noreturn void panic_halt_this_core(void);   /* another core's panic stopped this one (ipi.c) */
extern volatile int panicking;

/* Symbols (symtab.c): function names from the table the build links into the image.
 * Reports name an address with kprintf's %pS, %pN and %pB (fmt.c). */
const char *symbolize(uintptr_t pc, uintptr_t *off);    /* NULL: no function holds pc */

/* Exit (exit.c): the program's end with a status through the board. */
_Noreturn void kexit(int status);

/* Time (time.c). */
int64_t nanotime(void);
uint64_t ns_to_ticks(int64_t ns);

/* IPIs (ipi.c). */
void ipi_send(int cpu, uint32_t bits);
void ipi_handle(struct trapframe *tf);      /* trap_dispatch: this core's pending IPIs */
bool ipi_poll(void);                        /* a masked waiter's IPI, without a trap (ipi.c) */
/* Run fn(arg) on core cpu in interrupt context, soon; does not wait. Returns false if
 * the core's queue is full. */
bool cpu_call(int cpu, void (*fn)(void *), void *arg);
/* For watchdog reports: make core cpu take an interrupt and return the pc it
 * interrupted, *live true. If it takes none within 10 ms (its interrupts are off, or it
 * is halted with them masked), *live is false and the pc is that of its last trap. */
uintptr_t cpu_poke_pc(int cpu, bool *live);
/* Every other core takes an interrupt (cpu_call) that runs arch_icache_sync (icache)
 * and acknowledges; returns once all have, which also means no other core is still in
 * an interrupts-off section begun before the call. Waits with interrupts in any state,
 * so only where every other core will turn its interrupts on: on g0 holding no lock,
 * or with the world stopped. Panics naming what after 2 s (patch.c). */
void sync_other_cores(bool icache, const char *what);

/* Static branches (patch.c): point every site of key at its true path (on) or back to
 * its nop, and make every core see it (sync_other_cores, twice: where it may wait).
 * icache false skips the other cores' arch_icache_sync (a negative control). Returns
 * how many sites there are. */
int static_branch_switch(const void *key, bool on, bool icache, const char *what);
void static_branch_check(void);     /* boot: every site a nop within reach of its target, or panic */

/* Board (board/<name>, kernel/dev). */
void board_console_init(void);
void board_putc(char c);
void board_exit(int status);        /* returns if the board cannot end the program */
void board_cpu_start(int cpu);      /* start a secondary core (where the board needs it) */

/* Boot (main.c). */
uint64_t boot_seed(void);

/* The boot command line (cmdline.c: its words, and why every knob is read through these). */
void cmdline_read(void);
const char *boot_cmdline(void);
const char *boot_word(const char *key, char *buf, size_t n);
int64_t boot_num(const char *key, int64_t lo, int64_t hi, int64_t dflt);
int boot_choice(const char *key, const char *const names[], int dflt);
unsigned boot_flags(const char *key, const char *const names[]);
extern uint32_t boot_release;       /* boot/<arch>/entry.S: set by kmain, frees the other cores */
