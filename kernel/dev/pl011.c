/* ARM PL011 UART console (qemu-virt-arm, raspi2b): polled transmit, interrupt-driven
 * receive (console_in.c): the receive and receive-timeout interrupts (IMSC.RXIM,
 * RTIM) on the board's console line (BOARD_CONSOLE_IRQ). */
#include "irq.h"
#include "board.h"

#define REG(r) ((volatile uint32_t *)(BOARD_PL011 + (r)))
#define DR   0x00
#define FR   0x18
#define LCRH 0x2c
#define CR   0x30
#define IMSC 0x38
#define ICR  0x44
#define FR_RXFE     (1u << 4)
#define FR_TXFF     (1u << 5)
#define LCRH_8N1    (3u << 5)
#define LCRH_FEN    (1u << 4)
#define CR_UARTEN   (1u << 0)
#define CR_TXE      (1u << 8)
#define CR_RXE      (1u << 9)
#define INT_RX      (1u << 4)
#define INT_RT      (1u << 6)

/* QEMU's PL011 works as reset. On a real board the firmware sets the baud rate
 * (config.txt: enable_uart=1); if it left the UART off, turn it on as 8N1 with the
 * rate it has. The FIFO enable (LCRH.FEN) is left as it is: changing it empties the
 * receive FIFO, losing what came before boot (QEMU resets it off: one byte per
 * receive interrupt). */
void board_console_init(void)
{
    if (!(*REG(CR) & CR_UARTEN)) {
        *REG(LCRH) = LCRH_8N1 | (*REG(LCRH) & LCRH_FEN);
        *REG(CR) = CR_UARTEN | CR_TXE | CR_RXE;
    }
    *REG(IMSC) = 0;
}

void board_putc(char c)
{
    while (*REG(FR) & FR_TXFF)
        ;
    *REG(DR) = (uint8_t)c;
}

/* An empty FIFO also ends a pending receive timeout: cleared here. */
int board_console_getc(void)
{
    if (*REG(FR) & FR_RXFE) {
        *REG(ICR) = INT_RT;
        return -1;
    }
    return (int)(*REG(DR) & 0xff);
}

/* IMSC holds only the receive bits (transmit is polled): a plain write. */
void board_console_rx_intr(bool on) { *REG(IMSC) = on ? INT_RX | INT_RT : 0; }
