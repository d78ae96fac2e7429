/* watchdog.h: every watchdog limit of the project in one place, in board time (ns).
 * A watchdog turns a hang into a report: a wait that outlives its limit panics naming
 * what it waited for. The limits are ordered, and the order is checked here, because a
 * report is only useful when the innermost stuck wait speaks first:
 *
 *   WATCHDOG_POKE_NS  <  WATCHDOG_LOCK_NS  <  GORO_WATCHDOG_NS  <  WATCHDOG_BOOT_NS
 *   (a core that      (a spinlock, or a     (the world: stop-the-   (every core
 *    takes no IPI:     scanner's SCAN bit    world, forEachP,         up at boot)
 *    a report's        in casgstatus)        suspend_g, the cores'
 *    detail)                                 sync of static branches)
 *
 * A stop-the-world that waits on a P whose M spins on a lock must see the lock's report,
 * not its own; a watchdog report pokes the stuck core (cpu_poke_pc) and must get its
 * answer well inside its own limit. Each limit can be set at build time
 * (EXTRA_CFLAGS=-DGORO_WATCHDOG_NS=...); the lock and poke limits follow the world's
 * unless set themselves, and a setting that inverts the order does not compile
 * (tests/host/watchdog.sh proves it). */
#pragma once
#include <stdint.h>

#ifndef GORO_WATCHDOG_NS
#define GORO_WATCHDOG_NS 2000000000LL            /* the world's waits: 2 s */
#endif
#ifndef WATCHDOG_LOCK_NS
#define WATCHDOG_LOCK_NS (GORO_WATCHDOG_NS / 2)  /* spinlocks, casgstatus: 1 s */
#endif
#ifndef WATCHDOG_POKE_NS
#define WATCHDOG_POKE_NS (GORO_WATCHDOG_NS / 200) /* cpu_poke_pc's answer: 10 ms */
#endif
#ifndef WATCHDOG_BOOT_NS
#define WATCHDOG_BOOT_NS 10000000000LL           /* all cores up: generous, a host thread
                                                    of MTTCG may wait long for a CPU */
#endif

_Static_assert(WATCHDOG_POKE_NS > 0 && WATCHDOG_POKE_NS < WATCHDOG_LOCK_NS,
               "watchdog.h: a poke's answer must come inside the lock watchdog");
_Static_assert(WATCHDOG_LOCK_NS < GORO_WATCHDOG_NS,
               "watchdog.h: a lock's watchdog must fire before the world's");
_Static_assert(GORO_WATCHDOG_NS < WATCHDOG_BOOT_NS,
               "watchdog.h: the world's watchdog must be below the boot limit");

#ifndef WATCHDOG_STALL_NS
#define WATCHDOG_STALL_NS (WATCHDOG_LOCK_NS / 20) /* a gap between two looks: 50 ms */
#endif
_Static_assert(WATCHDOG_STALL_NS > 0 && WATCHDOG_STALL_NS < WATCHDOG_LOCK_NS,
               "watchdog.h: a stall of the waiter must be shorter than a lock's limit");

/* A watchdog's clock counts the time the waiter itself ran. Under MTTCG board time
 * follows the host's, and a vCPU thread the host does not run for a while (seen in soaks
 * at load 20 on 2 CPUs under nice 19) came back to find its limit passed although what
 * it waited for had answered meanwhile: the reports named a wait that had already ended
 * (forEachP's watchdog naming its own P, with no other P pending), or a 2 s GC pause with
 * nothing stuck. A gap of more than WATCHDOG_STALL_NS between two looks of a waiter that
 * looks every few microseconds is such a stall of the waiter: it does not count. A real
 * hang still fires on time, since the waiter goes on looking. (A host stall of the core
 * waited for is not told apart: its report says whether it took the poke.) */
struct watchdog { uint64_t start, last, stall; };

/* now and stall (WATCHDOG_STALL_NS) in the caller's clock, ticks. */
static inline void watchdog_start(struct watchdog *w, uint64_t now, uint64_t stall)
{
    w->start = w->last = now;
    w->stall = stall;
}

/* How long the waiter has waited by now, its own stalls not counted. */
static inline uint64_t watchdog_waited(struct watchdog *w, uint64_t now)
{
    if (now - w->last > w->stall)
        w->start += now - w->last;
    w->last = now;
    return now - w->start;
}

/* For messages: a limit in milliseconds. */
#define WATCHDOG_MS(ns) ((long long)((ns) / 1000000))
