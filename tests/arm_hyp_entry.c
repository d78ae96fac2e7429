/* ARM: the cores enter in HYP mode, as the real Pi firmware leaves them (QEMU virt with
 * virtualization=on, PSCI over SMC); boot drops every core to SVC and the runtime works
 * as usual (the board variant HYP=1). */
//! boards: qemu-virt-arm
//! variant: hyp
//! smp: 1 2 4
#include "check.h"

extern uint32_t arm_entered_hyp;       /* boot/arm/entry.S */
static goro_waitgroup wg;
static int on_core[8];

static void touch(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&on_core[goro_cpu()], 1, __ATOMIC_RELAXED);
    goro_wg_done(&wg);
}

int main(void)
{
    check(arm_entered_hyp != 0, "cores entered in HYP mode", "entry was not in HYP");
    check(goro_ncpu() == expected_smp(), "every core came up through the HYP path", "%d cores", goro_ncpu());
    goro_wg_add(&wg, 100);
    for (int i = 0; i < 100; i++)
        goro_go(touch, NULL);
    goro_wg_wait(&wg);
    check(true, "goroutines run after the HYP -> SVC drop", "");
    return check_failures;
}
