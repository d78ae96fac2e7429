/* Semihosting on RISC-V, where the board has it (BOARD_SEMIHOSTING in board.h). */
#include "kernel.h"
#include "board.h"
#include "riscv.h"


long arch_semihost(long op, void *arg)
{
#ifdef BOARD_SEMIHOSTING
    return arch_semihost_trap(op, arg);
#else
    (void)op, (void)arg;
    return -1;
#endif
}
