/* Timers: a min-heap per P of struct timer (timer.h has the contract), ordered by when
 * (counter ticks). A timer lives on the P it was started on; only that P's M fires it
 * (from its timer interrupt, or its scheduler), and only while the P runs, so a
 * pending timer costs nothing until its time comes: the core's timer is programmed for
 * the earliest one (set_slice_timer), even while the M sleeps in WFI.
 *
 * Firing (timers_run), one timer at a time: under timer_lock, take the earliest due
 * timer off the heap (a periodic one: move it to its next period, skipping the periods
 * already past, so a late firing never catches up in a burst), count it running
 * (nrunning) and read its seq; unlock; call f(t, seq); uncount it. timer_stop takes a
 * timer off (under its own rawlock, then its P's timer_lock), bumps seq, then waits for
 * nrunning to drop to 0: a firing already taken off the heap is counted before its
 * t->pp is cleared, so a stopper that finds t->pp NULL sees the count.
 *
 * Locks: t->lock (a rawlock, interrupts off) orders the starts and stops of one timer;
 * then pp->timer_lock (interrupts off) guards pp's heap and the heap fields of the
 * timers in it; it comes before sched.lock. A timer's pp changes only under the
 * timer_lock of the P it leaves or joins, so timer_del finds it by reading t->pp,
 * locking that P and checking t->pp again. */
#include "runtime.h"

static uint32_t ntimers_all;   /* atomic: timers on all Ps, for the deadlock check */
/* atomic: timers_run calls between taking a timer off a heap and its f's return.
 * Counted with the timers: in that window a goroutine is still waiting and its timer is
 * gone, and checkdead, on another core whose P went idle just then, must not call it
 * dead. */
static uint32_t nfiring;

static bool less(struct timer *a, struct timer *b) { return a->when < b->when; }

static void swap(struct p *pp, int i, int j)
{
    struct timer *t = pp->timers[i];
    pp->timers[i] = pp->timers[j];
    pp->timers[j] = t;
    pp->timers[i]->idx = i;
    pp->timers[j]->idx = j;
}

static void sift_up(struct p *pp, int i)
{
    while (i > 0 && less(pp->timers[i], pp->timers[(i - 1) / 2])) {
        swap(pp, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void sift_down(struct p *pp, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < pp->ntimers && less(pp->timers[l], pp->timers[m])) m = l;
        if (r < pp->ntimers && less(pp->timers[r], pp->timers[m])) m = r;
        if (m == i)
            return;
        swap(pp, i, m);
        i = m;
    }
}

static void publish(struct p *pp)
{
    __atomic_store_n(&pp->timer0_when, pp->ntimers ? pp->timers[0]->when : INT64_MAX, __ATOMIC_RELEASE);
}

static bool grow(struct p *pp)
{
    int cap = pp->timers_cap ? pp->timers_cap * 2 : 512;
    struct timer **t = page_alloc(cap * sizeof *t);
    if (!t)
        return false;
    for (int i = 0; i < pp->ntimers; i++)
        t[i] = pp->timers[i];
    if (pp->timers)
        page_free(pp->timers, pp->timers_cap * sizeof *t);
    pp->timers = t;
    pp->timers_cap = cap;
    return true;
}

/* pp->timer_lock held: put t (in no heap) into pp's. */
static void insert(struct p *pp, struct timer *t)
{
    if (pp->ntimers == pp->timers_cap && !grow(pp))
        throw("timer_add: out of memory for %d timers", pp->ntimers + 1);
    t->idx = pp->ntimers;
    pp->timers[pp->ntimers++] = t;
    __atomic_store_n(&t->pp, pp, __ATOMIC_RELEASE);
    sift_up(pp, t->idx);
}

/* Arm t at when on pp (t in no heap; the caller orders it against other starts and
 * stops). False if pp is dead (procresize took its timers already). */
bool timer_add(struct p *pp, struct timer *t, int64_t when)
{
    spin_lock(&pp->timer_lock);
    if (__atomic_load_n(&pp->status, __ATOMIC_ACQUIRE) == P_DEAD) {
        spin_unlock(&pp->timer_lock);
        return false;
    }
    t->when = when;
    insert(pp, t);
    publish(pp);
    __atomic_add_fetch(&ntimers_all, 1, __ATOMIC_RELAXED);
    spin_unlock(&pp->timer_lock);
    return true;
}

/* pp->timer_lock held: take the timer at heap[i] out. */
static void remove_at(struct p *pp, int i)
{
    struct timer *t = pp->timers[i];
    int last = --pp->ntimers;
    if (i != last) {
        pp->timers[i] = pp->timers[last];
        pp->timers[i]->idx = i;
        sift_down(pp, i);
        sift_up(pp, i);
    }
    t->idx = -1;
    __atomic_store_n(&t->pp, NULL, __ATOMIC_RELEASE);
    __atomic_sub_fetch(&ntimers_all, 1, __ATOMIC_SEQ_CST);   /* after nfiring's add (timers_total) */
}

/* Take t off the heap holding it, if any. Any context. */
bool timer_del(struct timer *t)
{
    for (;;) {
        struct p *pp = __atomic_load_n(&t->pp, __ATOMIC_ACQUIRE);
        if (!pp)
            return false;
        spin_lock(&pp->timer_lock);
        if (t->pp == pp) {
            remove_at(pp, t->idx);
            publish(pp);
            spin_unlock(&pp->timer_lock);
            return true;
        }
        spin_unlock(&pp->timer_lock);   /* it moved (fired, or procresize): look again */
    }
}

/* pp->timer_lock held: take the earliest timer, due at or before now, off pp's heap, or
 * move a periodic one to its first period after now; count it running. */
static struct timer *take_due(struct p *pp, int64_t now, uint64_t *seq)
{
    if (!pp->ntimers || pp->timers[0]->when > now) {
        publish(pp);                 /* the last look leaves timer0_when exact */
        return NULL;
    }
    struct timer *t = pp->timers[0];
    __atomic_add_fetch(&t->nrunning, 1, __ATOMIC_RELAXED);   /* before t->pp's release in remove_at */
    *seq = __atomic_load_n(&t->seq, __ATOMIC_RELAXED);
    if (t->period > 0) {
        t->when += t->period * ((now - t->when) / t->period + 1);
        sift_down(pp, 0);
    } else {
        remove_at(pp, 0);
    }
    publish(pp);
    return t;
}

/* Fire every timer of pp due at now (pp's owner, interrupts off); returns how many. */
int timers_run(struct p *pp, int64_t now)
{
    struct m *m = arch_cpu()->m;
    int n = 0;
    __atomic_add_fetch(&nfiring, 1, __ATOMIC_SEQ_CST);     /* before any timer leaves */
    for (;;) {
        uint64_t seq;
        if (__atomic_load_n(&pp->timer0_when, __ATOMIC_ACQUIRE) > now)
            break;                   /* nothing (more) due: no need for the lock */
        spin_lock(&pp->timer_lock);
        struct timer *t = take_due(pp, now, &seq);
        spin_unlock(&pp->timer_lock);
        if (!t)
            break;
        if (m)
            m->firing = t;
        t->f(t, seq);
        if (m)
            m->firing = NULL;
        __atomic_sub_fetch(&t->nrunning, 1, __ATOMIC_RELEASE);   /* t may be freed from here */
        n++;
    }
    __atomic_sub_fetch(&nfiring, 1, __ATOMIC_SEQ_CST);     /* after every f (its goready) */
    return n;
}

/* Timers pending or firing. ntimers_all first: a reader that sees a timer gone sees
 * the firing that took it (or its end, and then what its f readied). */
int timers_total(void)
{
    uint32_t pending = __atomic_load_n(&ntimers_all, __ATOMIC_SEQ_CST);
    return (int)(pending + __atomic_load_n(&nfiring, __ATOMIC_SEQ_CST));
}

/* World stopped (procresize), from already P_DEAD: every timer of from goes to to. */
void timers_move(struct p *from, struct p *to)
{
    spin_lock(&from->timer_lock);
    spin_lock(&to->timer_lock);
    while (from->ntimers) {
        struct timer *t = from->timers[--from->ntimers];
        insert(to, t);
    }
    publish(from);
    publish(to);
    spin_unlock(&to->timer_lock);
    spin_unlock(&from->timer_lock);
}

/* ---- starting and stopping ---- */

/* Interrupts off: a timer due at when was added to pp. Make pp's core notice: ours
 * re-arms its timer if that is earlier; another core is rung if when is pp's earliest
 * (rt_ipi re-arms its timer; an m_sleep looks again). */
static void timer_notify(struct p *pp, struct m *me, int64_t when)
{
    struct m *owner = __atomic_load_n(&pp->m, __ATOMIC_ACQUIRE);
    if (owner && owner == me)
        set_slice_timer(me);
    else if (owner && __atomic_load_n(&pp->timer0_when, __ATOMIC_RELAXED) == when)
        ipi_send(owner->id, IPI_WAKE);
}

struct p *timer_arm(struct timer *t, int64_t when)
{
    rawlock(&t->lock);
    if (__atomic_load_n(&t->pp, __ATOMIC_ACQUIRE))
        throw("timer_start: timer %p is armed already", (void *)t);
    __atomic_store_n(&t->seq, t->seq + 1, __ATOMIC_RELAXED);
    struct m *me = arch_cpu()->m;
    struct p *pp = me ? __atomic_load_n(&me->p, __ATOMIC_ACQUIRE) : NULL;
    if (!pp || !timer_add(pp, t, when)) {   /* no P here, or it is dying: P 0 is always live */
        pp = &ps[0];
        if (!timer_add(pp, t, when))
            throw("timer_start: P 0 is dead");
    }
    rawunlock(&t->lock);
    return pp;
}

void timer_kick(struct p *pp, int64_t when)
{
    timer_notify(pp, arch_cpu()->m, when);
}

void timer_start(struct timer *t, int64_t when)
{
    struct cpu *c = intr_push_cpu();
    struct p *pp = timer_arm(t, when);
    timer_kick(pp, when);                   /* t->lock released: see timer.h */
    intr_pop_cpu(c);
}

bool timer_disarm(struct timer *t)
{
    rawlock(&t->lock);
    bool had = timer_del(t);
    __atomic_store_n(&t->seq, t->seq + 1, __ATOMIC_RELAXED);
    rawunlock(&t->lock);
    return had;
}

void timer_wait_idle(struct timer *t)
{
    struct cpu *c = intr_push_cpu();
    bool mine = c->m && c->m->firing == t;      /* we are t's f: don't wait for ourselves */
    intr_pop_cpu(c);
    if (mine)
        return;
    while (__atomic_load_n(&t->nrunning, __ATOMIC_ACQUIRE))
        arch_relax();
}

bool timer_stop(struct timer *t)
{
    bool had = timer_disarm(t);
    timer_wait_idle(t);
    return had;
}

/* ---- goro_sleep: a goroutine's own timer ---- */

static void sleep_fire(struct timer *t, uint64_t seq)
{
    (void)seq;
    struct g *gp = t->arg;
    trace_timer(gp);
    goready(gp);
}

/* On g0 after gp is WAITING: arm its timer (on this M's P). */
static bool sleep_commit(struct g *gp, void *arg)
{
    (void)arg;
    timer_start(&gp->timer, gp->timer.when);
    return true;
}

void goro_sleep(int64_t ns)
{
    if (ns <= 0) {
        goro_gosched();
        return;
    }
    struct g *gp = getg();
    gp->timer.f = sleep_fire;
    gp->timer.arg = gp;
    gp->timer.when = (int64_t)(arch_time_now() + ns_to_ticks(ns) + 1);
    gopark_commit(sleep_commit, NULL, "sleep");
}

int64_t goro_nanotime(void) { return nanotime(); }
