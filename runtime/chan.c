/* Channels: Go's hchan. An unbuffered send meets a waiting receiver and copies straight
 * into the receiver's element (on its stack); a buffered channel is a FIFO ring; a
 * goroutine that can't proceed queues a sudog (on its own stack) and parks, and the
 * goroutine that completes its operation copies the element and readies it. Close
 * wakes every waiter: receivers get zero values and false, senders panic. */
#include <stdlib.h>
#include "chan.h"

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
    c->sendx = (c->sendx + 1) % c->dataqsiz;
    __atomic_store_n(&c->qcount, c->qcount + 1, __ATOMIC_RELAXED);
}

void chan_buf_recv(goro_chan *c, void *elem)
{
    char *slot = c->buf + (size_t)c->recvx * c->elemsize;
    chan_copy(elem, slot, c->elemsize);
    c->recvx = (c->recvx + 1) % c->dataqsiz;
    __atomic_store_n(&c->qcount, c->qcount - 1, __ATOMIC_RELAXED);
}

/* After c->lock is released. */
void chan_wake(struct sudog *sg, bool success)
{
    sg->success = success;
    if (sg->is_select)
        sg->g->waiting = sg;
    goready(sg->g);
}

static bool chan_park_commit(struct g *gp, void *lock)
{
    (void)gp;
    spin_unlock(lock);
    return true;
}

/* ---- operations ---- */
void goro_chan_send(goro_chan *c, const void *elem)
{
    if (!c)
        gopark(NULL, NULL, "chan send (nil chan)");
    spin_lock(&c->lock);
    if (c->closed) {
        spin_unlock(&c->lock);
        goro_panic("send on closed channel");
    }
    struct sudog *sg = waitq_dequeue(&c->recvq);
    if (sg) {
        chan_send_to(c, sg, elem);
        spin_unlock(&c->lock);
        chan_wake(sg, true);
        return;
    }
    if (c->qcount < c->dataqsiz) {
        chan_buf_send(c, elem);
        spin_unlock(&c->lock);
        return;
    }
    struct sudog me = { .g = getg(), .elem = (void *)elem, .c = c };
    waitq_enqueue(&c->sendq, &me);
    gopark(chan_park_commit, &c->lock, "chan send");
    if (!me.success)
        goro_panic("send on closed channel");
}

bool goro_chan_recv(goro_chan *c, void *elem)
{
    if (!c)
        gopark(NULL, NULL, "chan receive (nil chan)");
    spin_lock(&c->lock);
    if (c->closed && c->qcount == 0) {
        spin_unlock(&c->lock);
        chan_copy(elem, NULL, c->elemsize);
        return false;
    }
    struct sudog *sg = waitq_dequeue(&c->sendq);
    if (sg) {
        chan_recv_from(c, sg, elem);
        spin_unlock(&c->lock);
        chan_wake(sg, true);
        return true;
    }
    if (c->qcount > 0) {
        chan_buf_recv(c, elem);
        spin_unlock(&c->lock);
        return true;
    }
    struct sudog me = { .g = getg(), .elem = elem, .c = c };
    waitq_enqueue(&c->recvq, &me);
    gopark(chan_park_commit, &c->lock, "chan receive");
    return me.success;
}

void goro_chan_close(goro_chan *c)
{
    if (!c)
        goro_panic("close of nil channel");
    spin_lock(&c->lock);
    if (c->closed) {
        spin_unlock(&c->lock);
        goro_panic("close of closed channel");
    }
    c->closed = true;
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
    spin_unlock(&c->lock);
    while (wake) {
        sg = wake;
        wake = sg->next;     /* read before the wake: sg lives on its goroutine's stack */
        chan_wake(sg, false);
    }
}
