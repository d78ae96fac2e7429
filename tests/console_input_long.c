/* console_input with the whole 100 KiB stream at 2 and 4 cores, every core spinning (make
 * test streams 8 and 4 KiB there, 100 KiB at one core: its time budget). A long test:
 * it runs only when named, `make test TEST=console_input_long`. Under QEMU each batch
 * of input is a round trip between the console's vCPU and QEMU's main loop, which
 * competes for the host with the spinning vCPUs: about 30-120 s a run on a 2-CPU host
 * (docs/api/console.md). */
//! only: long
//! smp: 2 4
//! args: console_ring=64
//! timeout: 400
//! stdin: console_stream.txt
//! stdin_after: ^# reading the console$
#include "console_input.c"
