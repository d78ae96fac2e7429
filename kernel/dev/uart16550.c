/* 16550 UART console (qemu-virt-riscv64): polled transmit, interrupt-driven receive
 * (console_in.c): the receive interrupt (IER.ERBFI, PLIC line BOARD_CONSOLE_IRQ) is
 * raised while a byte waits. The FIFO is left as reset (off under QEMU: one byte per
 * interrupt). Turning it on here would lose the byte QEMU may already have put in
 * the receive register before boot (QEMU clears the receiver when FCR.FE changes). */
#include "irq.h"
#include "board.h"

#define REG(r) ((volatile uint8_t *)(BOARD_UART16550 + (r)))
#define RBR 0
#define THR 0
#define IER 1
#define LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define IER_ERBFI 0x01

void board_console_init(void) { *REG(IER) = 0; }

void board_putc(char c)
{
    while (!(*REG(LSR) & LSR_THRE))
        ;
    *REG(THR) = (uint8_t)c;
}

int board_console_getc(void) { return (*REG(LSR) & LSR_DR) ? *REG(RBR) : -1; }

/* IER holds only the receive bit (transmit is polled): a plain write. */
void board_console_rx_intr(bool on) { *REG(IER) = on ? IER_ERBFI : 0; }
