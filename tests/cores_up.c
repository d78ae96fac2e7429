/* Every core of the image comes up: ncpu is what the runner asked for, each core runs
 * a function sent to it by IPI, and goroutines run on all of them at once. */
//! smp: 1 2 4 8
//! raw: yes
//! icount: yes
#include "check.h"
#include "kernel.h"

static int seen[GORO_SMP_MAX];

static void mark(void *arg)
{
    (void)arg;
    ATOMIC_ADD(&seen[cpu_id()], 1);
}

static int arrived;
static int cores_hit[GORO_SMP_MAX];

static void spinner(void *arg)
{
    int n = (int)(long)arg;
    ATOMIC_ADD(&cores_hit[goro_cpu()], 1);
    ATOMIC_ADD(&arrived, 1);
    int64_t until = goro_nanotime() + 2000000000LL;
    while (ATOMIC_LOAD(&arrived) < n && goro_nanotime() < until)
        ;
}

int main(void)
{
    int n = expected_smp();
    check(goro_ncpu() == n, "ncpu matches SMP", "goro_ncpu() = %d, want %d", goro_ncpu(), n);
    check(goro_gomaxprocs(0) == n, "gomaxprocs defaults to ncpu", "gomaxprocs %d", goro_gomaxprocs(0));
    for (int i = 0; i < n; i++)
        cpu_call(i, mark, NULL);
    int64_t until = goro_nanotime() + 1000000000LL;
    int up = 0;
    while (goro_nanotime() < until) {
        up = 0;
        for (int i = 0; i < n; i++)
            up += ATOMIC_LOAD(&seen[i]) > 0;
        if (up == n)
            break;
        goro_sleep(1000000);
    }
    check(up == n, "every core answers an IPI", "%d of %d cores answered", up, n);
    goro_waitgroup wg = { 0 };
    for (int i = 0; i < n; i++)
        goro_go(spinner, (void *)(long)n);
    (void)wg;
    until = goro_nanotime() + 3000000000LL;
    while (ATOMIC_LOAD(&arrived) < n && goro_nanotime() < until)
        goro_sleep(1000000);
    int distinct = 0;
    for (int i = 0; i < n; i++)
        distinct += ATOMIC_LOAD(&cores_hit[i]) > 0;
    check(ATOMIC_LOAD(&arrived) == n, "all spinners ran at once", "%d of %d arrived", arrived, n);
    printf("# cores used by %d spinners: %d\n", n, distinct);
    return check_failures;
}
