/* Negative control for sync_primitives.c's writer preference: the debug knob
 * rwdebug=nowriterpref lets a reader in past a waiting writer, and the test must see it. */
//! smp: 1 4
//! args: rwdebug=nowriterpref
//! expect: exit 2
//! output: ^not ok - rwmutex: a reader arriving after a waiting writer waits: it got the read lock past the writer
//! output: ^not ok - rwmutex: the writer goes first, then the late reader: writer 2, reader 1
#include "sync_primitives.c"
