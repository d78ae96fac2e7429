/* The console: whole writes under one lock, so lines from different cores never
 * interleave. console_lock is the last lock in every lock order. */
#include "kernel.h"

static struct spinlock console_lock = SPINLOCK_INIT("console");
static bool midline;        /* console_lock: the last byte written was not a newline */

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
    if (n)
        midline = s[n - 1] != '\n';
    if (locked)
        spin_unlock(&console_lock);
}

/* A fatal report's first line starts a line (fatal_begin, the other cores stopped). */
void console_fresh_line(void)
{
    if (midline)
        console_write("\n", 1);
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
