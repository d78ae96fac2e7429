/* The boot command line: the words the runner passes by semihosting (`make run ARGS=`,
 * the tests' `//! args:`), read once by the boot core before anything else runs and
 * read-only after. Every knob is a `key=value` word, and every knob is read through
 * these four functions, so each is parsed the same way and a typo is a panic that
 * names the word and what it may be, never a silently different run (a negative control
 * that does not engage passes for the wrong reason):
 *
 *   boot_word(key, buf, n)     the value of `key=` as a string (a path, a number)
 *   boot_num(key, lo, hi, dflt)  a decimal number in lo..hi
 *   boot_choice(key, names, dflt)  one of names[] (on/off, on/off/stop): its index
 *   boot_flags(key, names)     any of names[], comma-separated or in repeated words:
 *                              their bit mask (the debug knobs)
 *
 * A word is a key only at the start of the line or after a space. */
#include <string.h>
#include "kernel.h"

static char cmdline[256];

#define SYS_GET_CMDLINE 0x15

/* Boot core, first thing in kmain (a BARE=1 image makes no semihosting call: the line
 * is empty). */
void cmdline_read(void)
{
    if (GORO_BARE)
        return;
    struct { char *buf; long len; } arg = { cmdline, sizeof cmdline - 1 };
    if (arch_semihost(SYS_GET_CMDLINE, &arg) != 0)
        cmdline[0] = 0;
}

const char *boot_cmdline(void) { return cmdline; }

/* The value of the n-th `key=` word (n from 0), or NULL; *len its length. */
static const char *value(const char *key, int n, size_t *len)
{
    size_t k = strlen(key);
    for (const char *w = cmdline; (w = strstr(w, key)) != NULL; w += k) {
        if ((w != cmdline && w[-1] != ' ') || w[k] != '=' || n-- > 0)
            continue;
        *len = strcspn(w + k + 1, " ");
        return w + k + 1;
    }
    return NULL;
}

const char *boot_word(const char *key, char *buf, size_t n)
{
    size_t len;
    const char *v = value(key, 0, &len);
    if (!v)
        return NULL;
    len = len < n - 1 ? len : n - 1;
    memcpy(buf, v, len);
    buf[len] = 0;
    return buf;
}

int64_t boot_num(const char *key, int64_t lo, int64_t hi, int64_t dflt)
{
    size_t len;
    const char *v = value(key, 0, &len);
    if (!v)
        return dflt;
    int64_t x = 0;
    size_t i = 0;
    for (; i < len && v[i] >= '0' && v[i] <= '9' && i < 18; i++)
        x = x * 10 + (v[i] - '0');
    if (i == 0 || i != len || x < lo || x > hi)
        panic("boot: %s=%.*s on the command line: want a number from %lld to %lld", key, (int)len, v,
              (long long)lo, (long long)hi);
    return x;
}

/* The names as "a, b or c", for the messages. */
static const char *list(const char *const names[], char *buf, size_t n)
{
    buf[0] = 0;
    for (int i = 0; names[i]; i++) {
        size_t at = strlen(buf);
        ksnprintf(buf + at, n - at, "%s%s", i == 0 ? "" : names[i + 1] ? ", " : " or ", names[i]);
    }
    return buf;
}

/* The index of v[0..len) in names[], or -1. */
static int lookup(const char *const names[], const char *v, size_t len)
{
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == len && strncmp(names[i], v, len) == 0)
            return i;
    return -1;
}

int boot_choice(const char *key, const char *const names[], int dflt)
{
    size_t len;
    const char *v = value(key, 0, &len);
    if (!v)
        return dflt;
    int i = lookup(names, v, len);
    if (i < 0) {
        char buf[128];
        panic("boot: %s=%.*s on the command line: want %s", key, (int)len, v, list(names, buf, sizeof buf));
    }
    return i;
}

unsigned boot_flags(const char *key, const char *const names[])
{
    unsigned mask = 0;
    size_t len;
    const char *v;
    for (int n = 0; (v = value(key, n, &len)) != NULL; n++) {
        size_t at = 0;
        do {    /* an empty value is one empty, unknown, name */
            size_t one = strcspn(v + at, ", ");
            one = one < len - at ? one : len - at;
            int i = lookup(names, v + at, one);
            if (i < 0) {
                char buf[128];
                panic("boot: %s=%.*s on the command line: unknown '%.*s' (%s)", key, (int)len, v, (int)one, v + at,
                      list(names, buf, sizeof buf));
            }
            mask |= 1u << i;
            at += one + 1;
        } while (at < len);
    }
    return mask;
}
