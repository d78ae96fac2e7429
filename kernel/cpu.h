/* Per-core state: one struct cpu per core brought up, reached through arch_cpu(). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "arch.h"
#include "spinlock.h"

#ifndef GORO_SMP_MAX
#error "GORO_SMP_MAX (most cores any build of this board has) must be defined by the Makefile"
#endif

struct m;
struct tracecpu;

/* IPI messages, one bit each in cpu->ipi_bits (set by the sender, atomically). */
enum {
    IPI_HALT    = 1u << 0,  /* a panic stops this core */
    IPI_CALL    = 1u << 1,  /* run the queued cpu_call functions */
    IPI_PREEMPT = 1u << 2,  /* the runtime asks the running goroutine to stop */
    IPI_WAKE    = 1u << 3,  /* the runtime has work for an idle M */
};

#define CPU_CALLQ 16
#define LOCKRANK_HELD_MAX 24    /* select locks up to its cases' channels */

struct cpu {
    struct cpu *self;       /* first: a struct cpu is the boot thread of its core */
    /* Owned by this core; read by others only for reports. */
    int id;
    uint32_t lock_tag;      /* id + 1 (cpu_set_id): what this core's acquisitions store
                             * in a spinlock's word (spinlock.h) */
    _Alignas(8) int noff;   /* depth of intr_push() nesting */
    int mlocks;             /* the runtime's: > 0 while this core's M is non-preemptible
                             * (acquirem, runtime/sched.c). Beside noff: the direct switch
                             * reads both with one load (runtime/switch.h) */
    bool intena;            /* were interrupts on before the outermost intr_push()? */
    struct m *m;            /* the runtime's M for this core */
    struct tracecpu *trace; /* the runtime tracer's state for this core (set once at boot) */
    unsigned long ticks;    /* timer interrupts taken (a machine word: one add per tick) */
    uint64_t ipis;          /* IPIs taken */
    uintptr_t last_pc;      /* pc interrupted by the last trap (watchdog reports) */
    /* Atomic: set by any core. */
    uint32_t ipi_bits;
    /* cpu_call queue: guarded by callq_lock (a spinlock; interrupts off while held). */
    struct {
        void (*fn)(void *);
        void *arg;
    } callq[CPU_CALLQ];
    uint32_t callq_head, callq_tail;
    struct spinlock callq_lock;
#if GORO_LOCKRANK
    /* The locks this core holds (lockrank.c); owned by this core. */
    struct held_lock { const void *lock; const char *name; unsigned char rank; } held[LOCKRANK_HELD_MAX];
    int nheld;
#endif
} __attribute__((aligned(64)));

extern struct cpu cpus[GORO_SMP_MAX];
extern int ncpu;            /* cores up; written once by the boot core before release */

static inline int cpu_id(void) { return arch_cpu()->id; }

/* A core's identity, set before its struct cpu becomes its thread (arch_set_thread),
 * so before any lock is taken on it: a tag of 0 would "take" a lock by storing 0,
 * leaving it free. */
static inline void cpu_set_id(struct cpu *c, int id)
{
    c->self = c;
    c->id = id;
    c->lock_tag = (uint32_t)id + 1;
}
