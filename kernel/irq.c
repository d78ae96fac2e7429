/* The portable interrupt layer: a table of device lines and their handlers, between
 * the trap entry (trap_dispatch, TRAP_EXTERNAL) and the board's controller driver.
 *
 * A device interrupt comes to core 0 (irqchip_init routes every line there). The trap
 * entry sees TRAP_EXTERNAL; irq_handle asks the controller for each pending line in
 * turn (irqchip_claim), calls the line's handler and completes it. A handler must
 * quiet its line (service the device or mask the line) before it returns; a line that
 * fires with no handler is masked here and reported once, never left to storm. At most
 * IRQ_BATCH lines per trap: anything still pending traps again at once.
 *
 * Who owns which line: the kernel claims the console's at boot (console_in.c), the
 * runtime claims lines for goroutines (runtime/irq.c, goro_irq_attach). The table
 * entry is written under irq_lock (a leaf spinlock, interrupts off while held: nothing
 * else is taken under it); irq_handle reads it without the lock (a handler pointer
 * and its argument, published by a release store of fn after arg).
 *
 * Stop-the-world, forEachP, suspend_g and the tracer never mask or defer device
 * interrupts: a line's handler runs whenever core 0 has interrupts on, which it does
 * in every wait of the runtime (a stopped P's M waits with them on). What a handler
 * does with the runtime is runtime/irq.c's to say. */
#include "irq.h"
#include "board.h"

#define IRQ_BATCH 8

struct irqline {
    irq_handler_fn fn;      /* NULL: unclaimed (release store after arg) */
    void *arg;
    bool warned;            /* a spurious firing was reported */
};

static struct irqline lines[BOARD_IRQ_LINES] GORO_NOSCAN;
static struct spinlock irq_lock = SPINLOCK_INIT("irq");

bool irq_valid(int irq) { return irq >= 0 && irq < BOARD_IRQ_LINES && irqchip_exists(irq); }

void irq_mask(int irq)
{
    if (irq_valid(irq))
        irqchip_enable(irq, false);
}

void irq_unmask(int irq)
{
    if (irq_valid(irq))
        irqchip_enable(irq, true);
}

int irq_register(int irq, irq_handler_fn fn, void *arg)
{
    if (!irq_valid(irq))
        return IRQ_EINVAL;
    if (irqchip_reserved(irq))
        return IRQ_EBUSY;
    int r = 0;
    spin_lock(&irq_lock);
    if (lines[irq].fn) {
        r = IRQ_EBUSY;
    } else {
        irqchip_enable(irq, false);
        lines[irq].arg = arg;
        lines[irq].warned = false;
        __atomic_store_n(&lines[irq].fn, fn, __ATOMIC_RELEASE);
    }
    spin_unlock(&irq_lock);
    return r;
}

void irq_unregister(int irq)
{
    if (!irq_valid(irq))
        return;
    spin_lock(&irq_lock);
    irqchip_enable(irq, false);
    __atomic_store_n(&lines[irq].fn, NULL, __ATOMIC_RELEASE);
    spin_unlock(&irq_lock);
}

void irq_init(void)
{
    irqchip_init();
    console_in_init();
}

void irq_cpu_init(int id) { irqchip_cpu_init(id); }

uint32_t irq_stamp_handle, irq_stamp_vector;
bool irq_stamping;

/* Interrupt context, interrupts off. */
void irq_handle(struct trapframe *tf)
{
    if (__builtin_expect(irq_stamping, 0)) {
        irq_stamp_handle = arch_cycles();
        irq_stamp_vector = arch_trap_stamp_read();
    }
    for (int n = 0; n < IRQ_BATCH; n++) {
        int irq = irqchip_claim(tf);
        if (irq < 0)
            return;
        struct irqline *l = irq < BOARD_IRQ_LINES ? &lines[irq] : NULL;
        irq_handler_fn fn = l ? __atomic_load_n(&l->fn, __ATOMIC_ACQUIRE) : NULL;
        if (fn) {
            fn(irq, l->arg);
        } else {
            irqchip_enable(irq, false);     /* nobody's: keep it quiet */
            if (l && !l->warned) {
                l->warned = true;
                kprintf("goro: interrupt line %d fired with no handler: masked\n", irq);
            }
        }
        irqchip_complete(irq);
    }
}
