/* A goroutine that overflows its stack by a burst of frames faults in the guard below
 * it and panics naming itself, before it writes a byte of the goroutine whose stack
 * lies below (the canary, checked only at switches and ticks, would see it after the
 * neighbour's frames were overwritten). The shape of the bug report that asked for the
 * RISC-V guard: 192-byte frames running past an 8 KiB stack, beside a goroutine with a
 * 4 KiB stack. On every board: ARM's guard page, RISC-V's PMP guard.
 * Expected failure, message checked: the guard, not the canary, must catch it. Its
 * negative control, stack_guard_off.c (stackguard=off), prints `not ok` instead. */
//! smp: 1 2
//! expect: exit 2
//! output: ^panic: goroutine \d+ stack overflow \(function 0x[0-9a-f]+ \(overflow\), stack 0x[0-9a-f]+-0x[0-9a-f]+, 8192 bytes\): fault at 0x[0-9a-f]+ in its guard$
#include "check.h"
#include "runtime.h"

#define STACK 8192                   /* not the default size: fresh, adjacent blocks */
#define VICTIM_STACK 4096
#define FRAME_WORDS 48               /* 192-byte buffers, every byte written */
#define MARK_WORDS 64
#define MARK 0x5a5aa5a5u

static goro_chan *ready, *gate;
static volatile uint32_t *victim_mark;   /* the victim's frame, just below our stack */
static int64_t victim_id;

static void victim(void *arg)
{
    (void)arg;
    volatile uint32_t mark[MARK_WORDS];
    for (int i = 0; i < MARK_WORDS; i++)
        mark[i] = MARK;
    victim_mark = mark;
    victim_id = goro_id();
    goro_chan_send(ready, NULL);
    goro_chan_recv(gate, NULL);      /* parked for good: its stack is nobody's to write */
}

/* Recurse until our frame lies below the victim's mark (or 4 stacks deep). */
static uint32_t dig(int depth)
{
    volatile uint32_t buf[FRAME_WORDS];
    for (int i = 0; i < FRAME_WORDS; i++)
        buf[i] = (uint32_t)depth;
    uint32_t r = 0;
    if ((uintptr_t)buf > (uintptr_t)victim_mark && depth < 4 * STACK / (FRAME_WORDS * 4))
        r = dig(depth + 1);
    return r + buf[0];
}

static void overflow(void *arg)
{
    (void)arg;
    volatile uint32_t top;
    uintptr_t dist = (uintptr_t)&top - (uintptr_t)victim_mark;
    if (dist > STACK + VICTIM_STACK + 4096) {
        kprintf("not ok - stack_guard: the victim's stack is not right below ours (%p, %p)\n",
                (void *)&top, (void *)victim_mark);
        goro_exit(1);
    }
    /* Interrupts off: no tick checks the canary before the victim is looked at. A data
     * abort or access fault is not masked by them. */
    intr_push();
    dig(0);
    int bad = 0;
    for (int i = 0; i < MARK_WORDS; i++)
        bad += victim_mark[i] != MARK;
    kprintf("not ok - stack_guard: goroutine %lld ran off its stack into goroutine %lld's frame "
            "(%d of %d words overwritten) and nothing stopped it\n",
            (long long)goro_id(), (long long)victim_id, bad, MARK_WORDS);
    goro_exit(1);
}

int main(void)
{
    ready = goro_chan_make(0, 0);
    gate = goro_chan_make(0, 0);
    goro_go_stack(victim, NULL, VICTIM_STACK);
    goro_chan_recv(ready, NULL);
    goro_go_stack(overflow, NULL, STACK);
    goro_sleep(1000000000);
    printf("not ok - stack_guard: the overflowing goroutine never finished\n");
    return 1;
}
