/* Host tests of kernel/fmt.c (kvsnprintf/ksnprintf): every documented verb, length
 * modifier and flag, compared with the host's snprintf where the two formats coincide;
 * the kernel's own choices (NULL %p, trailing '%') checked against fixed strings. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include "host.h"

/* The same format through the host's snprintf and ksnprintf: same text, same length. */
#define SAME(...)                                                                          \
    do {                                                                                   \
        char want_[160], got_[160];                                                        \
        int wn_ = snprintf(want_, sizeof want_, __VA_ARGS__);                              \
        int gn_ = ksnprintf(got_, sizeof got_, __VA_ARGS__);                               \
        expect(wn_ == gn_ && strcmp(want_, got_) == 0, "%s: want \"%s\" (%d), got \"%s\" (%d)", \
               #__VA_ARGS__, want_, wn_, got_, gn_);                                       \
    } while (0)

/* Formats the compiler would reject or warn about, without the format attribute. */
static int kfmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = kvsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

#define IS(want, ...)                                                                      \
    do {                                                                                   \
        char got_[160];                                                                    \
        int gn_ = kfmt(got_, sizeof got_, __VA_ARGS__);                                    \
        expect(gn_ == (int)strlen(want) && strcmp(want, got_) == 0,                        \
               "%s: want \"%s\" (%d), got \"%s\" (%d)", #__VA_ARGS__, want, (int)strlen(want), got_, gn_); \
    } while (0)

static void signed_decimal(void)
{
    case_begin("fmt %%d %%i signed decimal");
    int vals[] = { 0, 1, -1, 9, 10, 42, -42, 1000000, INT_MAX, INT_MIN };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        SAME("%d", vals[i]);
        SAME("%i", vals[i]);
        SAME("<%d|%i>", vals[i], -(vals[i] / 2));
    }
    case_end();
}

static void unsigned_hex(void)
{
    case_begin("fmt %%u %%x %%X unsigned");
    unsigned vals[] = { 0, 1, 9, 10, 15, 16, 255, 0xdeadbeef, 0x80000000u, UINT_MAX };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        SAME("%u", vals[i]);
        SAME("%x", vals[i]);
        SAME("%X", vals[i]);
    }
    case_end();
}

static void length_modifiers(void)
{
    case_begin("fmt l ll z length modifiers");
    SAME("%ld", 0L);
    SAME("%ld", LONG_MAX);
    SAME("%ld", LONG_MIN);
    SAME("%li", -123456789012L);
    SAME("%lu", ULONG_MAX);
    SAME("%lx", 0x123456789abcdefUL);
    SAME("%lX", 0xfedcba9876543210UL);
    SAME("%lld", (long long)INT64_MIN);
    SAME("%lld", (long long)INT64_MAX);
    SAME("%llu", (unsigned long long)UINT64_MAX);
    SAME("%llx", (unsigned long long)UINT64_MAX);
    SAME("%llX", 0xabcdef0123ULL);
    SAME("%zu", (size_t)SIZE_MAX);
    SAME("%zx", (size_t)0x1000);
    SAME("%zd", (ssize_t)-5);
    /* Arguments of mixed sizes, past the registers: va_arg must advance exactly. */
    SAME("%d %lld %u %llx %d %zu %ld %x %d %d", -1, (long long)INT64_MIN, 7u, 0x1122334455667788ULL, -2,
         (size_t)12345, -99L, 0xffu, 3, INT_MIN);
    case_end();
}

static void width_and_flags(void)
{
    case_begin("fmt width and the '0' flag");
    SAME("%5d", 42);
    SAME("%05d", 42);
    SAME("%1d", 42);
    SAME("%3d", 12345);
    SAME("%12u", 4000000000u);
    SAME("%08x", 0xbeefu);
    SAME("%08X", 0xbeefu);
    SAME("%016llx", 0xabcULL);
    SAME("%20lld", (long long)INT64_MAX);
    SAME("%030d", 7);
    SAME("%5s|%-5s|%5s", "ab", "cd", "toolong");
    SAME("%.3s|%.*s|%.0s|%.9s|%6.2s|", "abcdef", 2, "xyz", "gone", "short", "ab");
    SAME("[%4d][%04d]", 0, 0);
    case_end();
}

static void negative_width(void)
{
    case_begin("fmt negative numbers with width and zero padding");
    SAME("%05d", -42);
    SAME("%5d", -42);
    SAME("%2d", -42);
    SAME("%03d", -12345);
    SAME("%06i", -1);
    SAME("%020lld", (long long)INT64_MIN);
    SAME("%25lld", (long long)INT64_MIN);
    SAME("%011d", INT_MIN);
    case_end();
}

static void left_justified(void)
{
    case_begin("fmt '-' flag left-justifies numbers within the width");
    SAME("%-5d|", 42);
    SAME("%-5d|", -42);
    SAME("[%-4d]", 0);
    SAME("%-2d|", 12345);
    SAME("%-6i|", -1);
    SAME("%-12u|", 4000000000u);
    SAME("%-8x|", 0xbeefu);
    SAME("%-8X|", 0xbeefu);
    SAME("%-25lld|", (long long)INT64_MIN);
    SAME("%-21llu|", (unsigned long long)UINT64_MAX);
    IS("-42  |", "%-05d|", -42);      /* '-' wins over '0' (C11 7.21.6.1) */
    IS("42   |", "%-05d|", 42);
    case_end();
}

static void strings_chars(void)
{
    case_begin("fmt %%s %%c %%%%");
    SAME("%s", "");
    SAME("%s", "hello");
    SAME("<%s><%s>", "a", "bc");
    SAME("%c", 'A');
    SAME("%c%c%c", 'x', '\t', '~');
    SAME("%%");
    SAME("100%% %s %d%%", "done", 50);
    SAME("plain text, no verbs");
    const char *volatile nul = NULL;
    IS("(null)", "%s", nul);
    IS("  (null)|", "%8s|", nul);
    IS("(null)  |", "%-8s|", nul);
    case_end();
}

static void char_width(void)
{
    case_begin("fmt width on %%c");
    SAME("%3c|", 'A');
    SAME("%-3c|", 'B');
    case_end();
}

static void pointers(void)
{
    case_begin("fmt %%p");
    int x;
    SAME("%p", (void *)&x);
    SAME("%p", (void *)0x1000);
    SAME("%p", (void *)UINTPTR_MAX);
    IS("0x0", "%p", (void *)0);         /* glibc says "(nil)"; the kernel prints the number */
    IS("0xdeadbeef", "%p", (void *)0xdeadbeefUL);
    case_end();
}

static void truncation(void)
{
    case_begin("fmt truncation: full length returned, always NUL-terminated");
    const char *fmts[] = { "hello world %d", "%10d", "%-10s|", "%s%s%s" };
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        for (size_t n = 1; n <= 16; n++) {
            char want[32], got[32];
            memset(want, 'Z', sizeof want);
            memset(got, 'Z', sizeof got);
            int wn, gn;
            switch (f) {
            case 0: wn = snprintf(want, n, "hello world %d", 42); gn = ksnprintf(got, n, "hello world %d", 42); break;
            case 1: wn = snprintf(want, n, "%10d", -7); gn = ksnprintf(got, n, "%10d", -7); break;
            case 2: wn = snprintf(want, n, "%-10s|", "ab"); gn = ksnprintf(got, n, "%-10s|", "ab"); break;
            default: wn = snprintf(want, n, "%s%s%s", "abc", "", "defgh"); gn = ksnprintf(got, n, "%s%s%s", "abc", "", "defgh"); break;
            }
            expect(gn == wn, "\"%s\" n=%zu: returned %d, want %d", fmts[f], n, gn, wn);
            expect(memchr(got, 0, n) != NULL, "\"%s\" n=%zu: no NUL within the buffer", fmts[f], n);
            expect(strcmp(got, want) == 0, "\"%s\" n=%zu: got \"%s\", want \"%s\"", fmts[f], n, got, want);
            for (size_t i = n; i < sizeof got; i++)
                expect(got[i] == 'Z', "\"%s\" n=%zu: wrote byte %zu, past the buffer", fmts[f], n, i);
        }
    }
    case_end();
}

static void size_zero(void)
{
    case_begin("fmt n == 0 writes nothing and returns the length");
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    int r = ksnprintf(buf, 0, "abc %d %s", -12, "xyz");
    expect(r == 11, "returned %d, want 11", r);
    for (size_t i = 0; i < sizeof buf; i++)
        expect(buf[i] == 'Z', "wrote byte %zu", i);
    r = ksnprintf(NULL, 0, "%020lld", (long long)1);
    expect(r == 20, "NULL buffer: returned %d, want 20", r);
    case_end();
}

static void odd_formats(void)
{
    case_begin("fmt unknown verbs are echoed, a trailing %% is dropped");
    IS("%q", "%q");
    IS("a%yb", "a%yb");
    IS("abc", "abc%");
    IS("7", "%d%", 7);
    case_end();
}

/* %pS, %pN, %pB: an address named from the symbol table (the shim's: alpha at
 * 0x1000, 0x40 bytes, then beta at 0x1040, 0x20 bytes). */
static void symbols(void)
{
    case_begin("fmt %%pS %%pN %%pB name a code address");
    IS(" (alpha+0x24)", "%pS", (void *)0x1024);
    IS(" (alpha)", "%pS", (void *)0x1000);
    IS(" alpha+0x24", "%pN", (void *)0x1024);
    IS(" beta", "%pN", (void *)0x1040);
    IS("pc 0x1040 alpha+0x40|", "pc 0x%lx%pB|", 0x1040UL, (void *)0x1040);   /* a return address: one byte back */
    IS(" beta+0x4", "%pB", (void *)0x1044);
    IS("pc 0x2000!", "pc 0x%x%pS%pN%pB!", 0x2000, (void *)0x2000, (void *)0x2000, (void *)0);   /* no function: nothing */
    IS("0x1024 (alpha+0x24) tail", "%p%pS tail", (void *)0x1024, (void *)0x1024);
    IS("0x1024s", "%ps", (void *)0x1024);                                   /* another letter: a plain %p */
    case_end();
}

int main(void)
{
    host_thread_init(0);
    signed_decimal();
    unsigned_hex();
    length_modifiers();
    width_and_flags();
    negative_width();
    left_justified();
    strings_chars();
    char_width();
    pointers();
    truncation();
    size_zero();
    odd_formats();
    symbols();
    return host_failures() ? 1 : 0;
}
