/* goro_once, goro_rwmutex, goro_cond (and the goro_goroutines snapshot they are checked
 * with): once runs fn exactly once and holds every caller until it has returned; readers
 * share, writers exclude; a waiting writer blocks a reader that arrives after it (shown
 * with the reader seen parked; sync_rw_no_writer_pref.c is the negative control);
 * cond signal wakes one waiter, broadcast all, a bounded buffer loses nothing. With
 * rwdebug= on the command line only the writer-preference case runs. */
//! smp: 1 2 4
//! seeds: 2
//! lockrank: yes
#include "check.h"

/* ---- helpers ---- */
static goro_ginfo snap[256];

/* Goroutines parked with this wait reason now. */
static int parked(const char *reason)
{
    int n = goro_goroutines(snap, 256), k = 0;
    for (int i = 0; i < n && i < 256; i++)
        k += !strcmp(snap[i].state, "waiting") && !strcmp(snap[i].waitreason, reason);
    return k;
}

/* Wait up to 2 s for want goroutines parked on reason; true if seen. */
static bool wait_parked(const char *reason, int want)
{
    for (int64_t end = goro_nanotime() + 2000000000LL; goro_nanotime() < end; goro_sleep(200000))
        if (parked(reason) >= want)
            return true;
    return false;
}

/* ---- goro_once ---- */
static goro_once once;
static int once_runs, once_value, once_early, once_release;
static goro_waitgroup once_wg;

static void once_fn(void *arg)
{
    ATOMIC_ADD(&once_runs, 1);
    for (int64_t end = goro_nanotime() + 2000000000LL; !ATOMIC_LOAD(&once_release) && goro_nanotime() < end;)
        goro_sleep(200000);               /* until main has seen the other callers parked */
    ATOMIC_STORE(&once_value, (int)(intptr_t)arg);
}

static void once_caller(void *arg)
{
    goro_once_do(&once, once_fn, arg);
    if (ATOMIC_LOAD(&once_value) != 42)   /* returned before fn did */
        ATOMIC_ADD(&once_early, 1);
    goro_wg_done(&once_wg);
}

static void test_once(void)
{
    int n = 4 * goro_ncpu() + 2;
    goro_wg_add(&once_wg, n);
    for (int i = 0; i < n; i++)
        goro_go(once_caller, (void *)(intptr_t)42);
    check(wait_parked("once", n - 1), "once: the other callers park while fn runs", "%d of %d seen parked",
          parked("once"), n - 1);
    ATOMIC_STORE(&once_release, 1);
    goro_wg_wait(&once_wg);
    goro_once_do(&once, once_fn, (void *)(intptr_t)7);
    check(ATOMIC_LOAD(&once_runs) == 1, "once: fn runs exactly once", "ran %d times", once_runs);
    check(once_early == 0 && once_value == 42, "once: every caller returns after fn",
          "%d of %d returned early, value %d", once_early, n, once_value);
}

/* ---- goro_rwmutex ---- */
static goro_rwmutex rw;
static int rw_inside, rw_saw_all, rw_writers_in, rw_bad;
static long rw_counter;
static goro_waitgroup rw_wg;
#define READERS 4

static void parallel_reader(void *arg)
{
    (void)arg;
    goro_rw_rlock(&rw);
    int in = ATOMIC_ADD(&rw_inside, 1);
    for (int64_t end = goro_nanotime() + 2000000000LL; ATOMIC_LOAD(&rw_inside) < READERS &&
                                                      goro_nanotime() < end;)
        goro_gosched();
    (void)in;
    if (ATOMIC_LOAD(&rw_inside) == READERS)   /* all of them hold it at once */
        ATOMIC_ADD(&rw_saw_all, 1);
    goro_rw_runlock(&rw);
    goro_wg_done(&rw_wg);
}

#define ROUNDS 1000
static void mixed_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        goro_rw_lock(&rw);
        if (ATOMIC_ADD(&rw_writers_in, 1) != 1 || ATOMIC_LOAD(&rw_inside) != 0)
            ATOMIC_ADD(&rw_bad, 1);
        rw_counter++;
        if (i % 16 == 0)
            goro_gosched();               /* others must park, not slip in */
        ATOMIC_ADD(&rw_writers_in, -1);
        goro_rw_unlock(&rw);
    }
    goro_wg_done(&rw_wg);
}

static void mixed_reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        goro_rw_rlock(&rw);
        ATOMIC_ADD(&rw_inside, 1);
        if (ATOMIC_LOAD(&rw_writers_in) != 0)
            ATOMIC_ADD(&rw_bad, 1);
        if (i % 16 == 0)
            goro_gosched();
        ATOMIC_ADD(&rw_inside, -1);
        goro_rw_runlock(&rw);
    }
    goro_wg_done(&rw_wg);
}

static void test_rw_shared_and_exclusive(void)
{
    goro_wg_add(&rw_wg, READERS);
    for (int i = 0; i < READERS; i++)
        goro_go(parallel_reader, NULL);
    goro_wg_wait(&rw_wg);
    check(rw_saw_all == READERS, "rwmutex: readers hold it together", "%d of %d saw all inside",
          rw_saw_all, READERS);
    int writers = goro_ncpu() + 1, readers = 2 * goro_ncpu();
    rw_inside = 0;
    goro_wg_add(&rw_wg, writers + readers);
    for (int i = 0; i < writers + readers; i++)
        goro_go(i < readers ? mixed_reader : mixed_writer, NULL);
    goro_wg_wait(&rw_wg);
    int nw = writers;
    check(rw_bad == 0, "rwmutex: a writer excludes readers and writers", "%d overlaps", rw_bad);
    check(rw_counter == (long)nw * ROUNDS, "rwmutex: writers' counter exact", "%ld, want %ld", rw_counter,
          (long)nw * ROUNDS);
}

static int order_seq, writer_at, reader_at, late_reader_got;

static void waiting_writer(void *arg)
{
    (void)arg;
    goro_rw_lock(&rw);
    writer_at = ++order_seq;
    goro_rw_unlock(&rw);
    goro_wg_done(&rw_wg);
}

static void late_reader(void *arg)
{
    (void)arg;
    goro_rw_rlock(&rw);
    ATOMIC_STORE(&late_reader_got, 1);
    reader_at = ++order_seq;               /* readers exclude the writer: no race */
    goro_rw_runlock(&rw);
    goro_wg_done(&rw_wg);
}

static void test_rw_writer_preference(void)
{
    goro_rw_rlock(&rw);                   /* a reader holds it */
    goro_wg_add(&rw_wg, 2);
    goro_go(waiting_writer, NULL);
    check(wait_parked("rwmutex lock", 1), "rwmutex: a writer waits for a reader", "writer never parked");
    goro_go(late_reader, NULL);
    bool parked_seen = false;
    for (int64_t end = goro_nanotime() + 2000000000LL; goro_nanotime() < end && !parked_seen &&
                                                      !ATOMIC_LOAD(&late_reader_got); goro_sleep(200000))
        parked_seen = parked("rwmutex rlock") == 1;
    check(parked_seen && !ATOMIC_LOAD(&late_reader_got), "rwmutex: a reader arriving after a waiting writer waits",
          "%s", ATOMIC_LOAD(&late_reader_got) ? "it got the read lock past the writer" : "never seen parked");
    goro_rw_runlock(&rw);
    goro_wg_wait(&rw_wg);
    check(writer_at == 1 && reader_at == 2, "rwmutex: the writer goes first, then the late reader",
          "writer %d, reader %d", writer_at, reader_at);
}

/* ---- goro_cond ---- */
static goro_mutex cmu;
static goro_cond cnd, notfull, notempty;
static int go_flag, woken;

static void cond_waiter(void *arg)
{
    (void)arg;
    goro_mutex_lock(&cmu);
    while (!go_flag)
        goro_cond_wait(&cnd, &cmu);
    if (goro_mutex_trylock(&cmu))         /* it must hold cmu on return */
        ATOMIC_ADD(&rw_bad, 1000);
    woken++;
    go_flag--;
    goro_mutex_unlock(&cmu);
    goro_wg_done(&rw_wg);
}

static void test_cond_signal_broadcast(void)
{
    enum { W = 5 };
    goro_wg_add(&rw_wg, W);
    for (int i = 0; i < W; i++)
        goro_go(cond_waiter, NULL);
    check(wait_parked("cond", W), "cond: waiters park", "not all seen parked");
    goro_mutex_lock(&cmu);
    go_flag = 1;
    goro_cond_signal(&cnd);
    goro_mutex_unlock(&cmu);
    for (int64_t end = goro_nanotime() + 2000000000LL; goro_nanotime() < end && parked("cond") != W - 1;)
        goro_sleep(200000);
    goro_sleep(5000000);                  /* time for a second (wrong) wake to show */
    goro_mutex_lock(&cmu);
    int after_signal = woken;
    go_flag = W;
    goro_cond_broadcast(&cnd);
    goro_mutex_unlock(&cmu);
    check(after_signal == 1 && parked("cond") <= W - 1, "cond: signal wakes exactly one", "%d woke", after_signal);
    goro_wg_wait(&rw_wg);
    check(woken == W && rw_bad == 0, "cond: broadcast wakes all, each holding the mutex",
          "%d of %d woke, %d bad", woken, W, rw_bad);
}

enum { CAP = 4, ITEMS = 2000 };
static long ring[CAP];
static int ring_n, ring_head;
static long consumed_sum, consumed_n;

static void producer(void *arg)
{
    long base = (long)arg * ITEMS;
    for (long i = 1; i <= ITEMS; i++) {
        goro_mutex_lock(&cmu);
        while (ring_n == CAP)
            goro_cond_wait(&notfull, &cmu);
        ring[(ring_head + ring_n++) % CAP] = base + i;
        goro_cond_signal(&notempty);
        goro_mutex_unlock(&cmu);
    }
    goro_wg_done(&rw_wg);
}

static void consumer(void *arg)
{
    long want = (long)arg;
    for (long i = 0; i < want; i++) {
        goro_mutex_lock(&cmu);
        while (ring_n == 0)
            goro_cond_wait(&notempty, &cmu);
        consumed_sum += ring[ring_head];
        consumed_n++;
        ring_head = (ring_head + 1) % CAP;
        ring_n--;
        goro_cond_signal(&notfull);
        goro_mutex_unlock(&cmu);
    }
    goro_wg_done(&rw_wg);
}

static void test_cond_bounded_buffer(void)
{
    int np = goro_ncpu() + 1, nc = 3;
    long total = (long)np * ITEMS;
    goro_wg_add(&rw_wg, np + nc);
    for (long i = 0; i < np; i++)
        goro_go(producer, (void *)i);
    for (int i = 0; i < nc; i++)
        goro_go(consumer, (void *)(total / nc + (i < total % nc)));
    goro_wg_wait(&rw_wg);
    long want = 0;
    for (long p = 0; p < np; p++)
        want += p * ITEMS * ITEMS + (long)ITEMS * (ITEMS + 1) / 2;
    check(consumed_n == total && consumed_sum == want && ring_n == 0, "cond: bounded buffer loses nothing",
          "%ld items sum %ld, want %ld sum %ld", consumed_n, consumed_sum, total, want);
}

/* ---- goro_goroutines ---- */
static goro_chan *block_ch;
static void blocked_fn(void *arg)
{
    (void)arg;
    goro_chan_recv(block_ch, NULL);
}

static void test_goroutines_snapshot(void)
{
    block_ch = goro_chan_make(0, 0);
    int64_t id = goro_go(blocked_fn, NULL);
    check(wait_parked("chan receive", 1), "goroutines: a parked one shows its wait reason", "not seen");
    int n = goro_goroutines(snap, 256), user = 0, counted = -1;
    /* Earlier cases' goroutines may still be exiting: retry (2 s) until the count is
     * steady across the snapshot and matches it. */
    for (int64_t end = goro_nanotime() + 2000000000LL; goro_nanotime() < end; goro_sleep(500000)) {
        counted = goro_numgoroutine();
        n = goro_goroutines(snap, 256);
        user = 0;
        for (int i = 0; i < n; i++)
            user += !snap[i].system;
        if (user == counted && counted == goro_numgoroutine())
            break;
    }
    const goro_ginfo *b = NULL, *me = NULL;
    int unsorted = 0;
    for (int i = 0; i < n; i++) {
        b = snap[i].id == id ? &snap[i] : b;
        me = snap[i].id == goro_id() ? &snap[i] : me;
        unsorted += i > 0 && snap[i - 1].id >= snap[i].id;
    }
    check(unsorted == 0, "goroutines: sorted by id", "%d out of order", unsorted);
    check(b && b->fn == (void *)blocked_fn && b->core == -1 && !b->system &&
          (!b->fn_name || !strcmp(b->fn_name, "blocked_fn")), "goroutines: entry, core -1, name of a parked one",
          "%s", b ? b->fn_name ? b->fn_name : "(no name)" : "missing");
    check(me && !strcmp(me->state, "running") && me->core >= 0 && me->core < goro_ncpu() && !*me->waitreason,
          "goroutines: the caller is running on a core", "state %s core %d", me ? me->state : "missing",
          me ? me->core : -2);
    check(user == counted, "goroutines: user ones match goro_numgoroutine", "%d vs %d", user, counted);
    /* The total can still move after the steady look above (a goroutine of an earlier
     * case exiting, a runtime goroutine starting: sifive-u SMP 2 saw it once in 1226
     * runs): the three counts must agree at one moment, within the same 2 s. */
    int all = -1, beyond = -2, counting = -3;
    for (int64_t end = goro_nanotime() + 2000000000LL; goro_nanotime() < end; goro_sleep(500000)) {
        all = goro_goroutines(snap, 256);
        beyond = goro_goroutines(snap, 1);
        counting = goro_goroutines(NULL, 0);
        if (beyond == all && counting == all && goro_goroutines(snap, 256) == all)
            break;
    }
    check(beyond == all && counting == all && goro_goroutines(snap, -1) == GORO_EINVAL &&
          goro_goroutines(NULL, 3) == GORO_EINVAL, "goroutines: count beyond max, bad arguments",
          "wrong (%d with max 1, %d with NULL, %d in all)", beyond, counting, all);
    goro_chan_close(block_ch);
}

int main(void)
{
    if (strstr(boot_cmdline(), "rwdebug=")) {     /* the negative control */
        test_rw_writer_preference();
        return check_failures;
    }
    test_once();
    test_rw_shared_and_exclusive();
    test_rw_writer_preference();
    test_cond_signal_broadcast();
    test_cond_bounded_buffer();
    test_goroutines_snapshot();
    return check_failures;
}
