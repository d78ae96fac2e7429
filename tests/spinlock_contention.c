/* Spinlock contention: one goroutine per core increments a shared counter a million
 * times under a kernel spinlock; the total must be exact. */
//! smp: 1 2 4
//! seeds: 2
#include "check.h"
#include "kernel.h"

#define ITERS 1000000
static struct spinlock lock = SPINLOCK_INIT("test");
static volatile long counter;
static goro_waitgroup wg;
static int cores[GORO_SMP_MAX];

static void incr(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERS; i++) {
        spin_lock(&lock);
        if (i == 0)
            cores[cpu_id()]++;
        counter = counter + 1;
        spin_unlock(&lock);
    }
    goro_wg_done(&wg);
}

int main(void)
{
    int n = goro_ncpu();
    goro_wg_add(&wg, n);
    for (int i = 0; i < n; i++)
        goro_go(incr, NULL);
    goro_wg_wait(&wg);
    check(counter == (long)n * ITERS, "spinlock counter exact", "counter %ld, want %ld", counter,
          (long)n * ITERS);
    return check_failures;
}
