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
static uint64_t seed = 1;

static void cpu_setup(int id)
{
    struct cpu *c = &cpus[id];
    cpu_set_id(c, id);
    c->callq_lock.name = "callq";
    arch_set_thread(c);
    arch_cpu_init(id);
    irq_cpu_init(id);
}

/* The runner passes `seed=N` and `smp=N` on the command line (kernel/cmdline.c; a BARE=1
 * image has none: seed 1). smp=N starts N of the image's nsmp cores (one test image
 * serves every core count); a bad value is a panic naming it. */
static void read_cmdline(int nsmp)
{
    cmdline_read();
    seed = (uint64_t)boot_num("seed", 0, 999999999, 1);
    ncpu = (int)boot_num("smp", 1, nsmp, nsmp);
}

uint64_t boot_seed(void) { return seed; }

/* Core 0's wait for the secondaries to come up: a short sleep at a time, not a spin.
 * Under -icount QEMU runs the cores round robin on one thread and moves to the next core
 * only when one sleeps, yields (ARM's arch_relax) or has used its share of the time to
 * the next timer event; with no timer armed yet, a RISC-V hart spinning here (arch_relax
 * is a nop) kept the thread for about 1e9 instructions before a secondary ran one: 5 s
 * of every riscv64 icount run at SMP 2 and 4 (main_returns 6.3 -> 0.9 s at SMP 2). The
 * timer's interrupt stays masked: it only ends the wait (arch_wait_for_interrupt returns
 * on a pending interrupt even when masked), and the next arch_timer_set clears it. */
#define BOOT_NAP_NS 10000
static void boot_nap(void)
{
    arch_timer_set(arch_time_now() + ns_to_ticks(BOOT_NAP_NS));
    arch_wait_for_interrupt();
}

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
        boot_nap();
    }
    arch_timer_set(UINT64_MAX);       /* off again, as rt_boot's M (timer_armed) expects */
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
