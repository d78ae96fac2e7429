/* Console input: the console UART's receive interrupt fills a ring that readers drain
 * (the runtime's console reader, runtime/console.c, behind newlib's _read on fd 0).
 *
 * The players: the UART (its receive FIFO, turned on by its driver: 16 bytes on the
 * 16550 and QEMU's PL011, 8 on the SiFive UART; why it matters under QEMU is in
 * kernel/dev/uart16550.c), the handler console_rx (interrupt context on core 0: every
 * device line comes there; it drains the whole FIFO and wakes the reader once per
 * interrupt), the ring (CONSOLE_RING bytes), and one reader at a time (console_in_take,
 * which hands out all it has; the runtime serialises readers with a mutex).
 *
 * The ring is single-producer single-consumer: the handler writes bytes then
 * publishes ring_tail (release); the reader reads ring_tail (acquire), copies, then
 * publishes ring_head. Nothing is lost while the reader is slow or every core is busy:
 * when the ring is full the handler turns the UART's receive interrupt off
 * (backpressure) and leaves the rest in the UART; a UART whose FIFO is full takes no
 * more from QEMU, whose chardev then stops reading its input, or from the sender on a
 * real line with flow control (without it, a real line overruns the UART's FIFO:
 * counted by no one, the one loss this cannot prevent). The reader, after making room
 * down to half the ring, turns the interrupt back on. That flag (rx_stalled) and the
 * UART's interrupt enable change only under rx_lock (a leaf spinlock, interrupts off),
 * and each side re-reads the other's index after its own change (seq_cst on both), so
 * the handler never stalls a ring the reader has just emptied.
 *
 * 4 KiB: a full screen of pasted text, or four newlib stdin buffers (1 KiB reads),
 * between two wake-ups of the reader. Its size changes how often the reader must run,
 * never whether bytes are lost.
 *
 * Knobs (boot command line, for tests): console_ring=N (16 to CONSOLE_RING) makes the
 * ring hold only N bytes, so a test fills it, and the backpressure engages, within a
 * few short pauses of its reader (tests/console_input.c). console_nobackpressure=1 (a
 * negative control) makes a full ring drop what the UART still holds (counted in
 * console_in_dropped) instead of stopping the UART: the stream test then sees lost
 * bytes (tests/console_input_nobackpressure.c). */
#include <stdlib.h>
#include <string.h>
#include "irq.h"
#include "board.h"
#include "upcall.h"

static char ring[CONSOLE_RING];
static uint32_t ring_head, ring_tail;       /* atomic; free-running byte counts */
static uint32_t rx_stalled;                 /* rx_lock; the UART's receive interrupt is off */
static struct spinlock rx_lock = SPINLOCK_INIT("console rx");
static bool nobackpressure;
static uint32_t ring_cap = CONSOLE_RING;    /* set at boot: what the ring may hold */
uint32_t console_in_dropped;                /* bytes dropped (console_nobackpressure=1 only) */

/* Interrupt context, core 0. */
static void console_rx(int irq, void *arg)
{
    (void)irq, (void)arg;
    uint32_t t = ring_tail, h = __atomic_load_n(&ring_head, __ATOMIC_SEQ_CST);
    bool got = false;
    int c;
    while (t - h < ring_cap && (c = board_console_getc()) >= 0) {
        ring[t % CONSOLE_RING] = (char)c;
        t++;
        got = true;
    }
    __atomic_store_n(&ring_tail, t, __ATOMIC_SEQ_CST);
    if (t - h == ring_cap) {
        if (nobackpressure) {
            while (board_console_getc() >= 0)
                console_in_dropped++;
        } else {
            spin_lock(&rx_lock);
            __atomic_store_n(&rx_stalled, 1, __ATOMIC_SEQ_CST);
            board_console_rx_intr(false);
            if (t - __atomic_load_n(&ring_head, __ATOMIC_SEQ_CST) <= ring_cap / 2) {
                rx_stalled = 0;             /* the reader drained it meanwhile */
                board_console_rx_intr(true);
            }
            spin_unlock(&rx_lock);
        }
    }
    if (got)
        rt_console_wake();
}

/* Boot core, before the line is on: what the UART already holds (bytes typed or piped
 * before boot, a byte its driver read out before turning its FIFO on) goes into the
 * ring now, so it needs no interrupt to be seen. */
void console_in_init(void)
{
    nobackpressure = boot_choice("console_nobackpressure", (const char *const[]){ "0", "1", NULL }, 0);
    ring_cap = (uint32_t)boot_num("console_ring", 16, CONSOLE_RING, CONSOLE_RING);
    int c;
    while (ring_tail < ring_cap && (c = board_console_getc()) >= 0)
        ring[ring_tail++] = (char)c;
    if (irq_register(BOARD_CONSOLE_IRQ, console_rx, NULL) != 0)
        panic("console: can't claim interrupt line %d", BOARD_CONSOLE_IRQ);
    board_console_rx_intr(true);
    irq_unmask(BOARD_CONSOLE_IRQ);
}

/* One reader at a time; any core. */
size_t console_in_take(char *buf, size_t n, bool *eof)
{
    uint32_t h = ring_head, t = __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE);
    size_t got = 0;
    *eof = false;
    if (t != h && ring[h % CONSOLE_RING] == 0x04) {     /* Ctrl-D: end of file, consumed */
        *eof = true;
        h++;
    } else {
        while (got < n && h != t && ring[h % CONSOLE_RING] != 0x04)
            buf[got++] = ring[h++ % CONSOLE_RING];
    }
    __atomic_store_n(&ring_head, h, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&rx_stalled, __ATOMIC_SEQ_CST) && t - h <= ring_cap / 2) {
        spin_lock(&rx_lock);
        if (rx_stalled) {
            rx_stalled = 0;
            board_console_rx_intr(true);
        }
        spin_unlock(&rx_lock);
    }
    return got;
}
