/* raspi2b: MMIO addresses of the BCM2836 (Raspberry Pi 2B) as the ARM cores see them. */
#pragma once

#define BOARD_NAME        "raspi2b"
#define BOARD_PL011       0x3f201000UL
#define BOARD_LOCAL_INTC  0x40000000UL  /* BCM2836 per-core timers, mailboxes, IRQ sources */
#define BOARD_TIMER_HZ    19200000ULL   /* only if CNTFRQ reads 0 (firmware sets 19.2 MHz) */
#define BOARD_MMIO_BASE   0x3f000000UL  /* Device memory: peripherals and the local intc */
#define BOARD_MMIO_END    0x40100000UL
/* Device interrupts (kernel/irq.h): the BCM2835's 64 peripheral ("GPU") lines, 0-63,
 * routed by the local controller to core 0. */
#define BOARD_BCM2835_INTC 0x3f00b200UL
#define BOARD_IRQ_LINES   64
#define BOARD_CONSOLE_IRQ 57            /* the PL011 (the runtime's: EBUSY) */
/* The test source (irq_test_raise): the aux mini-UART's transmit interrupt, line 29. */
#define BOARD_AUX         0x3f215000UL
#define BOARD_TEST_IRQ    29
