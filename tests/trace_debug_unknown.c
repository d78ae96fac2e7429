/* tracedebug= with a value the tracer doesn't know is a boot error naming it, not one
 * of the negative controls chosen silently (any unknown value used to mean drop). */
//! smp: 1
//! args: tracedebug=dorp
//! expect: exit 2
//! output: ^panic: boot: tracedebug=dorp on the command line: want drop, dup, nopatchback or nosync$
#include "check.h"

int main(void)
{
    printf("not ok - tracedebug=dorp: main ran\n");
    return 1;
}
