/* Kernel boot: the boot core sets up the console, its own core and the runtime, then
 * releases the others; every core then enters the runtime (rt_boot) as an M. */
#include <string.h>
#include "kernel.h"
#include "board.h"
#include "irq.h"

struct cpu cpus[GORO_SMP_MAX] GORO_NOSCAN;
int ncpu;
extern uint32_t boot_release;           /* boot/<arch>/entry.S */
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

/* The runner passes `seed=N` on the semihosting command line (where the board has it;
 * a BARE=1 image makes no semihosting call: seed 1, empty command line). */
static void read_cmdline(void)
{
    if (GORO_BARE)
        return;
    struct { char *buf; long len; } arg = { cmdline, sizeof cmdline - 1 };
    if (arch_semihost(SYS_GET_CMDLINE, &arg) != 0)
        cmdline[0] = 0;
    const char *p = strstr(cmdline, "seed=");
    if (p) {
        seed = 0;
        for (p += 5; *p >= '0' && *p <= '9'; p++)
            seed = seed * 10 + (uint64_t)(*p - '0');
    }
}

uint64_t boot_seed(void) { return seed; }
const char *boot_cmdline(void) { return cmdline; }

/* nsmp: the image's core count (SMP=, linked in as __goro_smp by the Makefile). */
void kmain(int id, int nsmp)
{
    cpu_setup(id);
    board_console_init();
    static_branch_check();
    ncpu = nsmp;
    read_cmdline();
    irq_init();
    rt_init();
    __atomic_fetch_add(&cores_online, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&boot_release, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < ncpu; i++)
        if (i != id)
            board_cpu_start(i);
    /* Generous: under MTTCG a core's host thread may wait long for a host CPU. */
    uint64_t until = arch_time_now() + 10 * arch_time_hz();
    while (__atomic_load_n(&cores_online, __ATOMIC_ACQUIRE) < (uint32_t)ncpu) {
        if (arch_time_now() > until)
            panic("boot: only %u of %d cores came up (is QEMU's -smp smaller than SMP=?)",
                  (unsigned)__atomic_load_n(&cores_online, __ATOMIC_RELAXED), ncpu);
        arch_relax();
    }
    __atomic_store_n(&boot_go, 1, __ATOMIC_RELEASE);
    rt_boot(id);
}

void kmain_secondary(int id)
{
    cpu_setup(id);
    __atomic_fetch_add(&cores_online, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&boot_go, __ATOMIC_ACQUIRE))   /* no IPI may find a core not yet up */
        arch_relax();
    rt_boot(id);
}
