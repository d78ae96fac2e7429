/* Negative control for world_stop_attn.c: worlddebug=noattn makes the stopper forget
 * every P's attn, and the handing-off P then stops only through fairness (about 60
 * re-sent preemption rounds a stop: 47 on riscv64, 64 on virt-arm), which the test must
 * report. The knob is in portable code (world.c), so one board shows it: riscv64 runs
 * icount at a tenth of virt-arm's speed (98 s against 29 s for this control). */
//! smp: 2
//! icount: only
//! args: worlddebug=noattn
//! timeout: 120
//! boards: qemu-virt-arm
//! expect: exit 1
//! output: ^not ok - world_stop_attn: 20 stops of a handing-off P, [0-9]+ preemption rounds re-sent: more than one a stop
#include "world_stop_attn.c"
