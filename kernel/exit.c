/* kexit: the end of the program, with a status, through the board (finisher or
 * semihosting under QEMU). A board that can't end the program, or a BARE=1 image (built
 * as for a real board: no finisher, no semihosting), prints `goro: exit N` and halts
 * every core, as real boards do. */
#include "kernel.h"
#include "upcall.h"

_Noreturn void kexit(int status)
{
    if (!panicking)
        rt_exit_flush();
    arch_intr_off();
    if (!GORO_BARE)
        board_exit(status);
    kprintf("goro: exit %d\n", status);
    for (int i = 0; i < ncpu; i++)
        if (i != cpu_id())
            ipi_send(i, IPI_HALT);
    arch_halt();
}
