/* BCM2836 local interrupt controller (raspi2b, 0x40000000): routes each core's virtual
 * timer to its IRQ, gives each core four mailboxes (mailbox 0 rings IPIs), routes the
 * BCM2835's peripheral lines to core 0 (bcm2835_intc.c), and starts secondary cores
 * through mailbox 3, where the Pi firmware leaves them spinning. */
#include <string.h>
#include "kernel.h"
#include "board.h"
#include "arm.h"

#define LOCAL(r)       ((volatile uint32_t *)(BOARD_LOCAL_INTC + (r)))
#define TIMER_CTL(c)   (0x40 + 4 * (c))
#define MBOX_CTL(c)    (0x50 + 4 * (c))
#define IRQ_SRC(c)     (0x60 + 4 * (c))
#define MBOX_SET(c, n) (0x80 + 16 * (c) + 4 * (n))
#define MBOX_CLR(c, n) (0xc0 + 16 * (c) + 4 * (n))
#define TIMER_CNTV_IRQ (1u << 3)
#define MBOX0_IRQ      (1u << 0)
#define SRC_CNTV       (1u << 3)
#define SRC_MBOX0      (1u << 4)
#define SRC_GPU        (1u << 8)    /* a BCM2835 line (bcm2835_intc.c), routed to this core */
#define MBOX_IPI       0
#define MBOX_START     3


static inline int hw_core(void) { return CP15_READ(0, c0, c0, 5) & 0xff; }   /* MPIDR.Aff0 */

void intc_cpu_init(int id)
{
    *LOCAL(TIMER_CTL(id)) = TIMER_CNTV_IRQ;
    *LOCAL(MBOX_CTL(id)) = MBOX0_IRQ;
}

void intc_cpu_stop(void)
{
    *LOCAL(TIMER_CTL(hw_core())) = 0;
    *LOCAL(MBOX_CTL(hw_core())) = 0;
}

/* The mailbox is cleared by arch_ipi_clear (ipi_handle); the timer by disarming it. */
void intc_ack(struct trapframe *tf)
{
    uint32_t src = *LOCAL(IRQ_SRC(hw_core()));
    tf->irq = src;
    if (src & SRC_MBOX0) {
        tf->info = TRAP_IPI;
    } else if (src & SRC_CNTV) {
        tf->info = TRAP_TIMER;       /* its level drops when the tick re-arms (arm.h) */
    } else if (src & SRC_GPU) {
        tf->info = TRAP_EXTERNAL;    /* acknowledged by the line's handler, at its device */
    } else {
        tf->info = src ? TRAP_UNKNOWN_IRQ : IRQ_SPURIOUS;
    }
}

/* The sender's ipi_bits store is visible (dsb) before the mailbox rings. */
void arch_ipi_send(int cpu)
{
    dsb();
    *LOCAL(MBOX_SET(cpu, MBOX_IPI)) = 1;
}

/* Clear the doorbell before the caller takes its bits: a later message rings again. */
void arch_ipi_clear(void)
{
    *LOCAL(MBOX_CLR(hw_core(), MBOX_IPI)) = 0xffffffffu;
    dsb();
}

bool arch_ipi_take(void)
{
    if (!(*LOCAL(IRQ_SRC(hw_core())) & SRC_MBOX0))
        return false;
    arch_ipi_clear();
    return true;
}

/* Start a secondary: the firmware's spin loop (and QEMU's, booting a raw image: RAW=1)
 * jumps to what mailbox 3 holds; under QEMU's ELF loader the core already waits in
 * _start for boot_release, which kmain has set: clean it to memory (the waiter's caches
 * are off) and wake it (sev). bootdebug=nombox3 on the command line leaves mailbox 3
 * alone: a negative control (tests/boot_mailbox3.c), the cores then stay in that loop. */
void board_cpu_start(int cpu)
{
    dcache_clean_line(&boot_release);
    if (!boot_flags("bootdebug", (const char *const[]){ "nombox3", NULL }))
        *LOCAL(MBOX_SET(cpu, MBOX_START)) = (uint32_t)(uintptr_t)_start;
    dsb();
    __asm__ volatile("sev");
}
