/* Channel internals shared by chan.c, select.c and gotimer.c (docs/design/channels.md). */
#pragma once
#include <string.h>
#include "runtime.h"
#include "heap.h"

/* A goroutine waiting on a channel: one per channel it waits on (select: several).
 * Lives on the waiting goroutine's stack; guarded by the channel's lock. */
struct sudog {
    struct g *g;
    struct sudog *next, *prev;
    void *elem;                 /* where to copy from (send) or to (receive); may be NULL */
    bool is_select;
    bool success;               /* woken by a completed operation (false: by close) */
};

struct waitq { struct sudog *first, *last; };

/* The three players: the sender, the receiver, and the channel itself (libtask).
 * lock guards every field; interrupts are off while it is held, so a holder is never
 * preempted. Lock order: channels by address (select), then a timer's lock (timer.h),
 * timer_lock, sched.lock. The channel's own paths take lock with chan_lock (below);
 * gotimer.c's with spin_lock: the same lock either way. */
struct goro_chan {
    struct spinlock lock;
    size_t elemsize;
    uint32_t dataqsiz;          /* capacity; 0: unbuffered */
    uint32_t qcount;            /* elements in buf */
    uint32_t sendx, recvx;
    bool closed;
    bool park_only;             /* unbuffered and open: an operation that finds no partner
                                   parks, with no look at the buffer or closed (one load
                                   where those were four: chan_send_slow, chan_recv_slow) */
    struct waitq recvq, sendq;
    /* chan_move_word's masks: an element that is a machine word moves inline. word:
     * sizeof(uintptr_t) - 1 when elemsize is a word, else all bits; word_recv: word's
     * for an unbuffered channel (a receive takes a parked sender's element, the inline
     * case; a buffered one takes the head), else all bits. */
    uintptr_t word, word_recv;
    char *buf;
    struct goro_chan *gcnext, *gcprev;   /* every live channel, for the GC (chan_list_lock) */
};

void chan_buf_send(goro_chan *c, const void *elem);
void chan_buf_recv(goro_chan *c, void *elem);
void chan_copy_slow(void *dst, const void *src, size_t n);

/* ---- the channel's lock ----
 * chan_lock takes c->lock as spin_lock does (the same word, the holder's tag in it,
 * and rank, so a LOCKRANK build checks it in the one order and a contended or
 * recursive acquisition goes through spin_lock_slow, its watchdog and its panic), with
 * interrupts off while it is held, but it keeps no count of interrupt-off sections
 * (intr_push's noff): the caller holds the state from before (arch_intr_save) and
 * gives it back to chan_unlock. A round trip takes the lock four times; the count and
 * its checks were about half of spin_lock's pair (41 instructions on riscv64, this
 * pair 15; 12 since the lock word names its holder, with no store of the owner's core
 * number). Two consequences, both kept to chan.c, select.c and this header:
 * - Nothing between chan_lock and chan_unlock may assume noff counts it: intr_push
 *   and intr_pop inside (a timer's lock in select's park commit, the collector's work
 *   list when a copy shades) nest correctly, as they find interrupts already off and
 *   leave them off.
 * - The unlock of a park runs after the goroutine's registers are saved (switch.h's
 *   switch_direct, or on g0 in sched.c's park_chan_m), with interrupts off: it drops
 *   the lock and not the state; chan_park (chan.c) turns interrupts back on when the
 *   goroutine resumes, as after any park.
 * A release by a core that does not hold the lock is a panic in LOCKRANK builds (the
 * test suite's lockrank runs), unchecked in others: every release is one of this
 * page's, after its own acquisition. */

/* Interrupts off: one try at c's lock; false: taken, finish with chan_lock_contended. */
HOT_INLINE bool chan_trylock_intr_off(goro_chan *c)
{
    struct spinlock *l = &c->lock;
#if GORO_LOCKRANK
    lockrank_acquire(l, l->name, &l->rank);
#endif
    return spin_take(&l->locked, arch_cpu()->lock_tag);
}

static inline void chan_lock_contended(goro_chan *c)
{
    spin_lock_slow(&c->lock);
}

HOT_INLINE void chan_lock_intr_off(goro_chan *c)
{
    if (__builtin_expect(!chan_trylock_intr_off(c), 0))
        chan_lock_contended(c);
}

HOT_INLINE void chan_unlock_intr_off(goro_chan *c)
{
    spin_unlock_check(&c->lock);
    arch_unlock32(&c->lock.locked);
}

/* Interrupts off and c locked; returns the interrupt state for chan_unlock. */
HOT_INLINE unsigned long chan_lock(goro_chan *c)
{
    unsigned long s = arch_intr_save();
    chan_lock_intr_off(c);
    return s;
}

HOT_INLINE void chan_unlock(goro_chan *c, unsigned long s)
{
    chan_unlock_intr_off(c);
    arch_intr_restore(s);
}

/* The rest is on every channel operation, so inline (c->lock held throughout). */

static inline void waitq_enqueue(struct waitq *q, struct sudog *sg)
{
    sg->next = NULL;
    sg->prev = q->last;
    if (q->last)
        q->last->next = sg;
    else
        q->first = sg;
    q->last = sg;
}

static inline void waitq_remove(struct waitq *q, struct sudog *sg)
{
    if (sg->prev) sg->prev->next = sg->next;
    else if (q->first == sg) q->first = sg->next;
    else return;                                    /* not queued (already dequeued) */
    if (sg->next) sg->next->prev = sg->prev;
    else q->last = sg->prev;
    sg->next = sg->prev = NULL;
}

/* First waiter whose operation can still happen: a select waiter counts only if this
 * wake-up is the first for its goroutine (select_done), and then its goroutine's
 * waiting names it at once, under the channel's lock (selpark set it NULL under the same
 * lock before it queued; the goroutine reads it after its wake), so the wake after the
 * unlock needs no second look at is_select (a load: the unlock's asm clobbers memory).
 * The first has no prev: it comes off the head without waitq_remove's general case. */
/* sg, q's first, off q. */
HOT_INLINE void waitq_pop(struct waitq *q, struct sudog *sg)
{
    struct sudog *next = sg->next;
    q->first = next;
    if (__builtin_expect(!next, 1))   /* one waiter, the usual case: its path falls through */
        q->last = NULL;
    else
        next->prev = NULL;
    /* sg->next is left stale: nothing reads it once sg is off the queue (waitq_remove
     * finds it gone by its prev, NULL, and the queue's first, not sg; close's wake list
     * writes it). One store less a handoff. */
}

static inline struct sudog *waitq_dequeue(struct waitq *q)
{
    for (;;) {
        struct sudog *sg = q->first;
        if (!sg)
            return NULL;
        waitq_pop(q, sg);
        uint32_t zero = 0;
        if (sg->is_select) {
            if (!cas_acq_rel(&sg->g->select_done, &zero, 1, false, __ATOMIC_RELAXED))
                continue;
            sg->g->waiting = sg;
        }
        return sg;
    }
}

/* An element moves (src NULL: a zero value). During marking a copy moves pointers
 * without goro_store: shade what it carries (chan_copy_slow). An aligned word with the
 * collector off, the usual case, is one load and store inline (chan_move_word: false
 * if it is not that case, and nothing moved); the rest is a call. mask: the address
 * bits an element may not have to move inline, sizeof(uintptr_t) - 1 for a machine
 * word and all of them for anything else (any pointer but NULL then has one). One test
 * of the two pointers' bits under the mask or'ed with the phase (GC_OFF is 0), and one
 * for NULL: 11 instructions on virt-arm, where a test each for the flag, the two
 * NULLs, the alignment and the phase took 17. */
_Static_assert(GC_OFF == 0, "chan_move_word ors the phase into its test");
HOT_INLINE bool chan_move_word(uintptr_t mask, void *dst, const void *src)
{
    uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;
    if (__builtin_expect(!d || !s || (((d | s) & mask) | __atomic_load_n(&gcphase, __ATOMIC_RELAXED)) != 0, 0))
        return false;
    __builtin_memcpy(__builtin_assume_aligned(dst, sizeof(uintptr_t)),
                     __builtin_assume_aligned(src, sizeof(uintptr_t)), sizeof(uintptr_t));
    return true;
}

/* chan_move_word for a size. The hot paths pass the channel's own masks instead
 * (c->word, c->word_recv: one load, where the size and the capacity took five
 * instructions on riscv64). */
HOT_INLINE bool chan_copy_word(void *dst, const void *src, size_t n)
{
    return chan_move_word(n == sizeof(uintptr_t) ? sizeof(uintptr_t) - 1 : UINTPTR_MAX, dst, src);
}

static inline void chan_copy(void *dst, const void *src, size_t n)
{
    if (!chan_copy_word(dst, src, n))
        chan_copy_slow(dst, src, n);
}

/* A waiting receiver takes elem. */
static inline void chan_send_to(goro_chan *c, struct sudog *sg, const void *elem)
{
    chan_copy(sg->elem, elem, c->elemsize);
}

/* A waiting sender gives us its element (a full buffer: the head, and the sender's
 * element goes to the tail). */
static inline void chan_recv_from(goro_chan *c, struct sudog *sg, void *elem)
{
    if (c->dataqsiz == 0) {
        chan_copy(elem, sg->elem, c->elemsize);
        return;
    }
    char *slot = c->buf + (size_t)c->recvx * c->elemsize;
    chan_copy(elem, slot, c->elemsize);
    chan_copy(slot, sg->elem, c->elemsize);
    if (++c->recvx == c->dataqsiz)
        c->recvx = 0;
    c->sendx = c->recvx;
}

/* After c->lock is released, interrupts still off by the caller (s: the state before,
 * restored here): make the waiter sg (from waitq_dequeue, which named a select's in its
 * goroutine's waiting) runnable, next on this P (goready: runnext). success false:
 * woken by close. sg lives on the waiter's stack, which is ours to write until goready.
 * Interrupts stay off through the wake, so goready doesn't turn them off and back on
 * once more. Returns true. */
HOT_INLINE bool chan_wake_restore(struct sudog *sg, bool success, unsigned long s)
{
    struct g *gp = sg->g;
    sg->success = success;
    return goready_restore_p(gp, s);   /* true: a receive returns it (a tail call); a
                                          goroutine's or a timer's f: the M holds a P */
}

/* chan_wake_restore for a caller that has given its interrupt state back already. */
HOT_INLINE void chan_wake(struct sudog *sg, bool success)
{
    (void)chan_wake_restore(sg, success, arch_intr_save());
}
