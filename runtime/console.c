/* The console reader: newlib's _read on fd 0 (kernel/syscalls.c) parks the calling
 * goroutine until the console's receive interrupt has put bytes in the kernel's ring
 * (kernel/console_in.c), then returns what is there (at least one byte), or 0 at a
 * Ctrl-D (0x04), which is consumed: the read after it waits for more.
 *
 * Readers take turns on a goro_mutex (parking, not spinning), so the ring has one
 * consumer. The one reader waits on a wake word (irq.c) that the receive interrupt
 * fires; it registers on the word and then looks at the ring once more before it parks,
 * and the handler publishes its bytes before it fires (both seq_cst), so bytes that
 * arrive between the first look and the park are never missed. A reader parked here
 * counts as able to wake (checkdead: ww_prepare counts it in ext_waiters).
 *
 * Knob (a negative control, boot command line): console_nocount=1 takes the parked
 * reader out of ext_waiters again, so checkdead reports a program whose goroutines all
 * wait on the console as deadlocked (tests/console_input_nocount.c). */
#include <string.h>
#include "runtime.h"
#include "irq.h"

static goro_mutex readers;
static struct wakeword ww;
static int nocount = -1;                /* console_nocount=1; -1: not read yet */

static void uncount(int d)
{
    if (nocount < 0)
        nocount = boot_choice("console_nocount", (const char *const[]){ "0", "1", NULL }, 0);
    if (nocount)
        __atomic_add_fetch(&ext_waiters, (uint32_t)d, __ATOMIC_SEQ_CST);
}

/* Interrupt context (console_in.c's handler, core 0): bytes arrived. */
void rt_console_wake(void) { ww_fire(&ww, 0, true); }

int rt_console_read(void *buf, size_t n)
{
    if (n == 0)
        return 0;
    if (getg()->is_g0)
        throw("console read: on g0");
    goro_mutex_lock(&readers);
    size_t got;
    bool eof;
    for (;;) {
        got = console_in_take(buf, n, &eof);
        if (got || eof)
            break;
        int r = ww_prepare(&ww);
        if (r == 1)
            continue;                   /* bytes came since: look again */
        if (r != 0)
            throw("console read: a second reader (%d)", r);
        uncount(-1);
        got = console_in_take(buf, n, &eof);
        if (got || eof) {
            uncount(1);
            ww_cancel(&ww);
            break;
        }
        ww_park(&ww, "console read", 0);
        uncount(1);                     /* ww_park took it out again: square (a running g) */
    }
    goro_mutex_unlock(&readers);
    return (int)got;
}
