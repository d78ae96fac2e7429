/* The ARM generic timer: the system counter (CNTVCT, the same on every core) for
 * arch_time_now (read inline, arch_impl.h), and each core's virtual timer (CNTV) as the one-shot deadline. The
 * counter rate is CNTFRQ as firmware or QEMU set it (BOARD_TIMER_HZ if it reads 0). */
#include "kernel.h"
#include "board.h"
#include "arm.h"


uint64_t arch_time_hz(void)
{
    uint32_t f = CP15_READ(0, c14, c0, 0);      /* CNTFRQ */
    return f ? f : BOARD_TIMER_HZ;
}

/* arch_timer_set is inline (arch_impl.h). The timer line is level-triggered:
 * disarming it is what acknowledges a timer interrupt (intc_ack); arming it again
 * re-raises it at once if the deadline has passed. */

void gtimer_disarm(void)
{
    CP15_WRITE(0, c14, c3, 1, 0);
    isb();
}

void gtimer_init(void) { gtimer_disarm(); }
