/* pin.pml: a Promela model of a P's lock-free inbox (runtime/pin.c: pin_push, pin_take,
 * pin_resize, pin_open), for the spin model checker. Run by tests/model/pin.sh.
 *
 * WHAT IS MODELLED
 *   One P's inbox: head (p->pin_head: NIL, a goroutine, or CLOSED), link[g]
 *   (g->schedlink), the owner's pnext (p->pin_next, as a set: its order is not what
 *   is checked), and:
 *     Pusher(g), NG of them   pin_push of goroutine g, from another core (a goready,
 *                             an interrupt handler's, a forwarding thief): load head;
 *                             loop { CLOSED: fail (the caller unpins g and runs it
 *                             elsewhere); link[g] = old; CAS(head, old -> g) }.
 *     Owner                   the P's M: pin_take (exchange head with NIL, the list
 *                             into pnext) and running what it took, one at a time;
 *                             it stops when the world stops (stopreq), and resumes
 *                             when the P is opened again.
 *     Resizer                 procresize shrinking gomaxprocs with the world stopped
 *                             (the owner stopped first), pin_resize: exchange head
 *                             with CLOSED, drain what it read and pnext to the global
 *                             queue; then, nondeterministically, procresize growing
 *                             again: pin_open (head = NIL), the owner restarts.
 *   -DSTATUS_CHECK: the push without the CLOSED marker, as a lock-free pin_push would
 *   be if it kept the old check (the P's status, P_DEAD, read before the CAS; the
 *   resizer sets the status, then takes the list with NIL): the negative control. A
 *   push that read "alive" before the close and CASes after it leaves g on a dead P's
 *   inbox, which no one takes: spin must find that.
 *
 * WHAT IS CHECKED
 *   At the end (every pusher done, the resizer done, the owner stopped with nothing
 *   left or the P closed): every goroutine was run exactly once by the owner, or
 *   drained to the global queue exactly once by the resizer, or its push failed
 *   (seen CLOSED) and its caller ran it elsewhere, and only one of these: none lost,
 *   none run twice. And no process blocks for ever (spin's invalid end states). */

#define NG 2               /* Owner and Check name pnext[0], pnext[1] */
#define NIL 255
#define CLOSED 254

byte head = NIL;
byte link[NG];
bool pnext[NG];          /* taken by the owner, not run yet */
byte ran[NG];            /* by the owner */
byte drained[NG];        /* to the global queue by pin_resize */
byte failed[NG];         /* the push saw CLOSED: run elsewhere */
bool dead = false;       /* the P's status is P_DEAD (STATUS_CHECK's look) */
bool stopreq = false;    /* the world stops: the owner parks */
bool ownerstopped = false;
byte pushersdone = 0;
bool resizedone = false;

proctype Pusher(byte g)
{
    byte old;
#ifdef STATUS_CHECK
    if
    :: dead -> failed[g]++; goto done
    :: else
    fi;
    old = head;
    do
    :: atomic { head == old -> link[g] = old; head = g; break }
    :: else -> old = head
    od;
#else
    old = head;
    do
    :: old == CLOSED -> failed[g]++; goto done
    :: else ->
        link[g] = old;
        if
        :: atomic { head == old -> head = g; break }   /* CAS: release */
        :: atomic { head != old -> old = head }          /* failed CAS reloads */
        fi
    od;
#endif
done:
    pushersdone++
}

/* Reverse nothing: the model keeps pnext as a set. */
inline take_list(x)
{
    do
    :: x == NIL || x == CLOSED -> break
    :: else -> pnext[x] = true; x = link[x]
    od
}

proctype Owner()
{
    byte x;
end_loop:
    do
    :: stopreq && !ownerstopped -> ownerstopped = true
    /* The exchange is the take's one shared step: the walk after it reads only the
     * links its pushers wrote before their CAS, and fills the owner's own pnext, so it
     * is folded into the same step (as is running one: Check must not see a goroutine
     * between pnext and ran). */
    :: atomic { !ownerstopped && head != NIL && head != CLOSED ->
        x = head; head = NIL;                             /* pin_take's exchange */
        take_list(x) }
    :: atomic { !ownerstopped && pnext[0] -> pnext[0] = false; ran[0]++ }   /* run one */
    :: atomic { !ownerstopped && pnext[1] -> pnext[1] = false; ran[1]++ }
    od
}

proctype Resizer()
{
    byte x, i;
    stopreq = true;
    ownerstopped;                                         /* the world stopped */
#ifdef STATUS_CHECK
    dead = true;
    atomic { x = head; head = NIL };
#else
    atomic { x = head; head = CLOSED };                   /* pin_resize's exchange */
#endif
    do
    :: x == NIL || x == CLOSED -> break
    :: else -> drained[x]++; x = link[x]
    od;
    i = 0;
    do                                                    /* pin_next too */
    :: i < NG -> if :: pnext[i] -> pnext[i] = false; drained[i]++ :: else fi; i++
    :: i == NG -> break
    od;
    if
    :: true                                               /* stays dead */
    :: true ->                                            /* grows again: pin_open */
#ifdef STATUS_CHECK
        dead = false;
#endif
        head = NIL;
        atomic { stopreq = false; ownerstopped = false }
    fi;
    resizedone = true
}

/* The end: every pusher and the resizer done, the owner with nothing left to take
 * (or stopped for good): then each goroutine went exactly one way. */
proctype Check()
{
    byte i;
    atomic {
        pushersdone == NG && resizedone &&
        (ownerstopped || ((head == NIL || head == CLOSED) && !pnext[0] && !pnext[1])) ->
        i = 0;
        do
        :: i < NG -> assert(ran[i] + drained[i] + failed[i] == 1); i++
        :: i == NG -> break
        od
    }
}

init {
    atomic {
        byte g = 0;
        do
        :: g < NG -> run Pusher(g); g++
        :: g == NG -> break
        od;
        run Owner();
        run Resizer();
        run Check()
    }
}
