/* execprof's workload for a park on a rawlock (gopark_rawunlock): two goroutines on one P,
 * each holding a mutex across a gosched, so each lock of the other's parks (the mutex's
 * wlock released by the park) and each unlock wakes: a round (main's and the other's)
 * is four gosched, two parks and two wakes. PROF_N rounds of main between two calls of
 * prof_mark:
 *   tools/execprof/execprof.py BOARD tools/execprof/mutexpark.c 200 */
#include "goro.h"

#define PROF_N 200
#define WARM 100

void prof_mark(void);
__attribute__((noinline)) void prof_mark(void) { __asm__ volatile("" ::: "memory"); }

static goro_mutex mu;
static volatile int stop;

static void round_trip(void)
{
    goro_mutex_lock(&mu);
    goro_gosched();
    goro_mutex_unlock(&mu);
    goro_gosched();
}

static void other(void *arg)
{
    (void)arg;
    while (!stop)
        round_trip();
}

int main(void)
{
    goro_go(other, NULL);
    for (int i = 0; i < WARM; i++)
        round_trip();
    prof_mark();
    for (int i = 0; i < PROF_N; i++)
        round_trip();
    prof_mark();
    stop = 1;
    return 0;
}
