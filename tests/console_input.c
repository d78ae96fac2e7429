/* Console input: a 100 KiB stream (tests/data/console_stream.txt: numbered lines, each
 * with its byte sum) arrives intact and in order through scanf and fgets while a
 * goroutine spins on every core; Ctrl-D reads as end of file (read returns 0) and the
 * read after it returns what follows. A reader parked on the console is not a deadlock
 * (most reads find the ring empty: the whole program then waits on the console).
 * Negative control: console_input_nobackpressure (console_nobackpressure=1) loses bytes. */
//! smp: 4
//! only: manual  (out of make test: times out on both RISC-V boards at SMP=4, 60-78 s on ARM; see the branch report)
//! seeds: 1
//! timeout: 120
//! stdin: console_stream.txt
#include <unistd.h>
#include "check.h"

static volatile int stop_spin;

static void spinner(void *arg)
{
    (void)arg;
    while (!ATOMIC_LOAD(&stop_spin))
        ;
}

int main(void)
{
    int n = -1;
    char word[16] = "", line[256];
    check(scanf("%d %15s", &n, word) == 2 && n == 42 && !strcmp(word, "hello"), "scanf", "n %d word '%s'", n, word);
    check(getchar() == '\n', "getchar", "not the newline after the scanf fields");
    for (int i = 0; i < goro_ncpu(); i++)
        goro_go(spinner, NULL);
    int lines = 0, bad = 0, end = -1;
    while (fgets(line, sizeof line, stdin)) {
        int id, sum;
        char payload[128];
        if (sscanf(line, "END %d", &end) == 1)
            break;
        if (sscanf(line, "%d %127s %d", &id, payload, &sum) != 3 || id != lines || sum != (int)(
                ({ int s = 0; for (char *p = payload; *p; p++) s += (unsigned char)*p; s; }))) {
            if (bad++ < 3)
                printf("# bad line %d: %.60s\n", lines, line);
        }
        lines++;
    }
    ATOMIC_STORE(&stop_spin, 1);
    check(bad == 0 && end == lines && lines > 1000, "stream_intact_in_order", "%d bad of %d lines, END says %d",
          bad, lines, end);
    /* stdio has read ahead up to the Ctrl-D: the raw fd sees it next. */
    char buf[32];
    ssize_t r = read(0, buf, sizeof buf);
    check(r == 0, "ctrl_d_is_eof", "read returned %d", (int)r);
    r = read(0, buf, sizeof buf);
    check(r > 0 && !strncmp(buf, "after-eof", 9), "read_after_eof", "read returned %d", (int)r);
    return check_failures;
}
