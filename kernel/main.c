/* Kernel boot: the boot core sets up the console, its own core and the runtime, then
 * releases the others; every core then enters the runtime (rt_boot) as an M. */
#include <string.h>
#include "kernel.h"
#include "board.h"
#include "irq.h"
#include "upcall.h"

struct cpu cpus[GORO_SMP_MAX] GORO_NOSCAN;
int ncpu;
static uint32_t cores_online;           /* atomic */
static uint32_t boot_go;                /* atomic: every core is up; schedule */
static char cmdline[256];
static uint64_t seed = 1;

#define SYS_GET_CMDLINE 0x15

static void cpu_setup(int id)
{
    struct cpu *c = &cpus[id];
    c->self = c;
    c->id = id;
    c->callq_lock.name = "callq";
    arch_set_thread(c);
    arch_cpu_init(id);
    irq_cpu_init(id);
}

/* The value of the command line's `key=` word as a decimal number: 1 if it is there and
 * all digits (at most 9 of them), 0 if absent, -1 if malformed. */
static int cmdline_num(const char *key, uint64_t *val)
{
    size_t n = strlen(key);
    for (const char *w = cmdline; (w = strstr(w, key)) != NULL; w += n) {
        if (w != cmdline && w[-1] != ' ')
            continue;
        const char *p = w + n;
        uint64_t v = 0;
        int digits = 0;
        for (; *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
            v = v * 10 + (uint64_t)(*p - '0');
        if (digits == 0 || digits > 9 || (*p != 0 && *p != ' '))
            return -1;
        *val = v;
        return 1;
    }
    return 0;
}

/* The runner passes `seed=N` and `smp=N` on the semihosting command line (where the board
 * has it; a BARE=1 image makes no semihosting call: seed 1, empty command line). smp=N
 * starts N of the image's nsmp cores (one test image serves every core count); a bad
 * value is a panic naming it. */
static void read_cmdline(int nsmp)
{
    if (GORO_BARE)
        return;
    struct { char *buf; long len; } arg = { cmdline, sizeof cmdline - 1 };
    if (arch_semihost(SYS_GET_CMDLINE, &arg) != 0)
        cmdline[0] = 0;
    uint64_t v;
    int r = cmdline_num("seed=", &v);
    if (r < 0)
        panic("boot: bad seed= on the command line: '%s'", cmdline);
    if (r > 0)
        seed = v;
    r = cmdline_num("smp=", &v);
    if (r < 0 || (r > 0 && (v < 1 || v > (uint64_t)nsmp)))
        panic("boot: smp= on the command line must be 1..%d (the image's SMP): '%s'", nsmp, cmdline);
    if (r > 0)
        ncpu = (int)v;
}

uint64_t boot_seed(void) { return seed; }
const char *boot_cmdline(void) { return cmdline; }

/* nsmp: the image's core count (SMP=, linked in as __goro_smp by the Makefile); the
 * command line's smp= may start fewer. Core 0 boots: the others are its secondaries. */
void kmain(int id, int nsmp)
{
    cpu_setup(id);
    board_console_init();
    static_branch_check();
    ncpu = nsmp;
    read_cmdline(nsmp);
    irq_init();
    rt_init();
    __atomic_fetch_add(&cores_online, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&boot_release, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < ncpu; i++)
        if (i != id)
            board_cpu_start(i);
    uint64_t until = arch_time_now() + ns_to_ticks(WATCHDOG_BOOT_NS);
    while (__atomic_load_n(&cores_online, __ATOMIC_ACQUIRE) < (uint32_t)ncpu) {
        if (arch_time_now() > until)
            panic("boot: only %u of %d cores came up (is QEMU's -smp smaller than SMP= or smp=?)",
                  (unsigned)__atomic_load_n(&cores_online, __ATOMIC_RELAXED), ncpu);
        arch_relax();
    }
    __atomic_store_n(&boot_go, 1, __ATOMIC_RELEASE);
    rt_boot(id);
}

/* A core the image has but smp= left out stays parked (boot_release let it this far). */
void kmain_secondary(int id)
{
    if (id >= ncpu)
        arch_halt();
    cpu_setup(id);
    __atomic_fetch_add(&cores_online, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&boot_go, __ATOMIC_ACQUIRE))   /* no IPI may find a core not yet up */
        arch_relax();
    rt_boot(id);
}
