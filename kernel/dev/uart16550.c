/* 16550 UART console (polled transmit): qemu-virt-riscv64. */
#include "kernel.h"
#include "board.h"

#define REG(r) ((volatile uint8_t *)(BOARD_UART16550 + (r)))
#define THR 0
#define LSR 5
#define LSR_THRE 0x20

void board_console_init(void) {}

void board_putc(char c)
{
    while (!(*REG(LSR) & LSR_THRE))
        ;
    *REG(THR) = (uint8_t)c;
}
