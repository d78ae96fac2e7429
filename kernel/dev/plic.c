/* RISC-V PLIC (platform-level interrupt controller): the device lines of
 * qemu-virt-riscv64 and sifive-u (board.h: BOARD_PLIC, BOARD_PLIC_MCTX). Every line is
 * enabled in one context only, the machine-mode context of core 0's hart, whose
 * threshold is 0; every other hart's machine context has nothing enabled, so only core
 * 0 takes device interrupts. A line is masked and unmasked by its priority: 0 never
 * interrupts, 1 does. One word per line, written whole: no read-modify-write of the
 * shared enable words, so no lock, and the enable stays set, so completing a masked
 * line needs nothing more (the spec lets a PLIC ignore the completion of a line not
 * enabled for the context). A priority write also makes QEMU 7.2 re-evaluate its
 * output (an enable write does not: a line already pending would wait for the next
 * change). Claim/complete are the context's claim register. */
#include "irq.h"
#include "board.h"

#define PRIORITY(i)   ((volatile uint32_t *)(BOARD_PLIC + 4 * (i)))
#define ENABLE(c, i)  ((volatile uint32_t *)(BOARD_PLIC + 0x2000 + 0x80 * (c) + 4 * ((i) / 32)))
#define THRESHOLD(c)  ((volatile uint32_t *)(BOARD_PLIC + 0x200000 + 0x1000 * (c)))
#define CLAIM(c)      ((volatile uint32_t *)(BOARD_PLIC + 0x200004 + 0x1000 * (c)))
#define CORE0_CTX     BOARD_PLIC_MCTX(BOARD_FIRST_HART)

void irqchip_init(void)
{
    for (int i = 1; i < BOARD_IRQ_LINES; i++)
        *PRIORITY(i) = 0;                   /* masked */
}

void irqchip_cpu_init(int id)
{
    int ctx = BOARD_PLIC_MCTX(id + BOARD_FIRST_HART);
    for (int i = 0; i < BOARD_IRQ_LINES; i += 32) {
        uint32_t bits = 0;
        if (id == 0)
            for (int b = 0; b < 32 && i + b < BOARD_IRQ_LINES; b++)
                bits |= (i + b >= 1 ? 1u : 0u) << b;
        *ENABLE(ctx, i) = bits;
    }
    *THRESHOLD(ctx) = 0;
}

bool irqchip_exists(int irq) { return irq >= 1 && irq < BOARD_IRQ_LINES; }   /* 0 is "none" */
bool irqchip_reserved(int irq) { (void)irq; return false; }   /* timer and IPIs are the CLINT's */

void irqchip_enable(int irq, bool on)
{
    *PRIORITY(irq) = on ? 1 : 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);   /* before a caller's next look at the device */
}

int irqchip_claim(struct trapframe *tf)
{
    (void)tf;
    uint32_t irq = *CLAIM(CORE0_CTX);     /* only core 0 takes device interrupts */
    return irq ? (int)irq : -1;
}

void irqchip_complete(int irq) { *CLAIM(CORE0_CTX) = (uint32_t)irq; }
