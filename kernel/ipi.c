/* Inter-processor interrupts: a bit mask of messages per core plus the hardware
 * doorbell, and cpu_call, a queue of functions to run on a given core.
 *
 * Ordering: the sender sets its bits (release) before ringing; the receiver
 * acknowledges the doorbell before taking the bits (acquire), so a message sent after
 * the take rings again and none is lost. */
#include "kernel.h"
#include "upcall.h"


void ipi_send(int cpu, uint32_t bits)
{
    __atomic_fetch_or(&cpus[cpu].ipi_bits, bits, __ATOMIC_RELEASE);
    arch_ipi_send(cpu);
}

/* callq_lock: guards cpu->callq; a leaf lock (only the console lock may follow). */
bool cpu_call(int cpu, void (*fn)(void *), void *arg)
{
    struct cpu *c = &cpus[cpu];
    spin_lock(&c->callq_lock);
    bool ok = c->callq_tail - c->callq_head < CPU_CALLQ;
    if (ok) {
        c->callq[c->callq_tail % CPU_CALLQ].fn = fn;
        c->callq[c->callq_tail % CPU_CALLQ].arg = arg;
        c->callq_tail++;
    }
    spin_unlock(&c->callq_lock);
    if (ok)
        ipi_send(cpu, IPI_CALL);
    return ok;
}

uintptr_t cpu_poke_pc(int cpu, bool *live)
{
    struct cpu *c = &cpus[cpu];
    uintptr_t last = __atomic_load_n(&c->last_pc, __ATOMIC_RELAXED), pc = 0;
    *live = true;
    if (cpu == cpu_id())
        return last;                                      /* ourselves: nothing to learn */
    __atomic_store_n(&c->last_pc, 0, __ATOMIC_RELAXED);   /* its next trap writes it */
    ipi_send(cpu, IPI_WAKE);                              /* a wake-up: harmless anywhere */
    uint64_t t0 = arch_time_now(), limit = ns_to_ticks(WATCHDOG_POKE_NS);
    while (!(pc = __atomic_load_n(&c->last_pc, __ATOMIC_RELAXED)) && arch_time_now() - t0 < limit)
        arch_relax();
    *live = pc != 0;
    return pc ? pc : last;
}

static void run_calls(struct cpu *c)
{
    for (;;) {
        spin_lock(&c->callq_lock);
        if (c->callq_head == c->callq_tail) {
            spin_unlock(&c->callq_lock);
            return;
        }
        void (*fn)(void *) = c->callq[c->callq_head % CPU_CALLQ].fn;
        void *arg = c->callq[c->callq_head % CPU_CALLQ].arg;
        c->callq_head++;
        spin_unlock(&c->callq_lock);
        fn(arg);
    }
}

/* The doorbell acknowledged: take this core's messages and act on them. tf: the
 * trap's frame, or NULL (ipi_poll). */
static void ipi_run(struct cpu *c, struct trapframe *tf)
{
    uint32_t bits = __atomic_exchange_n(&c->ipi_bits, 0, __ATOMIC_ACQUIRE);
    c->ipis++;
    if (bits & IPI_HALT)
        panic_halt_this_core();
    if (bits & IPI_CALL)
        run_calls(c);
    bits &= ~(IPI_HALT | IPI_CALL);
    if (bits)
        rt_ipi(tf, bits);
}

/* Interrupt context. */
void ipi_handle(struct trapframe *tf)
{
    arch_ipi_clear();
    ipi_run(arch_cpu(), tf);
}

/* Interrupts off, on a core that waits for them masked (the idle M's m_sleep, after its
 * WFI): an IPI that rang is taken here, as ipi_handle would in its trap, without the
 * trap (on ARM the frame alone is 30 instructions to save and restore, VFP included).
 * The caller's pc stands for the interrupted one (cpu_poke_pc waits for it). True if
 * one rang; then the caller looks again at what it waits for. */
bool ipi_poll(void)
{
    if (!arch_ipi_take())
        return false;
    struct cpu *c = arch_cpu();
    c->last_pc = (uintptr_t)__builtin_return_address(0);
    ipi_run(c, NULL);
    return true;
}
