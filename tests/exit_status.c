/* main's return value is the QEMU process's exit status. */
//! smp: 1 4
//! expect: exit 7
//! output: ^ok - returning 7
#include "check.h"

int main(void)
{
    printf("ok - returning 7\n");
    return 7;
}
