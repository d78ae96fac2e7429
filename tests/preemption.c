/* Go's TestPreemption: two goroutines hand a token back and forth through an atomic in
 * tight loops with no calls; with one P this only works if the spinning one is
 * preempted. Run with gomaxprocs 1 and with all cores. */
//! smp: 1 2 4
//! icount: yes
#include "check.h"

#define ROUNDS 10
static uint32_t token;
static goro_waitgroup wg;

static void player(void *arg)
{
    uint32_t me = (uint32_t)(long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        while (__atomic_load_n(&token, __ATOMIC_RELAXED) != me)
            ;   /* no calls: only the timer interrupt can take the core away */
        __atomic_store_n(&token, 1 - me, __ATOMIC_RELAXED);
    }
    goro_wg_done(&wg);
}

static void run(const char *name)
{
    token = 0;
    goro_wg_add(&wg, 2);
    int64_t t0 = goro_nanotime();
    goro_go(player, (void *)0L);
    goro_go(player, (void *)1L);
    goro_wg_wait(&wg);
    printf("# %s: %d handoffs in %lld us\n", name, 2 * ROUNDS, (long long)(goro_nanotime() - t0) / 1000);
    check(true, name, "");
}

int main(void)
{
    run("handoff with all Ps");
    int old = goro_gomaxprocs(1);
    check(goro_gomaxprocs(0) == 1, "gomaxprocs set to 1", "gomaxprocs %d", goro_gomaxprocs(0));
    run("handoff with one P (preemption)");
    goro_gomaxprocs(old);
    check(goro_gomaxprocs(0) == old, "gomaxprocs restored", "gomaxprocs %d", goro_gomaxprocs(0));
    return check_failures;
}
