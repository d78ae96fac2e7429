/* qemu-virt-riscv64: MMIO addresses and rates of QEMU's RISC-V virt machine. */
#pragma once

#define BOARD_NAME        "qemu-virt-riscv64"
#define BOARD_FIRST_HART  0            /* harts below this one are parked (none here) */
#define BOARD_UART16550   0x10000000UL
#define BOARD_CLINT       0x02000000UL
#define BOARD_TIMER_HZ    10000000ULL  /* CLINT mtime: 10 MHz */
#define BOARD_FINISHER    0x00100000UL /* sifive_test: 0x5555 pass, code<<16|0x3333 fail */
#define BOARD_SEMIHOSTING 1        /* QEMU runs with -semihosting-config */
