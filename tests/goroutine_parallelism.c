/* Go's TestGoroutineParallelism: P goroutines advance a shared counter strictly in
 * turn with no yields, which works well only if they all run at once on different cores
 * (taking turns by preemption costs a 10 ms slice per step). Each step records the core
 * it ran on: run in parallel, the goroutines are on different cores at almost every
 * step; taken in turns on one P, they share it at almost none. A few shared steps are
 * allowed: a preempted goroutine goes to the global queue (as Go's), and when both are
 * preempted at once their Ps can take each other's, swapping them with a step or two on
 * one core (seen under icount, where both slices end together: 47 of 50). Board time is
 * only printed: under load or icount it says little. It runs twice: on a fresh boot,
 * and after a stop-the-world that found the other Ps idle (goro_gc), so idle Ps must
 * still be woken for new work once the world restarts. */
//! smp: 2 4
//! seeds: 3
//! icount: yes
#include "check.h"
#include "kernel.h"

#define N 50
static uint32_t x;
static int nprocs;
static int core[2][N];
static goro_waitgroup wg;

static void stepper(void *arg)
{
    uint32_t p = (uint32_t)(long)arg, P = (uint32_t)nprocs;
    for (uint32_t i = 0; i < N; i++) {
        while (ATOMIC_LOAD(&x) != P * i + p)
            ;
        core[p][i] = cpu_id();
        ATOMIC_ADD(&x, 1);
    }
    goro_wg_done(&wg);
}

static void round_of(int P, const char *when)
{
    x = 0;
    goro_wg_add(&wg, P);
    int64_t t0 = goro_nanotime();
    for (long p = 0; p < P; p++)
        goro_go(stepper, (void *)p);
    goro_wg_wait(&wg);
    int64_t dt = goro_nanotime() - t0;
    int apart = 0;
    for (int i = 0; i < N; i++)
        apart += P == 1 || core[0][i] != core[1][i];
    printf("# %s: %d goroutines, %d steps each, %d on different cores: %lld us (taking turns: %lld us)\n", when,
           P, N, apart, (long long)dt / 1000, (long long)N * P * 10000LL);
    check(ATOMIC_LOAD(&x) == (uint32_t)(N * P) && apart >= N - 5, when,
          "x = %u of %d, goroutines on different cores at %d of %d steps", x, N * P, apart, N);
}

int main(void)
{
    int P = nprocs = goro_ncpu() < 2 ? goro_ncpu() : 2;
    round_of(P, "in parallel on a fresh boot");
    goro_sleep(20000000);          /* every other P idle, its M asleep */
    goro_gc();                     /* stops the world, taking the idle Ps directly */
    round_of(P, "in parallel after a stop-the-world");
    return check_failures;
}
