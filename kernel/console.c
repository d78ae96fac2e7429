/* The console: whole writes under one lock, so lines from different cores never
 * interleave. console_lock is the last lock in every lock order. */
#include "kernel.h"

static struct spinlock console_lock = SPINLOCK_INIT("console");

void console_write(const char *s, size_t n)
{
    /* A panicking core writes without the lock: the other cores are stopped, and one
     * of them may have been stopped holding it. */
    bool locked = !panicking;
    if (locked)
        spin_lock(&console_lock);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            board_putc('\r');
        board_putc(s[i]);
    }
    if (locked)
        spin_unlock(&console_lock);
}

int kprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    console_write(buf, n);
    return n;
}
