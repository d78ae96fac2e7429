/* switch.pml: a Promela model of the direct switch's publish order (runtime/switch.h;
 * kernel/<arch>/switch.S, arch_switch_park and arch_switch_yield), for the spin model
 * checker. Run by tests/model/switch.sh.
 *
 * WHAT IS MODELLED
 *   One goroutine g leaving its core by the direct switch, and the two kinds of core
 *   that may reach it as soon as it is published:
 *     Switcher   g's core, in arch_switch_*: save g's registers (saved), store g's new
 *                status S (RUNNABLE for gosched, WAITING for a channel's park), store
 *                the word that hands g over (the ring's tail past g's slot; the
 *                channel lock's word), then resume the next goroutine (nothing more
 *                of g's).
 *     Taker      another core that takes g through the word: for gosched a thief
 *                that sees the tail cover g's slot, steals it and runs it; for a park
 *                a sender that takes the lock, finds g's waiter record and readies it
 *                (the CAS WAITING -> RUNNABLE; casgstatus spins while it fails), then
 *                runs it. Running g (execute's CAS RUNNABLE -> RUNNING, spinning
 *                while a scanner holds SCAN) loads its registers.
 *     Scanner    the collector's suspend_g on g: spins while g runs; on RUNNABLE or
 *                WAITING takes SCAN by CAS, scans g's stack and registers, drops SCAN.
 *   Every store is sequentially consistent here; arch_switch's stores are release
 *   stores and the takers' loads and CASes acquire, which keeps exactly the program
 *   order the model has.
 *   -DEARLY: the negative control: the status and the word stored before the
 *   registers are saved (as a switch that published first and saved after would).
 *   -DWORD_FIRST: the second: the word before the status, so that a taker can find g
 *   still running, which casgstatus does not wait for (it throws).
 *
 * WHAT IS CHECKED
 *   Whoever reads g's registers (the scanner's scan, the taker's resume) finds them
 *   saved; the taker's CASes find the status they expect (or it with SCAN); no
 *   process blocks for ever (spin's invalid end states). */

#define RUNNING   1
#define RUNNABLE  2
#define WAITING   3
#define SCAN      8

#ifndef S
#define S RUNNABLE
#endif

byte status = RUNNING;
bool saved = false;       /* g's registers in its context */
bool word = false;        /* g handed over: the tail covers its slot / the lock is free */

active proctype Switcher()
{
#if defined(EARLY)
    status = S;
    word = true;
    saved = true;
#elif defined(WORD_FIRST)
    saved = true;
    word = true;
    status = S;
#else
    saved = true;
    status = S;
    word = true;
#endif
}

/* casgstatus(from -> to) as the runtime's: the CAS, spinning while a scanner holds
 * from|SCAN; any other state is a throw (casgstatus_slow), here an assertion. */
inline cas(from, to)
{
    atomic {
        assert(status == from || status == (from | SCAN));
        status == from -> status = to
    }
}

active proctype Taker()
{
    word;                                  /* the tail or the lock: g is reachable */
#if S == WAITING
    cas(WAITING, RUNNABLE);                /* goready */
#endif
    cas(RUNNABLE, RUNNING);                /* execute */
    assert(saved)                          /* resume: arch_gogo loads the registers */
}

active proctype Scanner()
{
    do
    :: atomic { (status == RUNNABLE || status == WAITING) -> status = status | SCAN; break }
    :: atomic { status == RUNNING && word -> break }   /* running again: taken and run */
    od;
    if
    :: status & SCAN ->
        assert(saved);                     /* scan_stack_of: the context's registers */
        status = status & ~SCAN
    :: else
    fi
}
