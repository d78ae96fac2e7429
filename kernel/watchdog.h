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

/* For messages: a limit in milliseconds. */
#define WATCHDOG_MS(ns) ((long long)((ns) / 1000000))
