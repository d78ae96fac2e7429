/* Goldfish RTC (qemu-virt-riscv64, BOARD_GOLDFISH_RTC, PLIC line BOARD_TEST_IRQ): the
 * board's test interrupt source. Writing an alarm time that has already passed (the time
 * just read; QEMU takes the alarm relative to its clock's start, so 0 would be far in
 * the future) makes it raise its alarm interrupt at once (a level, held until CLEAR_INTERRUPT), so a test
 * can pend the line by one MMIO write with no timing involved. */
#include "irq.h"
#include "board.h"

#define REG(r) ((volatile uint32_t *)(BOARD_GOLDFISH_RTC + (r)))
#define TIME_LOW        0x00        /* reading it latches TIME_HIGH */
#define TIME_HIGH       0x04
#define ALARM_LOW       0x08
#define ALARM_HIGH      0x0c
#define IRQ_ENABLED     0x10
#define CLEAR_INTERRUPT 0x1c

void irq_test_raise(void)
{
    *REG(IRQ_ENABLED) = 1;
    uint32_t lo = *REG(TIME_LOW), hi = *REG(TIME_HIGH);
    *REG(ALARM_HIGH) = hi;
    *REG(ALARM_LOW) = lo;           /* the time just read has passed: the alarm fires now */
}

void irq_test_lower(void) { *REG(CLEAR_INTERRUPT) = 1; }
