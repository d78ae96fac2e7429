/* ARM GICv2 interrupt controller (qemu-virt-arm): each core's timer PPI and one SGI
 * for IPIs. An interrupt is acknowledged (IAR) and ended (EOIR) on entry, before the
 * handler runs, so a handler that switches goroutines leaves nothing active. */
#include "kernel.h"
#include "board.h"
#include "arm.h"

#define GICD(r) ((volatile uint32_t *)(BOARD_GICD + (r)))
#define GICC(r) ((volatile uint32_t *)(BOARD_GICC + (r)))
#define GICD_CTLR       0x000
#define GICD_ISENABLER0 0x100            /* banked per core for SGIs and PPIs */
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR       0xf00
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0c
#define GICC_EOIR       0x10
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

void intc_ack(struct trapframe *tf)
{
    uint32_t iar = *GICC(GICC_IAR), id = iar & 0x3ff;
    tf->irq = iar;
    if (id == IRQ_ID_SPURIOUS) {
        tf->info = IRQ_SPURIOUS;
        return;
    }
    if (id == BOARD_TIMER_PPI) {
        gtimer_disarm();                 /* the level goes down before the EOI */
        tf->info = TRAP_TIMER;
    } else {
        tf->info = id == SGI_IPI ? TRAP_IPI : TRAP_UNKNOWN_IRQ;
    }
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
