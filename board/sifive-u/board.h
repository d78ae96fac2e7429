/* sifive-u: MMIO addresses and rates of the HiFive Unleashed (FU540), as QEMU's sifive_u models it. */
#pragma once

#define BOARD_NAME        "sifive-u"
#define BOARD_FIRST_HART  1            /* hart 0 is the E51 monitor core (no FPU, no S-mode): parked */
#define BOARD_SIFIVE_UART 0x10010000UL /* UART0 */
#define BOARD_CLINT       0x02000000UL
#define BOARD_TIMER_HZ    1000000ULL   /* CLINT mtime: the 1 MHz RTC clock */
#define BOARD_SEMIHOSTING 1            /* QEMU runs with -semihosting-config; exit goes through it */
