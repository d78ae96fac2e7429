/* sifive-u: MMIO addresses and rates of the HiFive Unleashed (FU540), as QEMU's sifive_u models it. */
#pragma once

#define BOARD_NAME        "sifive-u"
#define BOARD_FIRST_HART  1            /* hart 0 is the E51 monitor core (no FPU, no S-mode): parked */
#define BOARD_SIFIVE_UART 0x10010000UL /* UART0 */
#define BOARD_CLINT       0x02000000UL
#define BOARD_TIMER_HZ    1000000ULL   /* CLINT mtime: the 1 MHz RTC clock */
#define BOARD_SEMIHOSTING 1            /* QEMU runs with -semihosting-config; exit goes through it */
/* Device interrupts (kernel/irq.h): the PLIC's lines 1-53, delivered to core 0's hart. */
#define BOARD_PLIC        0x0c000000UL
#define BOARD_PLIC_MCTX(hart) ((hart) ? 2 * (hart) - 1 : 0)   /* E51: M only; U54s: M, S */
#define BOARD_IRQ_LINES   54
#define BOARD_CONSOLE_IRQ 4            /* UART0 (the runtime's: goro_irq_attach says EBUSY) */
/* The test source (irq_test_raise): UART1's transmit watermark interrupt. */
#define BOARD_SIFIVE_UART1 0x10011000UL
#define BOARD_TEST_IRQ    5
