/* bench.h: benchmarks print `bench <name> <value> <unit>`; the runner adds the board.
 * Under -icount shift=0,sleep=off one nanosecond of board time is one instruction
 * (of all cores together), so nanotime differences are instruction counts. */
#pragma once
#include <stdio.h>
#include "goro.h"

static inline void report(const char *name, double value, const char *unit)
{
    printf("bench %s %.1f %s\n", name, value, unit);
}
