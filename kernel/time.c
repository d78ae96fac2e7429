/* Monotonic time from the per-core counter (arch_time_now), in nanoseconds. */
#include "kernel.h"

/* Nanoseconds per tick when the counter's rate divides 10^9 (every board here: 10 MHz,
 * 1 MHz, 62.5 MHz), so that nanotime is one multiply, not a 64-bit division (a libgcc
 * call of a hundred instructions or more on 32-bit ARM, in every timer firing's stamp).
 * 0: not known yet; UINT32_MAX: the rate doesn't divide 10^9. Benign race: every core
 * computes the same value. */
static uint32_t ns_per_tick;

static __attribute__((noinline)) int64_t nanotime_slow(uint64_t t, uint32_t k)
{
    uint64_t hz = arch_time_hz();
    if (k == 0)
        __atomic_store_n(&ns_per_tick, 1000000000ULL % hz ? UINT32_MAX : (uint32_t)(1000000000ULL / hz),
                         __ATOMIC_RELAXED);
    return (int64_t)((t / hz) * 1000000000ULL + (t % hz) * 1000000000ULL / hz);
}

int64_t nanotime(void)
{
    uint64_t t = arch_time_now();
    uint32_t k = __atomic_load_n(&ns_per_tick, __ATOMIC_RELAXED);
    if (__builtin_expect(k == 0 || k == UINT32_MAX, 0))
        return nanotime_slow(t, k);
    return (int64_t)(t * k);
}

uint64_t ns_to_ticks(int64_t ns)
{
    if (ns <= 0)
        return 0;
    uint64_t hz = arch_time_hz();
    return ((uint64_t)ns / 1000000000ULL) * hz + ((uint64_t)ns % 1000000000ULL) * hz / 1000000000ULL;
}
