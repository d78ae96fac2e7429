/* A goroutine that overflows its stack panics naming itself and its function, instead
 * of corrupting a neighbour (expected failure, message checked). */
//! smp: 1 2
//! expect: exit 2
//! output: ^panic: goroutine 2 stack overflow \(function 0x[0-9a-f]+ \(overflow\), stack 0x
#include "check.h"

static int deep(int n)
{
    volatile char pad[256];
    for (int i = 0; i < 256; i++)
        pad[i] = (char)n;
    if (n == 0)
        return pad[0];
    int r = deep(n - 1) + pad[0];
    goro_gosched();                 /* a switch: the canary is checked */
    return r;
}

static void overflow(void *arg)
{
    (void)arg;
    deep(40);                        /* ~12 KiB of frames in a 8 KiB stack */
}

int main(void)
{
    goro_go_stack(overflow, NULL, 8192);
    goro_sleep(100000000);
    printf("not ok - overflow went unnoticed\n");
    return 1;
}
