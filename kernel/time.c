/* Monotonic time from the per-core counter (arch_time_now), in nanoseconds. */
#include "kernel.h"

int64_t nanotime(void)
{
    uint64_t t = arch_time_now(), hz = arch_time_hz();
    return (int64_t)((t / hz) * 1000000000ULL + (t % hz) * 1000000000ULL / hz);
}

uint64_t ns_to_ticks(int64_t ns)
{
    if (ns <= 0)
        return 0;
    uint64_t hz = arch_time_hz();
    return ((uint64_t)ns / 1000000000ULL) * hz + ((uint64_t)ns % 1000000000ULL) * hz / 1000000000ULL;
}
