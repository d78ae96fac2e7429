/* Program exit through semihosting SYS_EXIT_EXTENDED (ARM boards under QEMU
 * -semihosting-config): QEMU exits with the status. Returns where nothing answers. */
#include "kernel.h"

#define SYS_EXIT_EXTENDED            0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

void board_exit(int status)
{
    uintptr_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)status };
    arch_semihost(SYS_EXIT_EXTENDED, block);
}
