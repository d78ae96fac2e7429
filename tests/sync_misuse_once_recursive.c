/* goro_once_do called from its own fn panics (Go deadlocks silently). */
//! smp: 1
//! args: misuse=once_recursive
//! expect: exit 2
//! output: ^panic: sync: goro_once_do called from its own fn
#include "sync_misuse_rw_unlock.c"
