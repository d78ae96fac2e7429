/* Channel internals shared by chan.c and select.c. */
#pragma once
#include "runtime.h"

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
 * preempted. Lock order: channels by address (select), then timer_lock, sched.lock. */
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

void waitq_enqueue(struct waitq *q, struct sudog *sg);
void waitq_remove(struct waitq *q, struct sudog *sg);
struct sudog *waitq_dequeue(struct waitq *q);
void chan_send_to(goro_chan *c, struct sudog *sg, const void *elem);
void chan_recv_from(goro_chan *c, struct sudog *sg, void *elem);
void chan_buf_send(goro_chan *c, const void *elem);
void chan_buf_recv(goro_chan *c, void *elem);
void chan_wake(struct sudog *sg, bool success);
