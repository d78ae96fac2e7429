/* Go's TestGoroutineParallelism: P goroutines advance a shared counter strictly in
 * turn with no yields; it finishes quickly only if they all run at once on different
 * cores (taking turns by preemption would cost a 10 ms slice per step). */
//! smp: 2 4
//! seeds: 3
//! alone: yes
#include "check.h"

#define N 50
static uint32_t x;
static int nprocs;
static goro_waitgroup wg;

static void stepper(void *arg)
{
    uint32_t p = (uint32_t)(long)arg, P = (uint32_t)nprocs;
    for (uint32_t i = 0; i < N; i++) {
        while (ATOMIC_LOAD(&x) != P * i + p)
            ;
        ATOMIC_ADD(&x, 1);
    }
    goro_wg_done(&wg);
}

int main(void)
{
    int P = nprocs = goro_ncpu() < 2 ? goro_ncpu() : 2;
    goro_wg_add(&wg, P);
    int64_t t0 = goro_nanotime();
    for (long p = 0; p < P; p++)
        goro_go(stepper, (void *)p);
    goro_wg_wait(&wg);
    int64_t dt = goro_nanotime() - t0;
    int64_t serial = (int64_t)N * P * 10000000LL;   /* one slice per step */
    printf("# %d goroutines, %d steps each: %lld us (taking turns would need %lld us)\n", P, N,
           (long long)dt / 1000, (long long)serial / 1000);
    check(ATOMIC_LOAD(&x) == (uint32_t)(N * P), "counter advanced in turn", "x = %u", x);
    check(dt < serial / 2, "goroutines ran in parallel", "%lld us, serial bound %lld us", (long long)dt / 1000,
          (long long)serial / 1000);
    return check_failures;
}
