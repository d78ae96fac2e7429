/* shell.c: an interactive shell on the board's console, as a goro application.
 *
 *   make run APP=examples/shell.c [BOARD=b] [SMP=n]
 *
 * Commands: help, ps, gc, bench [N], sleep MS, spawn N, trace [on|off], exit [N]
 * (docs/shell.md). The shell is goroutine 1: while it waits for a line it is parked
 * reading the console, and every core stays free for the goroutines it starts.
 *
 * Lines are read a character at a time, echoed, with backspace: the console gives bytes
 * as sent, with no echo and no line editing, and a terminal in raw mode (QEMU's
 * -serial stdio) sends Enter as a carriage return, which fgets would never see as the
 * end of a line. Ctrl-D on an empty line ends the input, and the shell exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "goro.h"

enum { SH_OK, SH_ERR, SH_EXIT };   /* what shell_exec did */
#define SH_LINE 128
#define SH_ARGS 4

static int shell_status;           /* the status `exit N` asked for */

/* ---- arguments ---- */

/* s as a whole decimal number in [lo, hi] in *out; else a message naming cmd and what it
 * wants, and false. */
static bool arg_num(const char *cmd, const char *what, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi) {
        printf("%s: want %s from %ld to %ld, not '%s'\n", cmd, what, lo, hi, s ? s : "");
        return false;
    }
    *out = v;
    return true;
}

/* ---- ps ---- */
static int cmd_ps(int argc, char **argv)
{
    (void)argc, (void)argv;
    static goro_ginfo gi[128];
    int n = goro_goroutines(gi, 128);
    printf("%5s %-10s %4s  %-16s %s\n", "ID", "STATE", "CORE", "WAITING ON", "FUNCTION");
    for (int i = 0; i < n && i < 128; i++) {
        char core[12] = "-";
        if (gi[i].core >= 0)
            snprintf(core, sizeof core, "%d", gi[i].core);
        char fn[48];
        if (gi[i].fn_name)
            snprintf(fn, sizeof fn, "%s", gi[i].fn_name);
        else
            snprintf(fn, sizeof fn, "%p", gi[i].fn);
        printf("%5lld %-10s %4s  %-16s %s%s\n", (long long)gi[i].id, gi[i].state, core, gi[i].waitreason, fn,
               gi[i].system ? " (runtime)" : "");
    }
    if (n > 128)
        printf("(%d more not shown)\n", n - 128);
    printf("%d goroutines (%d counted by goro_numgoroutine)\n", n, goro_numgoroutine());
    return SH_OK;
}

/* ---- gc ---- */
static int cmd_gc(int argc, char **argv)
{
    (void)argc, (void)argv;
    int64_t t0 = goro_nanotime();
    goro_gc();
    int64_t t = goro_nanotime() - t0;
    goro_gcstats s;
    goro_gc_stats(&s);
    printf("gc: cycle done in %lld us; cycles %llu, heap live %llu B, in use %llu B, from the board %llu B\n",
           (long long)(t / 1000), (unsigned long long)s.num_gc, (unsigned long long)s.heap_live,
           (unsigned long long)s.heap_alloc, (unsigned long long)s.heap_sys);
    printf("gc: pauses total %llu us, longest %llu us; stacks scanned %llu\n",
           (unsigned long long)(s.pause_total_ns / 1000), (unsigned long long)(s.pause_max_ns / 1000),
           (unsigned long long)s.stacks_scanned);
    return SH_OK;
}

/* ---- bench ---- */
static goro_chan *bench_ping, *bench_pong;
static volatile int bench_yielding;
static goro_waitgroup bench_wg;          /* the partner goroutine has finished */

/* The partner of the gosched measurement: yields on P p until told to stop. */
static void bench_yielder(void *arg)
{
    goro_pin((int)(intptr_t)arg);
    while (bench_yielding)
        goro_gosched();
    goro_unpin();
    goro_wg_done(&bench_wg);
}

/* The partner of the channel measurement: echoes every value back until ping closes. */
static void bench_echo(void *arg)
{
    (void)arg;
    long v;
    while (goro_chan_recv(bench_ping, &v))
        goro_chan_send(bench_pong, &v);
    goro_wg_done(&bench_wg);
}

/* n gosched switches between two goroutines pinned to one core; ns per switch. */
static int64_t bench_switch(long n)
{
    int p = goro_pin(-1);
    bench_yielding = 1;
    goro_wg_add(&bench_wg, 1);
    goro_go(bench_yielder, (void *)(intptr_t)p);
    goro_gosched();                          /* let it start (and pin itself here) */
    int64_t t0 = goro_nanotime();
    for (long i = 0; i < n; i++)
        goro_gosched();
    int64_t t = goro_nanotime() - t0;
    bench_yielding = 0;
    goro_unpin();
    goro_wg_wait(&bench_wg);
    return t / (2 * n);                      /* each gosched is there and back */
}

/* n unbuffered round trips to an echo goroutine; ns per round trip, -1 if a value came
 * back wrong or there was no memory. */
static int64_t bench_chan(long n)
{
    bench_ping = goro_chan_make(sizeof(long), 0);
    bench_pong = goro_chan_make(sizeof(long), 0);
    int64_t t = -1;
    if (bench_ping && bench_pong) {
        goro_wg_add(&bench_wg, 1);
        goro_go(bench_echo, NULL);
        bool ok = true;
        int64_t t0 = goro_nanotime();
        for (long i = 0; i < n && ok; i++) {
            long v = i, back = -1;
            goro_chan_send(bench_ping, &v);
            goro_chan_recv(bench_pong, &back);
            ok = back == i;
        }
        t = ok ? (goro_nanotime() - t0) / n : -1;
        goro_chan_close(bench_ping);
        goro_wg_wait(&bench_wg);             /* the echo goroutine is done with both */
    }
    goro_chan_free(bench_ping);
    goro_chan_free(bench_pong);
    return t;
}

static int cmd_bench(int argc, char **argv)
{
    long n = 10000;
    if (argc > 1 && !arg_num("bench", "a count", argv[1], 1, 1000000, &n))
        return SH_ERR;
    int64_t sw = bench_switch(n), rt = bench_chan(n);
    if (rt < 0) {
        printf("bench: the channel measurement failed (no memory, or a wrong value came back)\n");
        return SH_ERR;
    }
    printf("bench: gosched switch %lld ns, unbuffered channel round trip %lld ns (%ld each, board time)\n",
           (long long)sw, (long long)rt, n);
    return SH_OK;
}

/* ---- sleep ---- */
static int cmd_sleep(int argc, char **argv)
{
    long ms;
    if (!arg_num("sleep", "milliseconds", argc > 1 ? argv[1] : NULL, 0, 60000, &ms))
        return SH_ERR;
    int64_t t0 = goro_nanotime();
    goro_sleep(ms * 1000000LL);
    int64_t t = goro_nanotime() - t0;
    printf("sleep: %ld ms, woke after %lld.%03lld ms\n", ms, (long long)(t / 1000000),
           (long long)(t / 1000 % 1000));
    return SH_OK;
}

/* ---- spawn ---- */
struct spawn_result { long i; uint64_t sum; int core; };
static goro_chan *spawn_results;
static goro_waitgroup spawn_wg;          /* workers done with spawn_results */

static long spawn_n(long i) { return 1000 + 37 * i; }

/* Goroutine i: the sum of the squares 1..spawn_n(i), the long way. */
static void spawn_worker(void *arg)
{
    struct spawn_result r = { (long)(intptr_t)arg, 0, 0 };
    for (uint64_t k = 1; k <= (uint64_t)spawn_n(r.i); k++)
        r.sum += k * k;
    r.core = goro_cpu();
    goro_chan_send(spawn_results, &r);
    goro_wg_done(&spawn_wg);
}

static int cmd_spawn(int argc, char **argv)
{
    long n;
    if (!arg_num("spawn", "a number of goroutines", argc > 1 ? argv[1] : NULL, 1, 1000, &n))
        return SH_ERR;
    spawn_results = goro_chan_make(sizeof(struct spawn_result), 0);
    long started = 0;
    for (; spawn_results && started < n; started++) {
        goro_wg_add(&spawn_wg, 1);
        if (goro_go(spawn_worker, (void *)(intptr_t)started) < 0) {
            goro_wg_done(&spawn_wg);
            break;
        }
    }
    long right = 0;
    uint32_t cores = 0;
    for (long k = 0; k < started; k++) {
        struct spawn_result r;
        goro_chan_recv(spawn_results, &r);
        uint64_t m = (uint64_t)spawn_n(r.i), want = m * (m + 1) * (2 * m + 1) / 6;
        right += r.sum == want;
        cores |= 1u << (r.core & 31);
        if (n <= 8 || r.sum != want)
            printf("  goroutine %ld on core %d: sum of squares 1..%llu = %llu%s\n", r.i, r.core,
                   (unsigned long long)m, (unsigned long long)r.sum, r.sum == want ? "" : " WRONG");
    }
    goro_wg_wait(&spawn_wg);
    goro_chan_free(spawn_results);
    int ncores = __builtin_popcount(cores);
    printf("spawn: %ld goroutines, %ld results correct, on %d core%s\n", started, right, ncores,
           ncores == 1 ? "" : "s");
    if (started < n)
        printf("spawn: out of memory after %ld goroutines\n", started);
    return started == n && right == n ? SH_OK : SH_ERR;
}

/* ---- trace ---- */
static int cmd_trace(int argc, char **argv)
{
    bool on = !goro_tracing();
    if (argc > 1 && strcmp(argv[1], "on") && strcmp(argv[1], "off")) {
        printf("trace: want on or off, not '%s'\n", argv[1]);
        return SH_ERR;
    }
    if (argc > 1)
        on = !strcmp(argv[1], "on");
    if (on == goro_tracing()) {
        printf("trace: already %s\n", on ? "on" : "off");
        return SH_OK;
    }
    if (!on) {
        goro_trace_stop();
        printf("trace: off, written out\n");
        return SH_OK;
    }
    if (goro_trace_start() != 0) {
        printf("trace: could not start (out of memory)\n");
        return SH_ERR;
    }
    printf("trace: on\n");
    return SH_OK;
}

/* ---- exit, help ---- */
static int cmd_exit(int argc, char **argv)
{
    long status = 0;
    if (argc > 1 && !arg_num("exit", "a status", argv[1], 0, 255, &status))
        return SH_ERR;
    shell_status = (int)status;
    return SH_EXIT;
}

static int cmd_help(int argc, char **argv);

static const struct command {
    const char *name, *usage, *help;
    int maxargs;                       /* arguments after the name */
    int (*run)(int argc, char **argv);
} commands[] = {
    { "help",  "help",          "this list", 0, cmd_help },
    { "ps",    "ps",            "every goroutine: id, state, wait reason, core, function", 0, cmd_ps },
    { "gc",    "gc",            "a full collection, and the collector's statistics", 0, cmd_gc },
    { "bench", "bench [N]",     "N gosched switches and N channel round trips (10000), ns each", 1, cmd_bench },
    { "sleep", "sleep MS",      "park the shell for MS milliseconds", 1, cmd_sleep },
    { "spawn", "spawn N",       "N goroutines compute sums of squares and report on a channel", 1, cmd_spawn },
    { "trace", "trace [on|off]", "start or stop the execution tracer (toggles without an argument)", 1, cmd_trace },
    { "exit",  "exit [N]",      "end the program with status N (0)", 1, cmd_exit },
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

static int cmd_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < NCOMMANDS; i++)
        printf("  %-16s %s\n", commands[i].usage, commands[i].help);
    return SH_OK;
}

/* ---- the shell ---- */

/* Run one command line (modified: split in place). SH_OK, SH_ERR (a message printed),
 * or SH_EXIT (the status in shell_status). An empty line is SH_OK. */
static int shell_exec(char *line)
{
    char *argv[SH_ARGS + 1], *save;
    int argc = 0;
    for (char *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (argc == SH_ARGS) {
            printf("%s: too many arguments\n", argv[0]);
            return SH_ERR;
        }
        argv[argc++] = w;
    }
    if (argc == 0)
        return SH_OK;
    argv[argc] = NULL;
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[0], commands[i].name))
            continue;
        if (argc - 1 > commands[i].maxargs) {
            printf("%s: too many arguments (usage: %s)\n", argv[0], commands[i].usage);
            return SH_ERR;
        }
        return commands[i].run(argc, argv);
    }
    printf("%s: unknown command (try help)\n", argv[0]);
    return SH_ERR;
}

/* Read one line into buf (n bytes), echoing it. Ends at CR or LF (an LF right after a
 * CR is skipped: CR LF is one end of line); backspace and DEL erase. Returns the length,
 * or -1 at the end of the input (Ctrl-D on an empty line). A line too long for buf is
 * ignored whole (said so; it returns an empty line) rather than run cut short. */
static int read_line(char *buf, int n)
{
    static bool after_cr;
    int len = 0;
    bool cut = false;
    for (;;) {
        int ch = getchar();
        if (ch == EOF) {
            clearerr(stdin);                 /* later reads wait for more, as at a terminal */
            if (len == 0)
                return -1;
            continue;
        }
        bool skip = after_cr && ch == '\n';
        after_cr = ch == '\r';
        if (skip)
            continue;
        if (ch == '\r' || ch == '\n')
            break;
        if (ch == 0x7f || ch == '\b') {
            if (len > 0) {
                len--;
                fputs("\b \b", stdout);
            }
        } else if (len < n - 1) {
            buf[len++] = (char)ch;
            putchar(ch >= ' ' && ch < 0x7f ? ch : '?');
        } else {
            cut = true;
        }
        fflush(stdout);
    }
    buf[len] = 0;
    putchar('\n');
    if (cut) {
        printf("shell: line longer than %d characters, ignored\n", n - 1);
        buf[0] = 0;
        return 0;
    }
    return len;
}

int main(void)
{
    printf("goro shell: %d cores; type help\n", goro_ncpu());
    char line[SH_LINE];
    for (;;) {
        fputs("goro> ", stdout);
        fflush(stdout);
        if (read_line(line, sizeof line) < 0) {
            printf("\nshell: end of input\n");
            return 0;
        }
        if (shell_exec(line) == SH_EXIT)
            return shell_status;
    }
}
