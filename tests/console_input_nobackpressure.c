/* Negative control for console_input's backpressure: with console_nobackpressure=1 a
 * full ring drops what the UART holds instead of turning the receive interrupt off, and
 * the reader's pauses (the 64-byte ring fills in each) lose bytes: lines come mangled or
 * missing and the stream check must fail (or, if the END line is lost, the watchdog
 * ends the stalled stream with the same not ok). The knob is in the portable ring
 * (kernel/console_in.c), so one board per architecture shows it. */
//! smp: 2
//! boards: qemu-virt-riscv64 qemu-virt-arm
//! args: console_ring=64 console_nobackpressure=1
//! timeout: 120
//! expect: exit 1
//! output: ^# [0-9]+ lines, [1-9][0-9]* bytes dropped$
//! output: ^not ok - stream_intact_in_order: 
//! stdin: console_stream_8k.txt
//! stdin_after: ^# reading the console$
#include "console_input.c"
