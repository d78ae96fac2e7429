/* The g0 (scheduler) stacks have a guard too: a function run on g0 (systemstack) that
 * recurses past the 12 KiB above the boot stack's guard panics naming the core's g0 at
 * its first store into the guard, before reaching the stack below (another core's boot
 * stack, or what precedes them). Expected failure, message checked. */
//! smp: 1
//! expect: exit 2
//! output: ^panic: core 0 scheduler stack \(g0\) overflow \(stack 0x[0-9a-f]+-0x[0-9a-f]+\): fault at 0x[0-9a-f]+ in its guard$
#include "check.h"
#include "runtime.h"

#define FRAME_WORDS 64

static uint32_t dig(int depth)
{
    volatile uint32_t buf[FRAME_WORDS];
    for (int i = 0; i < FRAME_WORDS; i++)
        buf[i] = (uint32_t)depth;
    uint32_t r = 0;
    if (depth < 24 * 1024 / (FRAME_WORDS * 4))     /* 24 KiB: past the 16 KiB boot stack */
        r = dig(depth + 1);
    return r + buf[0];
}

static void on_g0(void *arg)
{
    *(uint32_t *)arg = dig(0);
}

int main(void)
{
    uint32_t r = 0;
    systemstack(on_g0, &r, NULL);
    printf("not ok - stack_guard_g0: 24 KiB of frames on g0 went unnoticed (%u)\n", (unsigned)r);
    return 1;
}
