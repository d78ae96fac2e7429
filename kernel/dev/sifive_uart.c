/* SiFive UART (sifive-u): UART0 is the console, polled transmit and interrupt-driven
 * receive (ie.rxwm with rxcnt 0: raised while any byte waits in the 8-byte receive
 * FIFO; PLIC line BOARD_CONSOLE_IRQ). UART1 is the board's test interrupt source
 * (BOARD_TEST_IRQ): with txcnt 1 its transmit watermark (ip.txwm) is up while its
 * transmit FIFO is empty, which it always is, so enabling ie.txwm raises its line at
 * once and disabling it lowers it. Baud divisors as the boot loader set them. */
#include "irq.h"
#include "board.h"

#define REG(base, r) ((volatile uint32_t *)((base) + (r)))
#define TXDATA 0x00
#define RXDATA 0x04
#define TXCTRL 0x08
#define RXCTRL 0x0c
#define IE     0x10
#define TXDATA_FULL  (1U << 31)
#define RXDATA_EMPTY (1U << 31)
#define TXCTRL_TXEN  1U
#define RXCTRL_RXEN  1U
#define TXCNT_1      (1U << 16)
#define IE_TXWM      1U
#define IE_RXWM      2U

/* Enables the transmitter and receiver; called once on the boot core before any output. */
void board_console_init(void)
{
    *REG(BOARD_SIFIVE_UART, TXCTRL) |= TXCTRL_TXEN;
    *REG(BOARD_SIFIVE_UART, RXCTRL) = RXCTRL_RXEN;      /* rxcnt 0: any byte */
    *REG(BOARD_SIFIVE_UART, IE) = 0;
}

/* Waits while the transmit FIFO is full, then queues c. */
void board_putc(char c)
{
    while (*REG(BOARD_SIFIVE_UART, TXDATA) & TXDATA_FULL)
        ;
    *REG(BOARD_SIFIVE_UART, TXDATA) = (uint8_t)c;
}

int board_console_getc(void)
{
    uint32_t r = *REG(BOARD_SIFIVE_UART, RXDATA);
    return (r & RXDATA_EMPTY) ? -1 : (int)(r & 0xff);
}

void board_console_rx_intr(bool on) { *REG(BOARD_SIFIVE_UART, IE) = on ? IE_RXWM : 0; }

void irq_test_raise(void)
{
    *REG(BOARD_SIFIVE_UART1, TXCTRL) = TXCNT_1;
    *REG(BOARD_SIFIVE_UART1, IE) = IE_TXWM;
}

void irq_test_lower(void) { *REG(BOARD_SIFIVE_UART1, IE) = 0; }
