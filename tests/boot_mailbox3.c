/* Negative control of the raw-image boot (variant raw: RAW=1, QEMU's -kernel with the raw
 * image, as the Pi firmware boots kernel7.img): only core 0 starts, the others spin on
 * mailbox 3. bootdebug=nombox3 keeps board_cpu_start from writing _start there, and boot
 * must then report the cores that never came up. It proves the raw runs (cores_up,
 * main_returns, gc_concurrent_trees with `raw: yes`) get their secondaries through
 * mailbox 3, not through an ELF loader that started every core. */
//! boards: raspi2b
//! variant: raw
//! smp: 4
//! args: bootdebug=nombox3
//! expect: exit 2
//! output: boot: only 1 of 4 cores came up
#include "check.h"

int main(void)
{
    check(0, "secondaries start without mailbox 3", "main ran with %d cores", goro_ncpu());
    return check_failures;
}
