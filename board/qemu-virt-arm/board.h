/* qemu-virt-arm: MMIO addresses and interrupt numbers of QEMU's ARM virt machine. */
#pragma once

#define BOARD_NAME        "qemu-virt-arm"
#define BOARD_PL011       0x09000000UL
#define BOARD_GICD        0x08000000UL  /* GICv2 distributor */
#define BOARD_GICC        0x08010000UL  /* GICv2 CPU interface */
#define BOARD_TIMER_PPI   27            /* the virtual timer's PPI (CNTV) */
#define BOARD_TIMER_HZ    62500000ULL   /* only if CNTFRQ reads 0 */
#define BOARD_MMIO_BASE   0x08000000UL  /* Device memory: GIC, UART, RTC, fw_cfg, virtio */
#define BOARD_MMIO_END    0x0a200000UL  /* flash below it and the gap above are unmapped */
/* Device interrupts (kernel/irq.h): the GIC's SPIs, IDs 32-287, delivered to core 0.
 * IDs 0-31 (SGIs, PPIs) are the runtime's. */
#define BOARD_IRQ_LINES   288
#define BOARD_CONSOLE_IRQ 33            /* the PL011, SPI 1 (the runtime's: EBUSY) */
/* The test source (irq_test_raise): SPI 200, which no device of the machine drives,
 * pended by software at the distributor (ISPENDR). */
#define BOARD_TEST_IRQ    232
