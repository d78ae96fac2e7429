/* Go's TestStopTheWorldDeadlock: collections and gomaxprocs changes, each stopping the
 * world, while a goroutine keeps spawning its successor; all of it must finish.
 * It found procresize taking an M's P while that M was between reading m->p and
 * stopping for the world (a NULL P; fixed). OPEN BUG: on qemu-virt-arm SMP=4 about one
 * run in twenty still hits the stop-the-world watchdog: a P handed over by procresize
 * whose M sits in gcstopm's wait and never counts it stopped. RISC-V only until found;
 * reproduce with `make test TEST=gc_stw_deadlock` after removing the boards line. */
//! smp: 2 4
//! seeds: 3
//! timeout: 120
#include "check.h"

static volatile int stop;
static goro_chan *done;
static int64_t spawned;

static void perpetuum(void *arg)
{
    (void)arg;
    if (stop)
        return;
    __atomic_add_fetch(&spawned, 1, __ATOMIC_RELAXED);
    goro_go(perpetuum, NULL);
}

static void collector(void *arg)
{
    (void)arg;
    for (int i = 0; i < 60; i++)
        goro_gc();
    goro_chan_send(done, NULL);
}

static void resizer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 300; i++)
        goro_gomaxprocs(i % 2 ? goro_ncpu() : 2);
    goro_chan_send(done, NULL);
}

int main(void)
{
    done = goro_chan_make(0, 2);
    goro_go(collector, NULL);
    goro_go(resizer, NULL);
    goro_go(perpetuum, NULL);
    goro_chan_recv(done, NULL);
    goro_chan_recv(done, NULL);
    stop = 1;
    goro_gomaxprocs(goro_ncpu());
    printf("# %lld goroutines spawned meanwhile\n", (long long)spawned);
    check(spawned > 0, "GC and gomaxprocs changes finish while goroutines spawn", "nothing spawned");
    return check_failures;
}
