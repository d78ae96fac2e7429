/* RISC-V PLIC (platform-level interrupt controller): the device lines of
 * qemu-virt-riscv64 and sifive-u (board.h: BOARD_PLIC, BOARD_PLIC_MCTX). Every line
 * has priority 1 and is enabled, when unmasked, in one context only: the machine-mode
 * context of core 0's hart, whose threshold is 0. Every other hart's machine context
 * has nothing enabled (threshold 0 too), so only core 0 takes device interrupts.
 * Claim/complete are the context's claim register. */
#include "irq.h"
#include "board.h"

#define PRIORITY(i)   ((volatile uint32_t *)(BOARD_PLIC + 4 * (i)))
#define ENABLE(c, i)  ((volatile uint32_t *)(BOARD_PLIC + 0x2000 + 0x80 * (c) + 4 * ((i) / 32)))
#define THRESHOLD(c)  ((volatile uint32_t *)(BOARD_PLIC + 0x200000 + 0x1000 * (c)))
#define CLAIM(c)      ((volatile uint32_t *)(BOARD_PLIC + 0x200004 + 0x1000 * (c)))
#define CORE0_CTX     BOARD_PLIC_MCTX(BOARD_FIRST_HART)

/* Guards the enable words' read-modify-write (a leaf lock, interrupts off). */
static struct spinlock plic_lock = SPINLOCK_INIT("plic");

void irqchip_init(void)
{
    for (int i = 1; i < BOARD_IRQ_LINES; i++)
        *PRIORITY(i) = 1;
}

void irqchip_cpu_init(int id)
{
    int ctx = BOARD_PLIC_MCTX(id + BOARD_FIRST_HART);
    for (int i = 0; i < BOARD_IRQ_LINES; i += 32)
        *ENABLE(ctx, i) = 0;
    *THRESHOLD(ctx) = 0;
}

bool irqchip_exists(int irq) { return irq >= 1 && irq < BOARD_IRQ_LINES; }   /* 0 is "none" */
bool irqchip_reserved(int irq) { (void)irq; return false; }   /* timer and IPIs are the CLINT's */

void irqchip_enable(int irq, bool on)
{
    spin_lock(&plic_lock);
    uint32_t bit = 1u << (irq % 32);
    if (on)
        *ENABLE(CORE0_CTX, irq) |= bit;
    else
        *ENABLE(CORE0_CTX, irq) &= ~bit;
    *THRESHOLD(CORE0_CTX) = 0;          /* QEMU 7.2 re-evaluates its output on this write,
                                           not on an enable's: a line already pending
                                           would wait for the next change (a hang) */
    spin_unlock(&plic_lock);
}

int irqchip_claim(struct trapframe *tf)
{
    (void)tf;
    uint32_t irq = *CLAIM(CORE0_CTX);     /* only core 0 takes device interrupts */
    return irq ? (int)irq : -1;
}

/* The spec lets a PLIC ignore the completion of a line not enabled for the context, and
 * a handler may just have masked it: enabled for the write, so the gateway is free for
 * the line's next request. Core 0's context is the only one with lines. */
void irqchip_complete(int irq)
{
    uint32_t bit = 1u << (irq % 32);
    spin_lock(&plic_lock);
    uint32_t en = *ENABLE(CORE0_CTX, irq);
    if (!(en & bit))
        *ENABLE(CORE0_CTX, irq) = en | bit;
    *CLAIM(CORE0_CTX) = (uint32_t)irq;
    if (!(en & bit))
        *ENABLE(CORE0_CTX, irq) = en;
    spin_unlock(&plic_lock);
}
