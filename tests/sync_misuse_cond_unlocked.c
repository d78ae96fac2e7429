/* goro_cond_wait with a mutex the caller does not hold panics (at its unlock). */
//! smp: 1
//! args: misuse=cond_unlocked
//! expect: exit 2
//! output: ^panic: sync: unlock of unlocked mutex
#include "sync_misuse_rw_unlock.c"
