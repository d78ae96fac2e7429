/* The shell's command handlers (examples/shell.c), called with fixed command lines:
 * each answers as documented, bad input gets a message and SH_ERR, exit N asks for
 * status N; the line reader edits and ends lines as documented. The answers' text is
 * checked by the output lines below. (tests/shell.c, once
 * console input is there, drives the whole shell through the console.) */
//! smp: 1 4
//! output: ^  help +this list$
//! output: ^  spawn N +N goroutines compute
//! output: ^ +ID STATE +CORE  WAITING ON +FUNCTION$
//! output: ^ +1 running +[0-9]+  +main_goroutine$
//! output: ^ +[0-9]+ waiting +-  GC idle +[a-z_]+ \(runtime\)$
//! output: ^[0-9]+ goroutines \([0-9]+ counted by goro_numgoroutine\)$
//! output: ^gc: cycle done in [0-9]+ us; cycles [1-9][0-9]*, heap live [0-9]+ B, in use [0-9]+ B, from the board [0-9]+ B$
//! output: ^gc: pauses total [0-9]+ us, longest [0-9]+ us; stacks scanned [1-9][0-9]*$
//! output: ^bench: gosched switch [1-9][0-9]* ns, unbuffered channel round trip [1-9][0-9]* ns \(200 each, board time\)$
//! output: ^sleep: 5 ms, woke after ([5-9]|[1-9][0-9]+)\.[0-9]{3} ms$
//! output: ^sleep: want milliseconds from 0 to 60000, not 'x'$
//! output: ^sleep: want milliseconds from 0 to 60000, not '-1'$
//! output: ^sleep: want milliseconds from 0 to 60000, not ''$
//! output: ^  goroutine 7 on core [0-9]+: sum of squares 1\.\.1259 = 665998410$
//! output: ^spawn: 8 goroutines, 8 results correct, on [1-9] cores?$
//! output: ^spawn: 300 goroutines, 300 results correct, on [1-9] cores?$
//! output: ^spawn: want a number of goroutines from 1 to 1000, not '0'$
//! output: ^foo: unknown command \(try help\)$
//! output: ^ps: too many arguments \(usage: ps\)$
//! output: ^a: too many arguments$
//! output: ^trace: want on or off, not 'maybe'$
//! output: ^trace: already off$
//! output: ^shell: line longer than 127 characters, ignored$
//! output: ^exit: want a status from 0 to 255, not '300'$
int shell_main(void);
#define main shell_main
#include "../examples/shell.c"
#undef main
#include "check.h"

/* Run one command line as the shell would, echoing it as the console does. */
static int run(const char *cmd)
{
    char buf[SH_LINE];
    snprintf(buf, sizeof buf, "%s", cmd);
    printf("goro> %s\n", cmd);
    return shell_exec(buf);
}

struct want { const char *cmd; int status; };

/* The line reader, fed from memory as stdin (stdin is per goroutine in newlib): a typo
 * erased with DEL, CR LF, a lone CR, a line too long, then the end of the input. */
static void test_read_line(void)
{
    static char in[256];
    snprintf(in, sizeof in, "spawx\x7fn 2\r\nsleep 1\rgc\n%0150d\nps\n", 0);
    FILE *f = fmemopen(in, strlen(in), "r"), *saved = stdin;
    if (!check(f != NULL, "shell: fmemopen for the line reader", "NULL"))
        return;
    stdin = f;
    static const char *const want[] = { "spawn 2", "sleep 1", "gc", "", "ps" };
    char line[SH_LINE];
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
        int n = read_line(line, sizeof line);
        check(n == (int)strlen(want[i]) && !strcmp(line, want[i]), "shell: read_line", "line %u: %d '%s', want '%s'",
              i, n, n >= 0 ? line : "", want[i]);
    }
    check(read_line(line, sizeof line) == -1, "shell: read_line at the end of the input", "not -1");
    stdin = saved;
    fclose(f);
}

int main(void)
{
    static const struct want cases[] = {
        { "help", SH_OK }, { "", SH_OK }, { "  \t ", SH_OK }, { "gc", SH_OK }, { "ps", SH_OK },
        { "bench 200", SH_OK }, { "sleep 5", SH_OK }, { "spawn 8", SH_OK }, { "spawn 300", SH_OK },
        { "trace off", SH_OK },
        { "foo", SH_ERR }, { "sleep", SH_ERR }, { "sleep x", SH_ERR }, { "sleep -1", SH_ERR },
        { "sleep 60001", SH_ERR }, { "spawn 0", SH_ERR }, { "spawn 1001", SH_ERR }, { "bench 0", SH_ERR },
        { "ps extra", SH_ERR }, { "a b c d e", SH_ERR }, { "trace maybe", SH_ERR }, { "exit 300", SH_ERR },
        { "exit 3x", SH_ERR },
    };
    goro_gcstats before, after;
    goro_gc_stats(&before);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "shell: '%s' answers %s", cases[i].cmd, cases[i].status == SH_OK ? "ok" : "an error");
        int got = run(cases[i].cmd);
        check(got == cases[i].status, name, "status %d", got);
    }
    goro_gc_stats(&after);
    test_read_line();
    check(after.num_gc > before.num_gc, "shell: gc ran a cycle", "cycles %llu -> %llu",
          (unsigned long long)before.num_gc, (unsigned long long)after.num_gc);
    check(run("exit 3") == SH_EXIT && shell_status == 3, "shell: exit 3 asks for status 3", "status %d", shell_status);
    check(run("exit") == SH_EXIT && shell_status == 0, "shell: exit asks for status 0", "status %d", shell_status);
    check(goro_numgoroutine() <= 2, "shell: no goroutine left behind", "%d alive", goro_numgoroutine());
    return check_failures;
}
