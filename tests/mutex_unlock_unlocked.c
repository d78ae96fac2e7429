/* Unlocking an unlocked goro_mutex panics (expected failure, message checked). */
//! smp: 1
//! expect: exit 2
//! output: ^panic: sync: unlock of unlocked mutex
#include "check.h"

static goro_mutex mu;

int main(void)
{
    goro_mutex_lock(&mu);
    goro_mutex_unlock(&mu);
    goro_mutex_unlock(&mu);
    printf("not ok - double unlock passed\n");
    return 1;
}
