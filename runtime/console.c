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
 * counts as able to wake (checkdead). */
#include "runtime.h"
#include "irq.h"

static goro_mutex readers;
static struct wakeword ww;

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
        got = console_in_take(buf, n, &eof);
        if (got || eof) {
            ww_cancel(&ww);
            break;
        }
        ww_park(&ww, "console read", 0);
    }
    goro_mutex_unlock(&readers);
    return (int)got;
}
