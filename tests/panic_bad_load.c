/* A load from an unmapped address panics with the fault, names main as the faulting
 * function (the image's symbol table), and exits 2 (expected failure). */
//! smp: 1 2
//! expect: exit 2
//! output: ^panic: unexpected trap: (load access fault|data abort)
//! output: ^  #0 pc 0x[0-9a-f]+ main\+0x[0-9a-f]+$
#include "check.h"

int main(void)
{
    volatile uint32_t *bad = (volatile uint32_t *)0x7ff0000UL;   /* a hole in every board's map */
    printf("loading from %p\n", (void *)bad);
    uint32_t v = *bad;
    printf("not ok - read 0x%x from an unmapped address\n", (unsigned)v);
    return 1;
}
