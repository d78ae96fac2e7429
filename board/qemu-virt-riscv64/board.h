/* qemu-virt-riscv64: MMIO addresses and rates of QEMU's RISC-V virt machine. */
#pragma once

#define BOARD_NAME        "qemu-virt-riscv64"
#define BOARD_FIRST_HART  0            /* harts below this one are parked (none here) */
#define BOARD_UART16550   0x10000000UL
#define BOARD_CLINT       0x02000000UL
#define BOARD_TIMER_HZ    10000000ULL  /* CLINT mtime: 10 MHz */
#define BOARD_FINISHER    0x00100000UL /* sifive_test: 0x5555 pass, code<<16|0x3333 fail */
#define BOARD_SEMIHOSTING 1        /* QEMU runs with -semihosting-config */
/* Device interrupts (kernel/irq.h): the PLIC's lines 1-95, delivered to core 0. */
#define BOARD_PLIC        0x0c000000UL
#define BOARD_PLIC_MCTX(hart) (2 * (hart))  /* hart h's machine-mode context */
#define BOARD_IRQ_LINES   96
#define BOARD_CONSOLE_IRQ 10           /* the 16550 (the runtime's: goro_irq_attach says EBUSY) */
/* The test source (irq_test_raise): the goldfish RTC's alarm, raised at once by an
 * alarm time already past. */
#define BOARD_GOLDFISH_RTC 0x00101000UL
#define BOARD_TEST_IRQ    11
