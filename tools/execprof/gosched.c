/* execprof's workload for the switch: the gosched_switch of tests/bench/sched_costs.c
 * (two goroutines on one P yielding to each other), a warm-up, then PROF_N calls of
 * goro_gosched by main (2 * PROF_N switches) between two calls of prof_mark:
 *   tools/execprof/execprof.py BOARD tools/execprof/gosched.c 400
 * prints per switch. */
#include "goro.h"

#define PROF_N 200
#define WARM 100

void prof_mark(void);
__attribute__((noinline)) void prof_mark(void) { __asm__ volatile("" ::: "memory"); }

static void yielder(void *arg)
{
    (void)arg;
    for (int i = 0; i < PROF_N + WARM + 10; i++)
        goro_gosched();
}

int main(void)
{
    goro_go(yielder, NULL);
    for (int i = 0; i < WARM; i++)
        goro_gosched();
    prof_mark();
    for (int i = 0; i < PROF_N; i++)
        goro_gosched();
    prof_mark();
    return 0;
}
