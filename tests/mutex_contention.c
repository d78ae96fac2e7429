/* goro_mutex under contention: N goroutines per core x M increments give the exact
 * total; trylock fails while held; more goroutines than cores means waiters park. */
//! smp: 1 2 4
//! seeds: 2
//! icount: yes
//! lockrank: yes
#include "check.h"

#define M 20000
static goro_mutex mu;
static long counter;
static goro_waitgroup wg;

static void incr(void *arg)
{
    (void)arg;
    for (int i = 0; i < M; i++) {
        goro_mutex_lock(&mu);
        counter++;
        if (i % 1000 == 0)
            goro_gosched();          /* yield while holding: others must park, not spin */
        goro_mutex_unlock(&mu);
    }
    goro_wg_done(&wg);
}

int main(void)
{
    int n = 2 * goro_ncpu() + 1;
    goro_mutex_lock(&mu);
    check(!goro_mutex_trylock(&mu), "trylock fails while held", "it succeeded");
    goro_mutex_unlock(&mu);
    check(goro_mutex_trylock(&mu), "trylock succeeds when free", "it failed");
    goro_mutex_unlock(&mu);
    goro_wg_add(&wg, n);
    for (int i = 0; i < n; i++)
        goro_go(incr, NULL);
    goro_wg_wait(&wg);
    check(counter == (long)n * M, "mutex counter exact", "counter %ld, want %ld", counter, (long)n * M);
    return check_failures;
}
