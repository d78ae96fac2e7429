/* Negative control for "a reader parked on the console is not a deadlock": with
 * console_nocount=1 checkdead does not count the parked reader (runtime/console.c), so
 * when main's first scanf parks on the empty console (the runner sends the stream only
 * after main has said it is about to read) every goroutine is asleep and the runtime
 * must report the deadlock that console_input shows is not one. */
//! smp: 1
//! args: console_nocount=1
//! expect: exit 2
//! output: ^fatal error: all goroutines are asleep - deadlock!$
//! output: ^goroutine 1 \[waiting, console read\]
//! stdin: console_stream_8k.txt
//! stdin_after: ^# reading the console$
#include "console_input.c"
