/* BCM2835 ARM-control interrupt block (raspi2b, BOARD_BCM2835_INTC = 0x3f00b200): the
 * 64 "GPU" peripheral lines, device lines 0-63 (kernel/irq.h; the PL011 is 57, the
 * aux mini-UART 29). The BCM2836 local controller routes them all to one core's IRQ
 * (GPU_INT_ROUTING: core 0) and shows them as source bit 8 (bcm2836_intc.c's intc_ack
 * says TRAP_EXTERNAL). Enables and disables are write-1 registers: no lock. The
 * pending registers show lines that are asserted and enabled.
 * The board's test source (BOARD_TEST_IRQ) is the aux mini-UART's transmit interrupt:
 * its transmitter is always empty under QEMU, so enabling AUX_MU_IER's transmit bit
 * raises line 29 at once and clearing it lowers it. */
#include "irq.h"
#include "board.h"
#include "arm.h"

#define IC(r)       ((volatile uint32_t *)(BOARD_BCM2835_INTC + (r)))
#define PENDING(i)  (0x04 + 4 * ((i) / 32))
#define ENABLE(i)   (0x10 + 4 * ((i) / 32))
#define DISABLE(i)  (0x1c + 4 * ((i) / 32))
#define GPU_INT_ROUTING ((volatile uint32_t *)(BOARD_LOCAL_INTC + 0x0c))
#define AUX(r)      ((volatile uint32_t *)(BOARD_AUX + (r)))
#define AUX_ENABLES 0x04
#define AUX_MU_IER  0x44
#define MU_IER_TX   0x2              /* QEMU's bcm2835_aux numbering */

void irqchip_init(void)
{
    *IC(DISABLE(0)) = 0xffffffffu;
    *IC(DISABLE(32)) = 0xffffffffu;
    *GPU_INT_ROUTING = 0;            /* IRQ (not FIQ) of core 0 */
}

void irqchip_cpu_init(int id) { (void)id; }
bool irqchip_exists(int irq) { return irq >= 0 && irq < 64; }
bool irqchip_reserved(int irq) { (void)irq; return false; }   /* timer, IPIs: the local controller's */

void irqchip_enable(int irq, bool on)
{
    *IC(on ? ENABLE(irq) : DISABLE(irq)) = 1u << (irq % 32);
    dsb();
}

/* The lowest asserted, enabled line; the handler quiets it (or masks it) before the
 * next claim looks again. */
int irqchip_claim(struct trapframe *tf)
{
    (void)tf;
    for (int w = 0; w < 64; w += 32) {
        uint32_t p = *IC(PENDING(w));
        if (p)
            return w + __builtin_ctz(p);
    }
    return -1;
}

void irqchip_complete(int irq) { (void)irq; }

void irq_test_raise(void)
{
    *AUX(AUX_ENABLES) |= 1;          /* the mini-UART */
    *AUX(AUX_MU_IER) = MU_IER_TX;
}

void irq_test_lower(void) { *AUX(AUX_MU_IER) = 0; }
