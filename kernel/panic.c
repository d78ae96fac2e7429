/* panic: the one way the kernel and runtime report a broken invariant or a fatal trap.
 * The first core to panic stops the others by IPI, prints the message, core, the
 * current goroutine (from the runtime), the trap cause, pc and registers when there is
 * a trap frame, and a frame-pointer backtrace; then the program exits with status 2.
 * Pcs are printed as addresses, followed by function+offset from the image's symbol
 * table (symtab.c) when it has one. */
#include "kernel.h"
#include "upcall.h"

volatile int panicking;
static uint32_t panic_owner;     /* atomic: core index + 1 of the panicking core */
static uint32_t cores_halted;    /* atomic: cores that took IPI_HALT */

static void stop_other_cores(void)
{
    for (int i = 0; i < ncpu; i++)
        if (i != cpu_id())
            ipi_send(i, IPI_HALT);
    /* Cores with interrupts off can't answer; don't wait for them for long. */
    uint64_t until = arch_time_now() + arch_time_hz() / 20;
    while (__atomic_load_n(&cores_halted, __ATOMIC_ACQUIRE) < (uint32_t)(ncpu - 1) &&
           arch_time_now() < until)
        arch_relax();
}

/* IPI_HALT handler: park this core for good. */
_Noreturn void panic_halt_this_core(void)
{
    __atomic_fetch_add(&cores_halted, 1, __ATOMIC_RELEASE);
    arch_halt();
}

/* A frame: its return address and, when the image has its symbol table, the function. */
static bool print_frame(uintptr_t pc, void *arg)
{
    int *n = arg;
    kprintf("  #%d pc 0x%lx%pB\n", (*n)++, (unsigned long)pc, (void *)pc);
    return *n < 32;
}

void print_backtrace(uintptr_t fp)
{
    int n = 0;
    kprintf("backtrace:\n");
    arch_backtrace(fp, fp, fp + 1024 * 1024, print_frame, &n);
}

/* The start of every fatal report (a panic, checkdead's deadlock): interrupts off, the
 * other cores stopped, the console written without its lock from here on, starting on a
 * line of its own (a stopped core may have been halfway through one). A second core
 * that gets here parks instead: the first one reports. */
void fatal_begin(void)
{
    arch_intr_off();
    uint32_t me = cpu_id() + 1, prev = 0;
    if (!cas_acq_rel(&panic_owner, &prev, me, false, __ATOMIC_ACQUIRE)) {
        if (prev == me) {                  /* a panic while panicking: give up at once */
            if (!GORO_BARE)
                board_exit(2);
            arch_halt();
        }
        panic_halt_this_core();            /* another core reports; it will stop us */
    }
    if (ncpu > 1)
        stop_other_cores();
    panicking = 1;
    console_fresh_line();
}

_Noreturn void vpanic(const char *fmt, va_list ap, uintptr_t fp)
{
    fatal_begin();
    char msg[256];
    kvsnprintf(msg, sizeof msg, fmt, ap);
    kprintf("panic: %s\n[core %d] ", msg, cpu_id());
    rt_panic_report();
    print_backtrace(fp);
    kexit(2);
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpanic(fmt, ap, arch_frame_pointer());
}

_Noreturn void panic_trap(struct trapframe *tf, const char *fmt, ...)
{
    fatal_begin();
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kprintf("panic: %s\n[core %d] ", msg, cpu_id());
    rt_panic_report();
    kprintf("cause: %s, pc 0x%lx%pN\n", tf_cause_name(tf), (unsigned long)tf_pc(tf), (void *)tf_pc(tf));
    tf_print(tf);
    kprintf("  #0 pc 0x%lx%pN\n", (unsigned long)tf_pc(tf), (void *)tf_pc(tf));
    print_backtrace(tf_fp(tf));
    kexit(2);
}
