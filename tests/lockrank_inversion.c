/* The lock order is checked in a LOCKRANK=1 build (kernel/lockrank.h): taking sched.lock
 * while holding allg_lock, the reverse of the order, panics naming both locks (expected
 * failure). The negative control of every `lockrank: yes` run: it shows the check fires. */
//! smp: 2
//! variant: lockrank
//! expect: exit 2
//! output: ^panic: lockrank: core \d+ takes lock 'sched' \(rank \d+, sched\) at 0x[0-9a-f]+ while holding lock 'allg'
#include "check.h"
#include "runtime.h"

int main(void)
{
    spin_lock(&allg_lock);
    spin_lock(&sched.lock);
    spin_unlock(&sched.lock);
    spin_unlock(&allg_lock);
    printf("not ok - took sched.lock under allg_lock without a lockrank panic\n");
    return 1;
}
