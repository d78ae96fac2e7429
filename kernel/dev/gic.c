/* ARM GICv2 interrupt controller (qemu-virt-arm): each core's timer PPI and one SGI
 * for IPIs, and the distributor's SPIs as device lines (kernel/irq.h: line numbers are
 * interrupt IDs, 32 and up; IDs 0-31, the per-core SGIs and PPIs, are the runtime's).
 * Every SPI targets core 0's CPU interface. An interrupt is acknowledged (IAR) and
 * ended (EOIR) on entry, before the handler runs, so a handler that switches
 * goroutines leaves nothing active; a level SPI still asserted after the EOI is
 * pending again, and comes back once its handler returns unless the handler masked
 * it. The board's test source (BOARD_TEST_IRQ) is an SPI no device drives, pended by
 * software (ISPENDR; the acknowledge clears that). */
#include "irq.h"
#include "board.h"
#include "arm.h"

#define GICD(r) ((volatile uint32_t *)(BOARD_GICD + (r)))
#define GICC(r) ((volatile uint32_t *)(BOARD_GICC + (r)))
#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER0 0x100            /* banked per core for SGIs and PPIs */
#define GICD_ISENABLER(i) (0x100 + 4 * ((i) / 32))
#define GICD_ICENABLER(i) (0x180 + 4 * ((i) / 32))
#define GICD_ISPENDR(i)   (0x200 + 4 * ((i) / 32))
#define GICD_ICPENDR(i)   (0x280 + 4 * ((i) / 32))
#define GICD_ITARGETSR  0x800
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR       0xf00
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0c
#define GICC_EOIR       0x10
#define GICC_HPPIR      0x18
#define IRQ_ID_SPURIOUS 1023
#define SGI_IPI         0                /* the one SGI goro sends */
#define PRIO            0xa0

/* Interrupts off. Core 0 comes first (kmain) and enables the distributor. */
void intc_cpu_init(int id)
{
    volatile uint8_t *prio = (volatile uint8_t *)(BOARD_GICD + GICD_IPRIORITYR);
    if (id == 0)
        *GICD(GICD_CTLR) = 1;
    prio[SGI_IPI] = PRIO;
    prio[BOARD_TIMER_PPI] = PRIO;
    *GICD(GICD_ISENABLER0) = 1u << SGI_IPI | 1u << BOARD_TIMER_PPI;
    *GICC(GICC_PMR) = 0xf0;
    *GICC(GICC_CTLR) = 1;
}

void intc_cpu_stop(void) { *GICC(GICC_CTLR) = 0; }

/* The timer first: it is on the tick's path (kernel/arm/tick.S), every other is not. */
void intc_ack(struct trapframe *tf)
{
    uint32_t iar = *GICC(GICC_IAR), id = iar & 0x3ff;
    tf->irq = iar;
    if (__builtin_expect(id == BOARD_TIMER_PPI, 1)) {
        tf->info = TRAP_TIMER;           /* its level drops when the tick re-arms (arm.h) */
        *GICC(GICC_EOIR) = iar;
        return;
    }
    if (id == IRQ_ID_SPURIOUS) {
        tf->info = IRQ_SPURIOUS;
        return;
    }
    tf->info = id == SGI_IPI ? TRAP_IPI : id >= 32 ? TRAP_EXTERNAL : TRAP_UNKNOWN_IRQ;
    *GICC(GICC_EOIR) = iar;
}

/* The sender's ipi_bits store is visible (dsb) before the SGI rings. */
void arch_ipi_send(int cpu)
{
    dsb();
    *GICD(GICD_SGIR) = 1u << (16 + cpu) | SGI_IPI;
}

/* The SGI was acknowledged by intc_ack; order that before the caller reads its bits. */
void arch_ipi_clear(void) { dsb(); }

/* The SGI is acknowledged here, when it is the highest pending interrupt (HPPIR; it
 * then is what IAR returns: SGI 0 has the lowest id of all, at the one priority every
 * source has). Should IAR return another all the same, it is ended and, if a device's,
 * pended again for the trap to take: a level line would be pending again by itself, but
 * an edge or a software pend (the test source) would be lost. */
bool arch_ipi_take(void)
{
    if ((*GICC(GICC_HPPIR) & 0x3ff) != SGI_IPI)
        return false;
    uint32_t iar = *GICC(GICC_IAR), id = iar & 0x3ff;
    if (id == IRQ_ID_SPURIOUS)
        return false;
    *GICC(GICC_EOIR) = iar;
    if (id != SGI_IPI) {
        if (id >= 32)
            *GICD(GICD_ISPENDR(id)) = 1u << (id % 32);
        return false;
    }
    dsb();                               /* as arch_ipi_clear: before the bits are read */
    return true;
}

/* ---- device lines (kernel/irq.h) ---- */
static int gic_lines(void) { return 32 * ((*GICD(GICD_TYPER) & 0x1f) + 1); }

/* Boot core, before the others start: every SPI masked, routed to core 0. */
void irqchip_init(void)
{
    volatile uint8_t *prio = (volatile uint8_t *)(BOARD_GICD + GICD_IPRIORITYR);
    volatile uint8_t *target = (volatile uint8_t *)(BOARD_GICD + GICD_ITARGETSR);
    int n = gic_lines();
    for (int i = 32; i < n; i += 32)
        *GICD(GICD_ICENABLER(i)) = 0xffffffffu;
    for (int i = 32; i < n; i++) {
        prio[i] = PRIO;
        target[i] = 1;                   /* CPU interface 0: core 0 */
    }
}

void irqchip_cpu_init(int id) { (void)id; }   /* intc_cpu_init did the CPU interface */
bool irqchip_exists(int irq) { return irq >= 0 && irq < gic_lines() && irq < BOARD_IRQ_LINES; }
bool irqchip_reserved(int irq) { return irq < 32; }

/* ISENABLER/ICENABLER are write-1-to-set/clear: no read-modify-write, no lock. */
void irqchip_enable(int irq, bool on)
{
    *GICD(on ? GICD_ISENABLER(irq) : GICD_ICENABLER(irq)) = 1u << (irq % 32);
    dsb();
}

/* intc_ack acknowledged and ended it: the one line of this trap, once. */
int irqchip_claim(struct trapframe *tf)
{
    uint32_t id = tf->irq & 0x3ff;
    if (tf->info != TRAP_EXTERNAL || id == IRQ_ID_SPURIOUS)
        return -1;
    tf->irq = IRQ_ID_SPURIOUS;
    return (int)id;
}

void irqchip_complete(int irq) { (void)irq; }

void irq_test_raise(void) { *GICD(GICD_ISPENDR(BOARD_TEST_IRQ)) = 1u << (BOARD_TEST_IRQ % 32); }
void irq_test_lower(void) { *GICD(GICD_ICPENDR(BOARD_TEST_IRQ)) = 1u << (BOARD_TEST_IRQ % 32); }
