/* lockrank.h: the one lock order of the project, as ranks (after Go's lockrank.go).
 *
 * Every spinlock and raw lock has a rank; a core may take a lock only if its rank is
 * above the rank of every lock the core holds. Ranks of one kind that are taken
 * several at once (channels, by select) are marked multi: those are taken in address
 * order, and that order is checked too. A build with LOCKRANK=1 (GORO_LOCKRANK)
 * checks every acquisition and panics naming both locks; a normal build compiles the
 * checks out and pays nothing.
 *
 * How a lock finds its rank: a spinlock by its name (SPINLOCK_INIT("name")), looked
 * up once in lockrank.c's table and cached in the lock; a raw lock (runtime/lock.c,
 * the lock words embedded in public types) by the file that takes it, since each
 * kind of raw lock is owned by one file. A lock with no rank is itself an error in a
 * checking build, so a new lock must be placed in this order before it is used.
 *
 * All these locks keep interrupts off while held, so a core's held locks are a
 * per-core list (struct cpu), and an interrupt handler never finds the interrupted
 * code's locks held by "someone else" on its own core. */
#pragma once

#ifndef GORO_LOCKRANK
#define GORO_LOCKRANK 0
#endif

/* Lowest first: the order in which they may be nested. */
enum lockrank {
    RANK_UNRANKED,      /* not looked up yet (spinlock) */
    RANK_TEST,          /* a test's own spinlock ("test"): taken before any of the runtime's */
    RANK_WORLDSEMA,     /* worldsema's waiter queue (runtime/worldsema.c) */
    RANK_GC,            /* gc_lock: cycle requests and waiters (runtime/mgc.c) */
    RANK_MUTEX,         /* a goro_mutex's waiter queue (runtime/mutex.c) */
    RANK_WAITGROUP,     /* a goro_waitgroup (runtime/waitgroup.c) */
    RANK_ONCE,          /* a goro_once (runtime/once.c) */
    RANK_RWMUTEX,       /* a goro_rwmutex's queues (runtime/rwmutex.c) */
    RANK_COND,          /* a goro_cond's waiter list (runtime/cond.c) */
    RANK_CHAN,          /* a channel (multi: select takes several, by address) */
    RANK_CHAN_LIST,     /* every live channel, for the collector (runtime/chan.c) */
    RANK_IRQ_WAIT,      /* irq_wait_lock: a wait's unmask against its line's firing (runtime/irq.c) */
    RANK_IRQ,           /* the interrupt lines' table (kernel/irq.c) */
    RANK_CONSOLE_RX,    /* the console's receive ring (kernel/console_in.c) */
    RANK_TIMEROBJ,      /* a timer's own lock: its starts and stops (runtime/timer.c) */
    RANK_TIMER,         /* a P's timer heap (runtime/timer.c) */
    RANK_SCHED,         /* sched.lock: global run queue, idle Ps (runtime/findrunnable.c) */
    RANK_ALLG,          /* allgs (runtime/proc.c) */
    RANK_GCWORK,        /* the collector's global work list (runtime/mark.c) */
    RANK_CENTRAL,       /* a size class's central span lists (runtime/heap.c) */
    RANK_HEAP,          /* the span allocator (runtime/heap.c) */
    RANK_MEM,           /* the runtime's page allocator (runtime/mem.c) */
    RANK_ASSIST,        /* the pacer's parked debtors (runtime/pacer.c): a leaf */
    RANK_NEWLIB_POOL,   /* newlib's lock pool (runtime/newlib.c) */
    RANK_TRACE_WRITE,   /* the tracer's writer (runtime/tracewrite.c) */
    RANK_MMU,           /* ARM page tables (kernel/arm/mmu.c) */
    RANK_CALLQ,         /* a core's cpu_call queue (kernel/ipi.c) */
    RANK_CONSOLE,       /* console output: last of all (kernel/console.c) */
    RANK_COUNT
};

struct spinlock;
#if GORO_LOCKRANK
void lockrank_acquire(const void *lock, const char *name, unsigned char *rank);
void lockrank_release(const void *lock);
void lockrank_raw_acquire(const void *lock, const char *file);
#endif
