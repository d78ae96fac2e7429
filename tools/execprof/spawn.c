/* execprof's spawn workload: sched_costs' spawn_exit (a goro_go of an empty function,
 * then a gosched, which runs it to its exit), PROF_N times between two prof_marks. */
#include "goro.h"

#define PROF_N 200
#define WARM 100

void prof_mark(void);
__attribute__((noinline)) void prof_mark(void) { __asm__ volatile("" ::: "memory"); }

static void empty(void *arg) { (void)arg; }

int main(void)
{
    for (int i = 0; i < WARM; i++) {
        goro_go(empty, NULL);
        goro_gosched();
    }
    prof_mark();
    for (int i = 0; i < PROF_N; i++) {
        goro_go(empty, NULL);
        goro_gosched();
    }
    prof_mark();
    return 0;
}
