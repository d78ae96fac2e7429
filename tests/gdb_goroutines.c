/* A fixed cast for the GDB extension's test (tests/gdb/): goroutines blocked in a
 * channel receive and in a sleep, one spinning, and main stopped at gdb_checkpoint. */
//! only: gdb
//! smp: 2
#include "check.h"

static goro_chan *never;
static volatile int spinning;

__attribute__((noinline)) static void gdbt_recv_inner(void)
{
    goro_chan_recv(never, NULL);
    __asm__ volatile("");
}

__attribute__((noinline)) static void gdbt_recv_forever(void *arg)
{
    (void)arg;
    gdbt_recv_inner();
    __asm__ volatile("");
}

__attribute__((noinline)) static void gdbt_sleep_forever(void *arg)
{
    (void)arg;
    goro_sleep(1000000000000LL);
    __asm__ volatile("");
}

__attribute__((noinline)) static void gdbt_spin_forever(void *arg)
{
    (void)arg;
    for (;;)
        spinning++;
}

/* The debugger's breakpoint: every goroutine above is in place when main gets here.
 * External, so the symbol is there for tests/gdb/ by name. */
void gdb_checkpoint(void);
__attribute__((noinline)) void gdb_checkpoint(void)
{
    __asm__ volatile("" ::: "memory");
}

int main(void)
{
    never = goro_chan_make(0, 0);
    goro_go(gdbt_recv_forever, NULL);
    goro_go(gdbt_sleep_forever, NULL);
    goro_go(gdbt_spin_forever, NULL);
    while (!spinning)
        goro_sleep(1000000);
    goro_sleep(50000000);          /* the receiver and the sleeper have parked */
    gdb_checkpoint();
    printf("ok - gdb_goroutines reached the checkpoint\n");
    return 0;
}
