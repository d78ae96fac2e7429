/* Timers: a min-heap per P of sleeping goroutines, ordered by wake time (counter
 * ticks). A goroutine's timer lives on the P it slept on; only that P's M fires them
 * (from its timer interrupt, or its scheduler), so a sleeping goroutine costs nothing
 * until its time comes: the core's timer is programmed for the earliest one
 * (set_slice_timer), even while the M sleeps in WFI.
 * timer_lock guards the heap (interrupts off while held); it comes before sched.lock. */
#include "runtime.h"

static uint32_t ntimers_all;   /* atomic: timers on all Ps, for the deadlock check */
/* atomic: timers_run calls between taking timers off a heap and readying their
 * goroutines. Counted with the timers: in that window a goroutine is still waiting
 * and its timer is gone, and checkdead, on another core whose P went idle just then
 * (the firing P's M runs timers in m_sleep with its P idle), must not call it dead. */
static uint32_t nfiring;

static bool less(struct g *a, struct g *b) { return a->timer_when < b->timer_when; }

static void swap(struct p *pp, int i, int j)
{
    struct g *t = pp->timers[i];
    pp->timers[i] = pp->timers[j];
    pp->timers[j] = t;
    pp->timers[i]->timer_idx = i;
    pp->timers[j]->timer_idx = j;
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
    __atomic_store_n(&pp->timer0_when, pp->ntimers ? pp->timers[0]->timer_when : INT64_MAX, __ATOMIC_RELEASE);
}

static bool grow(struct p *pp)
{
    int cap = pp->timers_cap ? pp->timers_cap * 2 : 512;
    struct g **t = page_alloc(cap * sizeof *t);
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

/* Add gp's timer (gp is WAITING) to pp, which the caller owns. */
void timer_add(struct p *pp, struct g *gp, int64_t when)
{
    spin_lock(&pp->timer_lock);
    if (pp->ntimers == pp->timers_cap && !grow(pp))
        throw("timer_add: out of memory for %d timers", pp->ntimers + 1);
    gp->timer_when = when;
    gp->timer_idx = pp->ntimers;
    gp->timer_p = pp;
    pp->timers[pp->ntimers++] = gp;
    sift_up(pp, gp->timer_idx);
    publish(pp);
    __atomic_add_fetch(&ntimers_all, 1, __ATOMIC_RELAXED);
    spin_unlock(&pp->timer_lock);
}

static void remove_at(struct p *pp, int i)
{
    struct g *gp = pp->timers[i];
    int last = --pp->ntimers;
    if (i != last) {
        pp->timers[i] = pp->timers[last];
        pp->timers[i]->timer_idx = i;
        sift_down(pp, i);
        sift_up(pp, i);
    }
    gp->timer_idx = -1;
    gp->timer_p = NULL;
    __atomic_sub_fetch(&ntimers_all, 1, __ATOMIC_SEQ_CST);   /* after nfiring's add (timers_total) */
}

/* Fire every timer of pp due at now (pp's owner, interrupts off); returns how many. */
int timers_run(struct p *pp, int64_t now)
{
    struct g *ready = NULL;
    int n = 0;
    __atomic_add_fetch(&nfiring, 1, __ATOMIC_SEQ_CST);     /* before any timer leaves */
    spin_lock(&pp->timer_lock);
    struct g **tail = &ready;                /* keep wake-time order */
    while (pp->ntimers && pp->timers[0]->timer_when <= now) {
        struct g *gp = pp->timers[0];
        remove_at(pp, 0);
        gp->schedlink = NULL;
        *tail = gp;
        tail = &gp->schedlink;
        n++;
    }
    publish(pp);
    spin_unlock(&pp->timer_lock);
    while (ready) {
        struct g *gp = ready;
        ready = gp->schedlink;
        trace_timer(gp);
        goready(gp);
    }
    __atomic_sub_fetch(&nfiring, 1, __ATOMIC_SEQ_CST);     /* after every goroutine is runnable */
    return n;
}

/* Timers pending or firing. ntimers_all first: a reader that sees a timer gone sees
 * the firing that took it (or its end, and then its goroutine runnable). */
int timers_total(void)
{
    uint32_t pending = __atomic_load_n(&ntimers_all, __ATOMIC_SEQ_CST);
    return (int)(pending + __atomic_load_n(&nfiring, __ATOMIC_SEQ_CST));
}

/* On g0 after gp is WAITING: arm its timer on this M's P. */
static bool sleep_commit(struct g *gp, void *arg)
{
    (void)arg;
    struct m *m = arch_cpu()->m;
    timer_add(m->p, gp, gp->timer_when);
    return true;
}

void goro_sleep(int64_t ns)
{
    if (ns <= 0) {
        goro_gosched();
        return;
    }
    struct g *gp = getg();
    gp->timer_when = (int64_t)(arch_time_now() + ns_to_ticks(ns) + 1);
    gopark(sleep_commit, NULL, "sleep");
}

int64_t goro_nanotime(void) { return nanotime(); }

/* Remove gp's timer if it has one (with the world stopped, or by its P's owner). */
bool timer_del(struct g *gp)
{
    struct p *pp = gp->timer_p;
    if (!pp)
        return false;
    spin_lock(&pp->timer_lock);
    bool had = gp->timer_p == pp && gp->timer_idx >= 0;
    if (had)
        remove_at(pp, gp->timer_idx);
    publish(pp);
    spin_unlock(&pp->timer_lock);
    return had;
}
