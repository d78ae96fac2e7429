/* Device interrupt lines: the kernel's portable interrupt layer (irq.c) and the
 * contract each board's interrupt controller driver implements (kernel/dev/plic.c,
 * gic.c, bcm2835_intc.c). Lines are numbered as the board's controller numbers them
 * (board.h: BOARD_IRQ_LINES, BOARD_CONSOLE_IRQ, BOARD_TEST_IRQ). Every device line is
 * delivered to core 0 (cpu 0, which every image has); the timer and IPIs stay per core
 * and never come through here. */
#pragma once
#include <stdbool.h>
#include "kernel.h"

/* Error codes, the same numbers as goro.h's GORO_EINVAL and GORO_EBUSY. */
#define IRQ_EINVAL (-22)
#define IRQ_EBUSY  (-16)

/* A line's handler: interrupt context on core 0, interrupts off, no lock held. It must
 * quiet the line before it returns (service the device, or irq_mask it). */
typedef void (*irq_handler_fn)(int irq, void *arg);

/* Claim line irq for fn(irq, arg). The line stays masked until irq_unmask. Returns 0,
 * IRQ_EINVAL (no such line on this board) or IRQ_EBUSY (claimed already, or one of the
 * runtime's own: the console's, a GIC's per-core SGIs and PPIs). Any context but
 * interrupt context; takes irq_lock. */
int  irq_register(int irq, irq_handler_fn fn, void *arg);
/* Mask line irq and give it up; a handler running on core 0 at that moment may still
 * finish (the caller's state must tolerate one late call). */
void irq_unregister(int irq);
bool irq_valid(int irq);            /* a line this board has (claimed or not) */
void irq_mask(int irq);             /* any context */
void irq_unmask(int irq);           /* any context */

void irq_init(void);                /* boot core, before the runtime: controller, console line */
void irq_cpu_init(int id);          /* every core, interrupts off */
void irq_handle(struct trapframe *tf);   /* trap_dispatch, TRAP_EXTERNAL */
/* For tests/bench/irq_to_goroutine: with irq_stamping set, irq_handle stores the fine
 * clock (arch_cycles) at its entry in irq_stamp_handle, and the trap's stamp from the
 * vector's first instruction (arch_trap_stamp_read: the core must be stamping,
 * arch_trap_stamp) in irq_stamp_vector; off, it costs a load and a branch. */
extern uint32_t irq_stamp_handle, irq_stamp_vector;
extern bool irq_stamping;

/* The controller driver (one per board). */
void irqchip_init(void);                  /* boot core: everything masked, routed to core 0 */
void irqchip_cpu_init(int id);            /* every core: its part of the controller */
bool irqchip_exists(int irq);             /* the controller has the line */
bool irqchip_reserved(int irq);           /* the runtime's own (a GIC's SGIs, PPIs) */
void irqchip_enable(int irq, bool on);    /* unmask / mask at the controller; any core */
/* The next pending device line for this trap, or -1 when there is none. Interrupt
 * context on core 0; every line returned is then passed to irqchip_complete. */
int  irqchip_claim(struct trapframe *tf);
void irqchip_complete(int irq);

/* The board's test interrupt source (board.h's BOARD_TEST_IRQ says which device): raise
 * makes the device assert its line (level) as soon as the line is unmasked; lower makes
 * it let go, as a driver servicing the device would. Goroutine context. */
void irq_test_raise(void);
void irq_test_lower(void);

/* Console input (console_in.c). The receive interrupt drains the UART into a ring of
 * CONSOLE_RING bytes; console_in_take moves bytes out (one reader at a time: the
 * runtime serialises readers) and returns how many, stopping before a Ctrl-D (0x04);
 * *eof is set when the first byte was Ctrl-D (consumed). */
#define CONSOLE_RING 4096
void   console_in_init(void);
size_t console_in_take(char *buf, size_t n, bool *eof);
extern uint32_t console_in_dropped; /* bytes lost, only with the console_nobackpressure=1 knob */

/* The console UART's receive side (kernel/dev/<uart>.c). */
int  board_console_getc(void);            /* a received byte, or -1 when the FIFO is empty */
void board_console_rx_intr(bool on);      /* the UART's receive interrupt on or off */
