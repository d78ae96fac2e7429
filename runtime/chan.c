/* Channels: Go's hchan. An unbuffered send meets a waiting receiver and copies straight
 * into the receiver's element (on its stack); a buffered channel is a FIFO ring; a
 * goroutine that can't proceed queues a sudog (on its own stack) and parks, and the
 * goroutine that completes its operation copies the element and readies it. Close
 * wakes every waiter: receivers get zero values and false, senders panic. */
#include <stdlib.h>
#include "chan.h"
#include "switch.h"

/* Channel buffers are roots of the collector: every live channel is on this list.
 * chan_list_lock: a leaf lock (interrupts off). */
static goro_chan *chan_list;
static struct spinlock chan_list_lock = SPINLOCK_INIT("chan list");

goro_chan *goro_chan_make(size_t elem_size, size_t cap)
{
    if (cap > UINT32_MAX || (elem_size && cap > (SIZE_MAX - sizeof(goro_chan)) / elem_size))
        return NULL;
    goro_chan *c = calloc(1, sizeof *c + elem_size * cap);
    if (!c)
        return NULL;
    c->lock = (struct spinlock)SPINLOCK_INIT("chan");
    c->elemsize = elem_size;
    c->dataqsiz = (uint32_t)cap;
    c->word = elem_size == sizeof(uintptr_t) ? sizeof(uintptr_t) - 1 : UINTPTR_MAX;
    c->word_recv = cap == 0 ? c->word : UINTPTR_MAX;
    c->park_only = cap == 0;
    c->buf = (char *)(c + 1);
    spin_lock(&chan_list_lock);
    c->gcnext = chan_list;
    if (chan_list)
        chan_list->gcprev = c;
    chan_list = c;
    spin_unlock(&chan_list_lock);
    return c;
}

void goro_chan_free(goro_chan *c)
{
    if (!c)
        return;
    spin_lock(&chan_list_lock);
    if (c->gcprev) c->gcprev->gcnext = c->gcnext;
    else chan_list = c->gcnext;
    if (c->gcnext) c->gcnext->gcprev = c->gcprev;
    spin_unlock(&chan_list_lock);
    free(c);
}

/* Shade what every channel buffer points to (a GC root). */
void channels_scan(void)
{
    spin_lock(&chan_list_lock);
    for (goro_chan *c = chan_list; c; c = c->gcnext)
        if (c->dataqsiz && c->elemsize >= sizeof(uintptr_t))
            scan_block((uintptr_t)c->buf, (uintptr_t)c->buf + (uintptr_t)c->dataqsiz * c->elemsize);
    spin_unlock(&chan_list_lock);
}
int goro_chan_len(goro_chan *c) { return c ? (int)__atomic_load_n(&c->qcount, __ATOMIC_RELAXED) : 0; }
int goro_chan_cap(goro_chan *c) { return c ? (int)c->dataqsiz : 0; }

/* ---- wait queues and elements (c->lock held; the inline rest is in chan.h) ---- */
void chan_buf_send(goro_chan *c, const void *elem)
{
    chan_copy(c->buf + (size_t)c->sendx * c->elemsize, elem, c->elemsize);
    if (++c->sendx == c->dataqsiz)     /* a compare, not a division */
        c->sendx = 0;
    __atomic_store_n(&c->qcount, c->qcount + 1, __ATOMIC_RELAXED);
}

void chan_buf_recv(goro_chan *c, void *elem)
{
    char *slot = c->buf + (size_t)c->recvx * c->elemsize;
    chan_copy(elem, slot, c->elemsize);
    if (++c->recvx == c->dataqsiz)
        c->recvx = 0;
    __atomic_store_n(&c->qcount, c->qcount - 1, __ATOMIC_RELAXED);
}

void chan_copy_slow(void *dst, const void *src, size_t n)
{
    if (src && __atomic_load_n(&gcphase, __ATOMIC_RELAXED) != GC_OFF)
        shade_words(src, n);
    if (!dst || !n)
        return;
    if (!src)
        memset(dst, 0, n);
    else
        memcpy(dst, src, n);
}

/* ---- operations ----
 * Each looks first at what the common case finds, a parked partner, then (a send) at
 * closed and the buffer or (a receive) at the buffer and closed, then parks: a closed
 * channel has no parked partner (close woke them all, and nothing parks on it since),
 * so looking at the partner first changes no outcome.
 * The partner's path with a one-word element is inline in goro_chan_send and
 * goro_chan_recv and calls only goready, last: everything else (the lock's contended
 * path, another element, the collector marking, the buffer, the park with the waiter
 * record on this stack) is a tail call out of line, so that path keeps no registers
 * across a call and has the smallest frame (the registers saved and restored were a
 * fifth of it). */

/* Blocks for good. Not noreturn, and noipa (gcc would find that it never returns), so
 * that the entry points (frameless, below) reach it by a tail call: its frame record
 * then links to their caller's, which a backtrace of the blocked goroutine shows. */
static __attribute__((noipa)) bool chan_block_nil(const char *reason)
{
    gopark(NULL, NULL, reason);
    throw("%s: woken", reason);
}

/* gopark for a channel operation, c locked, interrupts off by chan_lock, the caller's
 * waiter record on one of c's queues: c's lock is released once the goroutine is
 * WAITING (its registers saved: switch.h's switch_direct, or sched.c's park_chan_m on
 * g0). As gopark(unlockf releasing c, c, reason), without the unlockf's indirect call
 * and the interrupt-off step it finds done. The interrupts come back on when the
 * goroutine resumes, as after any park. Inline in its two callers (chan_send_slow,
 * chan_recv_slow), whose frame records are the parked goroutine's innermost then
 * (tools/gdb's backtrace); as a call of its own it cost 9 instructions a park on
 * riscv64 (its frame, the call). traced (a constant): the tracer is on, and the direct
 * switch records the park's events itself (the goroutine's block, next's start), as
 * park_chan_m and schedule do on g0. gp: the caller, getg() (its waiter record's: read
 * once, as tp's read is an asm gcc can't merge). */
HOT_INLINE void chan_park_as(goro_chan *c, struct g *gp, const char *reason, bool traced)
{
    gp->waitreason = reason;
    struct cpu *cpu = gp->cpu;
    struct m *m = cpu->m;
    struct p *pp = m->p;
    /* On g0 (a bug: tests/chan_on_g0.c) the direct switch's canary look fails, as
     * g0's canary words never hold the canary (stack_g0_init), and stack_overflow
     * names the park on g0: no test of is_g0 on that path (3 instructions a park on
     * virt-arm). The ways through g0 test it, below. */
    int r = SWITCH_DIRECT ? park_direct(cpu, m, pp, gp, traced, false, false, &c->lock.locked) : 0;
    if (r > 0) {
        arch_intr_on();
        return;
    }
    if (gp->is_g0)
        throw("gopark: on g0 (%s)", reason);
    m->waitlock = c;
    /* park_chan_idle_m records no event (park_chan_m does); the canary is checked */
    mcall_sched(r < 0 && !traced ? park_chan_idle_m : park_chan_m, gp);
    arch_intr_on();
}

/* chan_park with the tracer on (out of line: the sites' calls cost registers). */
static __attribute__((noinline, cold)) void chan_park_traced(goro_chan *c, struct g *gp, const char *reason)
{
    chan_park_as(c, gp, reason, true);
}

HOT_INLINE void chan_park(goro_chan *c, struct g *gp, const char *reason)
{
    TRACE_IF({ chan_park_traced(c, gp, reason); return; });
    chan_park_as(c, gp, reason, false);
}

/* c locked (s: chan_lock's state): closed. */
static __attribute__((noinline, noreturn)) void chan_send_closed(goro_chan *c, unsigned long s)
{
    chan_unlock(c, s);
    goro_panic("send on closed channel");
}

/* c locked (s), room in the buffer. */
static __attribute__((noinline)) void chan_send_buf(goro_chan *c, const void *elem, unsigned long s)
{
    chan_buf_send(c, elem);
    chan_unlock(c, s);
}

/* c locked (s), no receiver parked: closed, buffer (both out of line, so that the park's
 * frame saves no register for their calls), or park. */
static __attribute__((noinline)) void chan_send_slow(goro_chan *c, const void *elem, unsigned long s)
{
    if (__builtin_expect(!c->park_only, 0)) {
        if (c->closed)
            chan_send_closed(c, s);
        if (c->qcount < c->dataqsiz) {
            chan_send_buf(c, elem, s);
            return;
        }
    }
    struct sudog me;
    me.g = getg();
    me.elem = (void *)elem;
    me.is_select = false;
    me.success = false;
    waitq_enqueue(&c->sendq, &me);
    chan_park(c, me.g, "chan send");
    if (!me.success)
        goro_panic("send on closed channel");
}

/* c locked (s), sg a parked receiver: any element. */
static __attribute__((noinline)) void chan_send_to_slow(goro_chan *c, struct sudog *sg, const void *elem,
                                                        unsigned long s)
{
    chan_send_to(c, sg, elem);
    chan_unlock_intr_off(c);
    chan_wake_restore(sg, true, s);
}

/* c locked (s), sg a receiver just taken off its queue: the element, the unlock, the
 * wake. */
HOT_INLINE void chan_send_to_sg(goro_chan *c, struct sudog *sg, const void *elem, unsigned long s)
{
    if (!chan_move_word(c->word, sg->elem, elem)) {
        chan_send_to_slow(c, sg, elem, s);
        return;
    }
    chan_unlock_intr_off(c);
    chan_wake_restore(sg, true, s);
}

/* c locked (s), a select's waiter first on the receive queue: waitq_dequeue claims it
 * or passes it by (its CAS out of the inline path, whose registers it cost: a frame). */
static __attribute__((noinline)) void chan_send_sel(goro_chan *c, const void *elem, unsigned long s)
{
    struct sudog *sg = waitq_dequeue(&c->recvq);
    if (!sg) {
        chan_send_slow(c, elem, s);
        return;
    }
    chan_send_to_sg(c, sg, elem, s);
}

/* Interrupts off (s), c locked. */
HOT_INLINE void chan_send_locked(goro_chan *c, const void *elem, unsigned long s)
{
    struct sudog *sg = c->recvq.first;
    if (!sg) {
        chan_send_slow(c, elem, s);
        return;
    }
    if (__builtin_expect(sg->is_select, 0)) {
        chan_send_sel(c, elem, s);
        return;
    }
    waitq_pop(&c->recvq, sg);
    chan_send_to_sg(c, sg, elem, s);
}

static __attribute__((noinline)) void chan_send_contended(goro_chan *c, const void *elem, unsigned long s)
{
    chan_lock_contended(c);
    chan_send_locked(c, elem, s);
}

/* goro_chan_send and goro_chan_recv keep no frame record (4 instructions a round trip
 * on virt-arm): every call they make is a tail call, whose frame record links to their
 * caller's, so a backtrace from a park or a panic in any of them shows the caller. */
__attribute__((optimize("omit-frame-pointer"))) void goro_chan_send(goro_chan *c, const void *elem)
{
    if (__builtin_expect(!c, 0)) {
        chan_block_nil("chan send (nil chan)");
        return;
    }
    unsigned long s = arch_intr_save();
    if (__builtin_expect(!chan_trylock_intr_off(c), 0)) {
        chan_send_contended(c, elem, s);
        return;
    }
    chan_send_locked(c, elem, s);
}

/* c locked (s), something in the buffer. */
static __attribute__((noinline)) bool chan_recv_buf(goro_chan *c, void *elem, unsigned long s)
{
    chan_buf_recv(c, elem);
    chan_unlock(c, s);
    return true;
}

/* c locked (s), closed and empty: a zero value. */
static __attribute__((noinline)) bool chan_recv_closed(goro_chan *c, void *elem, unsigned long s)
{
    chan_unlock(c, s);
    chan_copy(elem, NULL, c->elemsize);
    return false;
}

/* c locked (s), no sender parked: buffer, closed (out of line, as chan_send_slow's), or
 * park. */
static __attribute__((noinline)) bool chan_recv_slow(goro_chan *c, void *elem, unsigned long s)
{
    if (__builtin_expect(!c->park_only, 0)) {
        if (c->qcount > 0)
            return chan_recv_buf(c, elem, s);
        if (c->closed)
            return chan_recv_closed(c, elem, s);
    }
    struct sudog me;
    me.g = getg();
    me.elem = elem;
    me.is_select = false;
    me.success = false;
    waitq_enqueue(&c->recvq, &me);
    chan_park(c, me.g, "chan receive");
    return me.success;
}

/* c locked (s), sg a parked sender: a buffered channel's or any element. */
static __attribute__((noinline)) bool chan_recv_from_slow(goro_chan *c, struct sudog *sg, void *elem,
                                                          unsigned long s)
{
    chan_recv_from(c, sg, elem);
    chan_unlock_intr_off(c);
    return chan_wake_restore(sg, true, s);   /* true */
}

/* c locked (s), sg a sender just taken off its queue (as chan_send_to_sg). */
HOT_INLINE bool chan_recv_from_sg(goro_chan *c, struct sudog *sg, void *elem, unsigned long s)
{
    if (!chan_move_word(c->word_recv, elem, sg->elem))
        return chan_recv_from_slow(c, sg, elem, s);
    chan_unlock_intr_off(c);
    return chan_wake_restore(sg, true, s);   /* true */
}

/* c locked (s), a select's waiter first on the send queue (as chan_send_sel). */
static __attribute__((noinline)) bool chan_recv_sel(goro_chan *c, void *elem, unsigned long s)
{
    struct sudog *sg = waitq_dequeue(&c->sendq);
    if (!sg)
        return chan_recv_slow(c, elem, s);
    return chan_recv_from_sg(c, sg, elem, s);
}

/* Interrupts off (s), c locked. */
HOT_INLINE bool chan_recv_locked(goro_chan *c, void *elem, unsigned long s)
{
    struct sudog *sg = c->sendq.first;
    if (!sg)
        return chan_recv_slow(c, elem, s);
    if (__builtin_expect(sg->is_select, 0))
        return chan_recv_sel(c, elem, s);
    waitq_pop(&c->sendq, sg);
    return chan_recv_from_sg(c, sg, elem, s);
}

static __attribute__((noinline)) bool chan_recv_contended(goro_chan *c, void *elem, unsigned long s)
{
    chan_lock_contended(c);
    return chan_recv_locked(c, elem, s);
}

__attribute__((optimize("omit-frame-pointer"))) bool goro_chan_recv(goro_chan *c, void *elem)
{
    if (__builtin_expect(!c, 0))
        return chan_block_nil("chan receive (nil chan)");
    unsigned long s = arch_intr_save();
    if (__builtin_expect(!chan_trylock_intr_off(c), 0))
        return chan_recv_contended(c, elem, s);
    return chan_recv_locked(c, elem, s);
}

void goro_chan_close(goro_chan *c)
{
    if (!c)
        goro_panic("close of nil channel");
    unsigned long s = chan_lock(c);
    if (c->closed) {
        chan_unlock(c, s);
        goro_panic("close of closed channel");
    }
    c->closed = true;
    c->park_only = false;
    struct sudog *wake = NULL, *sg;
    while ((sg = waitq_dequeue(&c->recvq))) {
        chan_copy(sg->elem, NULL, c->elemsize);
        sg->next = wake;
        wake = sg;
    }
    while ((sg = waitq_dequeue(&c->sendq))) {
        sg->next = wake;
        wake = sg;
    }
    chan_unlock(c, s);
    while (wake) {
        sg = wake;
        wake = sg->next;     /* read before the wake: sg lives on its goroutine's stack */
        chan_wake(sg, false);
    }
}
