/* runlock of a goro_rwmutex that is write-locked, not read-locked, panics. */
//! smp: 1
//! args: misuse=rw_runlock
//! expect: exit 2
//! output: ^panic: sync: runlock of unlocked rwmutex 0x[0-9a-f]+$
#include "sync_misuse_rw_unlock.c"
