/* Console input: a stream (tests/data/console_stream*.txt: numbered lines, each with its
 * byte sum) arrives intact and in order through scanf and fgets while a goroutine spins
 * on every core; Ctrl-D reads as end of file (read returns 0) and the read after it
 * returns what follows.
 *
 * The stream is 100 KiB at SMP 1, 8 KiB at SMP 2, 4 KiB at SMP 4: make test's budget
 * (under QEMU a stream comes at 0.5-6 KB/s of host time on a loaded 2-CPU host, the
 * more busy cores the slower; why: kernel/dev/uart16550.c). The ring
 * is cut to 64 bytes (console_ring=64) and the reader pauses 100 ms every 16 lines of
 * the first 96, so the ring fills and the backpressure (the UART's receive interrupt
 * off until the reader has made room) engages in every run (at 1 KB/s or more). A
 * watchdog ends a stream that stops coming (5 s without a line or a read) with a not ok,
 * so a lost END line, Ctrl-D or last line fails the check rather than hanging it; and a
 * stream that arrived damaged ends the test there (what follows it may be lost too).
 *
 * A reader parked on the console is not a deadlock: the runner sends the stream only
 * once the test has said it is about to read (stdin_after), so main's first scanf parks
 * on an empty console with every other goroutine asleep.
 * Negative controls: console_input_nobackpressure (console_nobackpressure=1: a full
 * ring drops bytes) loses lines; console_input_nocount (console_nocount=1: checkdead
 * does not count the reader) reports the false deadlock. */
//! smp: 1 2 4
//! args: console_ring=64
//! timeout: 120
//! stdin: console_stream_8k.txt 1=console_stream.txt 4=console_stream_4k.txt
//! stdin_after: ^# reading the console$
#include <unistd.h>
#include "check.h"

extern uint32_t console_in_dropped;
static volatile int stop_spin, stop_watch, lines;

static void spinner(void *arg)
{
    (void)arg;
    while (!ATOMIC_LOAD(&stop_spin))
        ;
}

static void watchdog(void *arg)
{
    (void)arg;
    int seen = -1;
    while (!ATOMIC_LOAD(&stop_watch)) {
        int now = ATOMIC_LOAD(&lines);
        if (now == seen) {
            printf("# %d lines, %lu bytes dropped\n", now, (unsigned long)console_in_dropped);
            check(false, "stream_intact_in_order", "the stream stopped after %d lines", now);
            exit(1);
        }
        seen = now;
        goro_sleep(5000000000LL);
    }
}

static int byte_sum(const char *p)
{
    int s = 0;
    for (; *p; p++)
        s += (unsigned char)*p;
    return s;
}

int main(void)
{
    int n = -1;
    char word[16] = "", line[256];
    printf("# reading the console\n");
    check(scanf("%d %15s", &n, word) == 2 && n == 42 && !strcmp(word, "hello"), "scanf", "n %d word '%s'", n, word);
    check(getchar() == '\n', "getchar", "not the newline after the scanf fields");
    for (int i = 0; i < goro_ncpu(); i++)
        goro_go(spinner, NULL);
    goro_go(watchdog, NULL);
    int bad = 0, end = -1;
    while (fgets(line, sizeof line, stdin)) {
        int id, sum;
        char payload[128];
        if (sscanf(line, "END %d", &end) == 1)
            break;
        if (sscanf(line, "%d %127s %d", &id, payload, &sum) != 3 || id != lines || sum != byte_sum(payload)) {
            if (bad++ < 3)
                printf("# bad line %d: %.60s\n", lines, line);
        }
        ATOMIC_STORE(&lines, lines + 1);
        if (lines % 16 == 0 && lines <= 96)
            goro_sleep(100000000);      /* not reading: the ring fills */
    }
    bool eof_seen = end < 0 && feof(stdin);     /* stdio met the Ctrl-D (END was lost) */
    ATOMIC_STORE(&stop_spin, 1);
    printf("# %d lines, %lu bytes dropped\n", lines, (unsigned long)console_in_dropped);
    if (!check(bad == 0 && end == lines && lines >= 80, "stream_intact_in_order", "%d bad of %d lines, END says %d",
               bad, lines, end))
        return check_failures;
    /* stdio has read ahead up to the Ctrl-D: the raw fd sees it next. */
    char buf[32];
    ssize_t r = eof_seen ? 0 : read(0, buf, sizeof buf);
    check(r == 0, "ctrl_d_is_eof", "read returned %d", (int)r);
    ATOMIC_STORE(&lines, lines + 1);    /* progress, for the watchdog */
    /* read returns what has come: the rest of the line may come in more reads. */
    size_t got = 0;
    while (got < 10 && (r = read(0, buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)r;
    buf[got] = 0;
    ATOMIC_STORE(&stop_watch, 1);
    check(got >= 10 && !strncmp(buf, "after-eof\n", 10), "read_after_eof", "read %u bytes: '%.20s'", (unsigned)got,
          buf);
    return check_failures;
}
