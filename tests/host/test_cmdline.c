/* Host tests of kernel/cmdline.c: the boot command line's knobs (boot_word, boot_num,
 * boot_choice, boot_flags), each on good words, on a key that is only a suffix or a
 * prefix of another word, and on every kind of bad value, whose panic must name the
 * word and what it may be. */
#include <stdio.h>
#include <string.h>
#include "host.h"

static const char *line;

/* The runner's semihosting call, done for the host: the line this case set. */
long arch_semihost(long op, void *arg)
{
    struct { char *buf; long len; } *a = arg;
    if (op != 0x15 || strlen(line) > (size_t)a->len)
        return -1;
    strcpy(a->buf, line);
    return 0;
}

static void set(const char *l)
{
    line = l;
    cmdline_read();
}

/* Runs e (an expression) expecting a panic whose message contains want. */
#define PANICS(want, e)                                                                     \
    do {                                                                                    \
        jmp_buf jb_;                                                                        \
        host_panic_catch = &jb_;                                                            \
        if (setjmp(jb_) == 0) {                                                             \
            (void)(e);                                                                      \
            expect(false, "%s: no panic (want '%s')", #e, want);                            \
        } else                                                                              \
            expect(strstr(host_panic_msg, want) != NULL, "%s: panic '%s', want '%s'", #e,   \
                   host_panic_msg, want);                                                   \
        host_panic_catch = NULL;                                                            \
    } while (0)

static const char *const onoff[] = { "on", "off", NULL };
static const char *const dbg[] = { "nodrain", "noseq", "third", NULL };

static void words(void)
{
    char buf[16];
    case_begin("cmdline boot_word: values, absent keys, suffixes and truncation");
    set("trace=console seed=7 xtrace=no longword=0123456789abcdefghij");
    expect(boot_word("trace", buf, sizeof buf) && !strcmp(buf, "console"), "trace: '%s'", buf);
    expect(!boot_word("race", buf, sizeof buf), "race= matched inside trace=");
    expect(!boot_word("seed=", buf, sizeof buf), "a key with its '=' matched");
    expect(boot_word("longword", buf, sizeof buf) && !strcmp(buf, "0123456789abcde"), "truncated: '%s'", buf);
    set("");
    expect(!boot_word("trace", buf, sizeof buf), "empty line matched");
    case_end();
}

static void numbers(void)
{
    case_begin("cmdline boot_num: defaults, ranges and bad numbers panic");
    set("seed=42 smp=4 zero=0");
    expect(boot_num("seed", 0, 999, 1) == 42, "seed");
    expect(boot_num("smp", 1, 4, 1) == 4, "smp at the top of its range");
    expect(boot_num("zero", 0, 9, 5) == 0, "zero");
    expect(boot_num("absent", 0, 9, 5) == 5, "default");
    PANICS("smp=4 on the command line: want a number from 1 to 2", boot_num("smp", 1, 2, 1));
    set("seed=4x2");
    PANICS("seed=4x2 on the command line: want a number from 0 to 999", boot_num("seed", 0, 999, 1));
    set("seed=");
    PANICS("seed= on the command line", boot_num("seed", 0, 999, 1));
    set("seed=-3");
    PANICS("seed=-3", boot_num("seed", 0, 999, 1));
    set("seed=99999999999999999999999");
    PANICS("seed=99999999999999999999999", boot_num("seed", 0, 999999999, 1));
    case_end();
}

static void choices(void)
{
    case_begin("cmdline boot_choice: an index, a default, and a typo panics naming the choices");
    set("stackguard=off");
    expect(boot_choice("stackguard", onoff, 0) == 1, "off");
    set("a=1 stackguard=on");
    expect(boot_choice("stackguard", onoff, 1) == 0, "on");
    set("nostackguard=off");
    expect(boot_choice("stackguard", onoff, 0) == 0, "a suffix of another key matched");
    set("stackguard=of");
    PANICS("stackguard=of on the command line: want on or off", boot_choice("stackguard", onoff, 0));
    set("stackguard=offf");
    PANICS("stackguard=offf", boot_choice("stackguard", onoff, 0));
    set("gcpacer=");
    PANICS("want on, off or stop", boot_choice("gcpacer", (const char *const[]){ "on", "off", "stop", NULL }, 0));
    case_end();
}

static void flags(void)
{
    case_begin("cmdline boot_flags: lists, repeated words, and an unknown flag panics");
    set("");
    expect(boot_flags("timerdebug", dbg) == 0, "none");
    set("timerdebug=noseq");
    expect(boot_flags("timerdebug", dbg) == 2, "noseq");
    set("timerdebug=noseq,nodrain");
    expect(boot_flags("timerdebug", dbg) == 3, "a list");
    set("timerdebug=third x=1 timerdebug=nodrain");
    expect(boot_flags("timerdebug", dbg) == 5, "repeated words");
    set("timerdebug=nodrain,nosqe");
    PANICS("timerdebug=nodrain,nosqe on the command line: unknown 'nosqe' (nodrain, noseq or third)",
           boot_flags("timerdebug", dbg));
    set("timerdebug=");
    PANICS("timerdebug= on the command line: unknown ''", boot_flags("timerdebug", dbg));
    case_end();
}

int main(void)
{
    host_thread_init(0);
    words();
    numbers();
    choices();
    flags();
    return host_failures();
}
