/* raspi2b: MMIO addresses of the BCM2836 (Raspberry Pi 2B) as the ARM cores see them. */
#pragma once

#define BOARD_NAME        "raspi2b"
#define BOARD_PL011       0x3f201000UL
#define BOARD_LOCAL_INTC  0x40000000UL  /* BCM2836 per-core timers, mailboxes, IRQ sources */
#define BOARD_TIMER_HZ    19200000ULL   /* only if CNTFRQ reads 0 (firmware sets 19.2 MHz) */
#define BOARD_MMIO_BASE   0x3f000000UL  /* Device memory: peripherals and the local intc */
#define BOARD_MMIO_END    0x40100000UL
