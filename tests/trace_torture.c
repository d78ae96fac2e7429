/* The torture test of the world (world_torture.c) with the tracer on, advancing a
 * generation every 10 ms: it must still pass, and its trace must check out. */
//! smp: 4
//! timeout: 300
//! seeds: 2
//! trace: arg:tracegen=10000000
#include "world_torture.c"
