/* kvsnprintf: a small printf formatter for the kernel and runtime, usable in traps and
 * panics (newlib's needs a struct _reent and may take locks).
 * Supports %d %i %u %x %X %p %s %c %%, the l/ll/z length modifiers, '0', '-', a width and
 * a precision for %s (%.12s, %.*s: at most that many bytes).
 *
 * And three verbs that name a code address (a void *; cast a uintptr_t or a function
 * pointer) the way every report does, from the symbol table the build links into the
 * image (kernel/symtab.c, symbolize):
 *   %pS  " (name+0x24)"   a function a goroutine started with, a pc beside its hex value
 *   %pN  " name+0x24"
 *   %pB  " name+0x24" for a return address (a backtrace's frames): looked up one byte
 *        back, because a call that ends a function (to a noreturn callee) returns to
 *        the first instruction of the next one; the offset printed is the address's.
 * At a function's entry the offset is left out (" (name)", " name"). They print
 * nothing when the image has no table (SYMTAB=0) or no function holds the address, so
 * a report writes the hex value itself and then the verb: "pc 0x%lx%pN". Width and
 * flags don't apply. gcc's format check sees a %p and a letter, and checks the
 * argument as the %p. */
#include "kernel.h"

struct out { char *buf; size_t n, len; };

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->n)
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct out *o, uint64_t v, int base, bool neg, int width, char pad, bool left, bool upper)
{
    char tmp[24];
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int i = 0;
    do {
        tmp[i++] = digits[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[i++] = '-';
    if (neg && pad == '0') {           /* sign goes before zero padding */
        put(o, '-');
        i--;
        width--;
    }
    int len = i;
    for (int w = len; !left && w < width; w++)
        put(o, pad);
    while (i)
        put(o, tmp[--i]);
    for (int w = len; left && w < width; w++)
        put(o, ' ');
}

static void put_str(struct out *o, const char *s, int width, int prec, bool left)
{
    int len = 0;
    if (!s)
        s = "(null)";
    while (len != prec && s[len])
        len++;
    for (int w = len; !left && w < width; w++)
        put(o, ' ');
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    for (int w = len; left && w < width; w++)
        put(o, ' ');
}

/* %pS, %pN, %pB (above). */
static void put_sym(struct out *o, uintptr_t pc, char verb)
{
    uintptr_t back = verb == 'B' && pc ? 1 : 0, off;
    const char *name = symbolize(pc - back, &off);
    if (!name)
        return;
    put_str(o, verb == 'S' ? " (" : " ", 0, -1, false);
    put_str(o, name, 0, -1, false);
    if (off + back) {
        put_str(o, "+0x", 0, -1, false);
        put_num(o, off + back, 16, false, 0, ' ', false, false);
    }
    if (verb == 'S')
        put(o, ')');
}

int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct out o = { buf, n, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        bool left = false;
        char pad = ' ';
        int width = 0, lng = 0, prec = -1;
        for (; *fmt == '-' || *fmt == '0'; fmt++) {
            if (*fmt == '-') left = true;
            else pad = '0';
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        if (*fmt == '.') {
            prec = 0;
            if (*++fmt == '*')
                prec = va_arg(ap, int), fmt++;
            for (; *fmt >= '0' && *fmt <= '9'; fmt++)
                prec = prec * 10 + (*fmt - '0');
        }
        /* lng: 0 int, 1 long, 2 long long; z is size_t, as wide as long on every target. */
        for (; *fmt == 'l' || *fmt == 'z'; fmt++)
            lng += *fmt == 'l' ? 1 : sizeof(size_t) == sizeof(long long) ? 2 : 1;
        switch (*fmt) {
        case 'd': case 'i': {
            int64_t v = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad, left, false);
            break;
        }
        case 'u': case 'x': case 'X': {
            uint64_t v = lng >= 2 ? va_arg(ap, unsigned long long)
                       : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            put_num(&o, v, *fmt == 'u' ? 10 : 16, false, width, pad, left, *fmt == 'X');
            break;
        }
        case 'p':
            if (fmt[1] == 'S' || fmt[1] == 'N' || fmt[1] == 'B') {
                fmt++;
                put_sym(&o, (uintptr_t)va_arg(ap, void *), *fmt);
                break;
            }
            put(&o, '0'); put(&o, 'x');
            put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false, width, pad, left, false);
            break;
        case 's': put_str(&o, va_arg(ap, const char *), width, prec, left); break;
        case 'c': {
            char ch[2] = { (char)va_arg(ap, int), 0 };
            put_str(&o, ch, width, -1, left);
            break;
        }
        case '%': put(&o, '%'); break;
        case 0: fmt--; break;
        default: put(&o, '%'); put(&o, *fmt); break;
        }
    }
    if (n)
        buf[o.len < n ? o.len : n - 1] = 0;
    return (int)o.len;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = kvsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}
