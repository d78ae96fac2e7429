/* An illegal instruction panics with its cause and pc, names main as the function holding
 * it (the image's symbol table), and exits 2 (expected failure). */
//! smp: 1 2
//! expect: exit 2
//! output: ^panic: unexpected trap: illegal instruction
//! output: ^  #0 pc 0x[0-9a-f]+ main\+0x[0-9a-f]+$
#include "check.h"

int main(void)
{
    printf("executing an illegal instruction\n");
    __asm__ volatile(".word 0xffffffff");   /* undefined on RISC-V and ARM */
    printf("not ok - survived an illegal instruction\n");
    return 1;
}
