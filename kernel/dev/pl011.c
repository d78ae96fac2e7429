/* ARM PL011 UART console (polled transmit): qemu-virt-arm, raspi2b. */
#include "kernel.h"
#include "board.h"

#define REG(r) ((volatile uint32_t *)(BOARD_PL011 + (r)))
#define DR   0x00
#define FR   0x18
#define LCRH 0x2c
#define CR   0x30
#define FR_TXFF     (1u << 5)
#define LCRH_8N1    (3u << 5)
#define LCRH_FEN    (1u << 4)
#define CR_UARTEN   (1u << 0)
#define CR_TXE      (1u << 8)
#define CR_RXE      (1u << 9)

/* QEMU's PL011 works as reset. On a real board the firmware sets the baud rate
 * (config.txt: enable_uart=1); if it left the UART off, turn it on as 8N1 with the
 * rate it has. */
void board_console_init(void)
{
    if (!(*REG(CR) & CR_UARTEN)) {
        *REG(LCRH) = LCRH_8N1 | LCRH_FEN;
        *REG(CR) = CR_UARTEN | CR_TXE | CR_RXE;
    }
}

void board_putc(char c)
{
    while (*REG(FR) & FR_TXFF)
        ;
    *REG(DR) = (uint8_t)c;
}
