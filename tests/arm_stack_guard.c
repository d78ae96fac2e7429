/* A goroutine that overflows its stack by a burst of big frames faults in its guard page
 * and panics naming itself, before it reaches the goroutine whose stack lies below (the
 * canary, checked only at switches and ticks, would see it after the neighbour's frame
 * was overwritten: built without guard pages this image prints `not ok` instead).
 * Expected failure, message checked: the guard page, not the canary, must catch it. */
//! boards: qemu-virt-arm raspi2b
//! smp: 1 2
//! expect: exit 2
//! output: ^panic: goroutine \d+ stack overflow \(function 0x[0-9a-f]+ \(overflow\), .*in its guard page
#include "check.h"
#include "runtime.h"

#define STACK (12 * 1024)            /* not the default size: fresh, adjacent blocks */
#define FRAME_WORDS 128              /* 512-byte frames, every byte written */
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
    if (dist > STACK + 2 * 4096) {
        kprintf("not ok - arm_stack_guard: the victim's stack is not right below ours (%p, %p)\n",
                (void *)&top, (void *)victim_mark);
        goro_exit(1);
    }
    /* Interrupts off: no tick checks the canary before the victim is looked at. A data
     * abort is not masked by them. */
    intr_push();
    dig(0);
    int bad = 0;
    for (int i = 0; i < MARK_WORDS; i++)
        bad += victim_mark[i] != MARK;
    kprintf("not ok - arm_stack_guard: goroutine %lld ran off its stack into goroutine %lld's frame "
            "(%d of %d words overwritten) and nothing stopped it\n",
            (long long)goro_id(), (long long)victim_id, bad, MARK_WORDS);
    goro_exit(1);
}

int main(void)
{
    ready = goro_chan_make(0, 0);
    gate = goro_chan_make(0, 0);
    goro_go_stack(victim, NULL, STACK);
    goro_chan_recv(ready, NULL);
    goro_go_stack(overflow, NULL, STACK);
    goro_sleep(1000000000);
    printf("not ok - arm_stack_guard: the overflowing goroutine never finished\n");
    return 1;
}
