/* SiFive UART console (polled transmit): sifive-u. Baud divisor as the boot loader set it. */
#include "kernel.h"
#include "board.h"

#define REG(r) ((volatile uint32_t *)(BOARD_SIFIVE_UART + (r)))
#define TXDATA 0x00
#define TXCTRL 0x08
#define TXDATA_FULL (1U << 31)
#define TXCTRL_TXEN 1U

/* Enables the transmitter; called once on the boot core before any output. */
void board_console_init(void) { *REG(TXCTRL) |= TXCTRL_TXEN; }

/* Waits while the transmit FIFO is full, then queues c. */
void board_putc(char c)
{
    while (*REG(TXDATA) & TXDATA_FULL)
        ;
    *REG(TXDATA) = (uint8_t)c;
}
