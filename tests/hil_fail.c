/* A test that fails on purpose, for the HIL runner's own test (tests/hil/selftest.py):
 * the runner must count it failed and show its `not ok` line. */
//! only: hil
//! smp: 1 2
#include "check.h"

int main(void)
{
    check(1 + 1 == 3, "hil_fail arithmetic", "1 + 1 is %d (deliberate failure)", 1 + 1);
    return check_failures;
}
