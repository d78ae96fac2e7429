/* Channel internals shared by chan.c and select.c. */
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
    goro_chan *c;
    bool is_select;
    bool success;               /* woken by a completed operation (false: by close) */
};

struct waitq { struct sudog *first, *last; };

/* The three players: the sender, the receiver, and the channel itself (libtask).
 * lock guards every field; interrupts are off while it is held, so a holder is never
 * preempted. Lock order: channels by address (select), then a timer's lock (timer.h),
 * timer_lock, sched.lock. */
struct goro_chan {
    struct spinlock lock;
    size_t elemsize;
    uint32_t dataqsiz;          /* capacity; 0: unbuffered */
    uint32_t qcount;            /* elements in buf */
    uint32_t sendx, recvx;
    bool closed;
    struct waitq recvq, sendq;
    char *buf;
    struct goro_chan *gcnext, *gcprev;   /* every live channel, for the GC (chan_list_lock) */
};

void chan_buf_send(goro_chan *c, const void *elem);
void chan_buf_recv(goro_chan *c, void *elem);
void chan_wake(struct sudog *sg, bool success);

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
 * wake-up is the first for its goroutine (select_done). */
static inline struct sudog *waitq_dequeue(struct waitq *q)
{
    for (;;) {
        struct sudog *sg = q->first;
        if (!sg)
            return NULL;
        waitq_remove(q, sg);
        uint32_t zero = 0;
        if (sg->is_select && !__atomic_compare_exchange_n(&sg->g->select_done, &zero, 1, false,
                                                          __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            continue;
        return sg;
    }
}

/* An element moves (src NULL: a zero value). During marking a copy moves pointers
 * without goro_store: shade what it carries. An aligned word, the usual element, is
 * one load and store, not a memcpy call. */
static inline void chan_copy(void *dst, const void *src, size_t n)
{
    if (src && __atomic_load_n(&gcphase, __ATOMIC_RELAXED) != GC_OFF)
        shade_words(src, n);
    if (!dst || !n)
        return;
    if (!src)
        memset(dst, 0, n);
    else if (n == sizeof(uintptr_t) && (((uintptr_t)dst | (uintptr_t)src) & (sizeof(uintptr_t) - 1)) == 0)
        __builtin_memcpy(__builtin_assume_aligned(dst, sizeof(uintptr_t)),
                         __builtin_assume_aligned(src, sizeof(uintptr_t)), sizeof(uintptr_t));
    else
        memcpy(dst, src, n);
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
    c->recvx = (c->recvx + 1) % c->dataqsiz;
    c->sendx = c->recvx;
}
