/* lockrank: the checking half of lockrank.h's order (LOCKRANK=1 builds only). Each core
 * keeps the locks it holds; taking a lock ranked at or below one held panics, naming
 * both (equal ranks are allowed only for multi ranks, in address order). */
#include <string.h>
#include "kernel.h"

#if GORO_LOCKRANK
static const struct { const char *name; enum lockrank rank; } spin_ranks[] = {
    { "test", RANK_TEST }, { "chan", RANK_CHAN }, { "chan list", RANK_CHAN_LIST },
    { "irq wait", RANK_IRQ_WAIT }, { "irq", RANK_IRQ },
    { "console rx", RANK_CONSOLE_RX }, { "timer", RANK_TIMER },
    { "sched", RANK_SCHED }, { "allg", RANK_ALLG },
    { "gc work", RANK_GCWORK }, { "central", RANK_CENTRAL }, { "heap", RANK_HEAP },
    { "mem", RANK_MEM }, { "newlib pool", RANK_NEWLIB_POOL }, { "trace write", RANK_TRACE_WRITE },
    { "mmu", RANK_MMU }, { "callq", RANK_CALLQ }, { "console", RANK_CONSOLE },
};

/* Raw locks, by the file that takes them (its path as the compiler names it). */
static const struct { const char *file; enum lockrank rank; const char *name; } raw_ranks[] = {
    { "runtime/worldsema.c", RANK_WORLDSEMA, "worldsema" }, { "runtime/mgc.c", RANK_GC, "gc" },
    { "runtime/mutex.c", RANK_MUTEX, "mutex" }, { "runtime/waitgroup.c", RANK_WAITGROUP, "waitgroup" },
    { "runtime/once.c", RANK_ONCE, "once" }, { "runtime/rwmutex.c", RANK_RWMUTEX, "rwmutex" },
    { "runtime/cond.c", RANK_COND, "cond" },
    { "runtime/timer.c", RANK_TIMEROBJ, "timer (one)" }, { "runtime/pacer.c", RANK_ASSIST, "assist" },
};

static const char *rank_names[RANK_COUNT] = {
    [RANK_TEST] = "test", [RANK_WORLDSEMA] = "worldsema", [RANK_GC] = "gc", [RANK_MUTEX] = "mutex",
    [RANK_WAITGROUP] = "waitgroup", [RANK_ONCE] = "once", [RANK_RWMUTEX] = "rwmutex", [RANK_COND] = "cond",
    [RANK_CHAN] = "chan", [RANK_CHAN_LIST] = "chan list",
    [RANK_IRQ_WAIT] = "irq wait", [RANK_IRQ] = "irq", [RANK_CONSOLE_RX] = "console rx",
    [RANK_TIMEROBJ] = "timer (one)", [RANK_TIMER] = "timer", [RANK_SCHED] = "sched", [RANK_ALLG] = "allg",
    [RANK_GCWORK] = "gc work", [RANK_CENTRAL] = "central", [RANK_HEAP] = "heap", [RANK_MEM] = "mem", [RANK_ASSIST] = "assist",
    [RANK_NEWLIB_POOL] = "newlib pool", [RANK_TRACE_WRITE] = "trace write", [RANK_MMU] = "mmu",
    [RANK_CALLQ] = "callq", [RANK_CONSOLE] = "console",
};

static bool multi(enum lockrank r) { return r == RANK_CHAN; }

static void check_and_push(const void *lock, const char *name, enum lockrank rank)
{
    struct cpu *c = arch_cpu();           /* interrupts are off: the caller pushed */
    for (int i = 0; i < c->nheld; i++) {
        const struct held_lock *h = &c->held[i];
        if (h->lock == lock)
            return;                       /* recursion: spin_lock_slow reports it */
        bool ok = h->rank < rank || (h->rank == rank && multi(rank) && (uintptr_t)h->lock < (uintptr_t)lock);
        if (!ok)
            panic("lockrank: core %d takes lock '%s' (rank %d, %s) at %p while holding lock '%s' "
                  "(rank %d, %s) at %p: the order (kernel/lockrank.h) says '%s' first", c->id, name,
                  rank, rank_names[rank], lock, h->name, h->rank, rank_names[h->rank], h->lock,
                  rank < h->rank ? name : h->name);
    }
    if (c->nheld == LOCKRANK_HELD_MAX)
        panic("lockrank: core %d holds %d locks taking '%s'", c->id, c->nheld, name);
    c->held[c->nheld++] = (struct held_lock){ lock, name, (unsigned char)rank };
}

void lockrank_acquire(const void *lock, const char *name, unsigned char *rank)
{
    if (panicking)
        return;
    if (*rank == RANK_UNRANKED) {
        for (size_t i = 0; i < sizeof spin_ranks / sizeof spin_ranks[0]; i++)
            if (!strcmp(spin_ranks[i].name, name))
                *rank = (unsigned char)spin_ranks[i].rank;
        if (*rank == RANK_UNRANKED)
            panic("lockrank: spinlock '%s' has no rank: place it in kernel/lockrank.h's order", name);
    }
    check_and_push(lock, name, (enum lockrank)*rank);
}

void lockrank_raw_acquire(const void *lock, const char *file)
{
    if (panicking)
        return;
    for (size_t i = 0; i < sizeof raw_ranks / sizeof raw_ranks[0]; i++)
        if (!strcmp(raw_ranks[i].file, file)) {
            check_and_push(lock, raw_ranks[i].name, raw_ranks[i].rank);
            return;
        }
    panic("lockrank: a raw lock taken in %s has no rank: place it in kernel/lockrank.h's order", file);
}

/* Locks are released in any order (select unlocks in reverse, park commits later). */
void lockrank_release(const void *lock)
{
    if (panicking)
        return;
    struct cpu *c = arch_cpu();
    for (int i = c->nheld - 1; i >= 0; i--)
        if (c->held[i].lock == lock) {
            c->held[i] = c->held[--c->nheld];
            return;
        }
    panic("lockrank: core %d releases lock %p, which it does not hold", c->id, lock);
}
#endif
