/* The tracer's console transport (boards without semihosting): the same program as
 * trace_basic, its trace sent as CRC-checked `@GT` frames on the console and
 * reassembled by the host tool, must check out the same. */
//! smp: 2
//! timeout: 180
//! trace: console arg:tracegen=15000000
#include "trace_basic.c"
