/* Scale: 10,000 goroutines alive at once (all blocked on one channel), then all exit;
 * then 1,000,000 spawn+exit in a loop without growing memory (stacks and Gs recycled). */
//! smp: 1 4
//! timeout: 120
#include "check.h"
#include "runtime.h"

#define MANY 10000
static goro_chan *gate;
static goro_waitgroup wg;

static void blocked(void *arg)
{
    (void)arg;
    goro_chan_recv(gate, NULL);
    goro_wg_done(&wg);
}

static void empty(void *arg) { (void)arg; }

int main(void)
{
    gate = goro_chan_make(0, 0);
    goro_wg_add(&wg, MANY);
    int started = 0;
    for (int i = 0; i < MANY; i++)
        started += goro_go(blocked, NULL) > 0;
    goro_sleep(10000000);
    int alive = goro_numgoroutine();
    check(started == MANY && alive == MANY + 1, "10,000 goroutines alive at once", "started %d, alive %d",
          started, alive);
    goro_chan_close(gate);
    goro_wg_wait(&wg);
    /* wg_done comes just before each one's exit: give the last ones up to 1 s to get there
     * (a host that deschedules a vCPU can hold a runnable one past a 1 ms sleep). */
    for (int i = 0; i < 1000 && goro_numgoroutine() > 1; i++)
        goro_sleep(1000000);
    check(goro_numgoroutine() == 1, "all of them exit", "%d left", goro_numgoroutine());

    size_t before = 0;
    for (int i = 0; i < 1000000; i++) {
        if (goro_go(empty, NULL) < 0) {
            check(false, "spawn+exit", "goro_go failed at %d", i);
            break;
        }
        if (i % 64 == 63)
            goro_gosched();
        if (i == 100000)
            before = mem_in_use();
    }
    goro_sleep(1000000);
    size_t after = mem_in_use();
    printf("# runtime memory after 100,000 spawns %zu KiB, after 1,000,000 %zu KiB\n", before / 1024, after / 1024);
    check(after <= before + 64 * 1024, "1,000,000 spawn+exit without growing memory", "%zu -> %zu bytes", before,
          after);
    return check_failures;
}
