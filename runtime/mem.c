/* Memory for the runtime's own structures: goroutine stacks, Gs, timer heaps, channel
 * buffers. Pages come from [__ram_free_start, __ram_end) (linker.ld), bump-allocated
 * and recycled through free lists by size (exact page counts up to 64 pages, one
 * first-fit list beyond). persistent_alloc carves small objects that are never freed.
 * mem_lock guards all of it (interrupts off while held; a leaf before the console). */
#include "runtime.h"

#define PAGE 4096
#define NCLASS 64
extern char __ram_free_start[], __ram_end[];

struct freeblk { struct freeblk *next; size_t size; };
static struct spinlock mem_lock = SPINLOCK_INIT("mem");
static uintptr_t bump;
static struct freeblk *freelist[NCLASS + 1];    /* [n]: blocks of n pages; [0]: larger */
static size_t in_use;
static uintptr_t pa_cur, pa_end;                /* persistent_alloc's current chunk */

static void *bump_pages(size_t size)
{
    if (!bump)
        bump = (uintptr_t)__ram_free_start;
    if ((uintptr_t)__ram_end - bump < size)
        return NULL;
    void *p = (void *)bump;
    bump += size;
    return p;
}

static void *take(size_t size)
{
    size_t n = size / PAGE;
    if (n <= NCLASS) {
        struct freeblk *b = freelist[n];
        if (b) {
            freelist[n] = b->next;
            return b;
        }
        return bump_pages(size);
    }
    for (struct freeblk **l = &freelist[0]; *l; l = &(*l)->next)
        if ((*l)->size == size) {
            struct freeblk *b = *l;
            *l = b->next;
            return b;
        }
    return bump_pages(size);
}

void *page_alloc(size_t size)
{
    size = (size + PAGE - 1) & ~(size_t)(PAGE - 1);
    spin_lock(&mem_lock);
    void *p = take(size);
    if (p)
        in_use += size;
    spin_unlock(&mem_lock);
    return p;
}

void page_free(void *p, size_t size)
{
    size = (size + PAGE - 1) & ~(size_t)(PAGE - 1);
    struct freeblk *b = p;
    b->size = size;
    size_t n = size / PAGE;
    spin_lock(&mem_lock);
    b->next = freelist[n <= NCLASS ? n : 0];
    freelist[n <= NCLASS ? n : 0] = b;
    in_use -= size;
    spin_unlock(&mem_lock);
}

void *persistent_alloc(size_t size, size_t align)
{
    spin_lock(&mem_lock);
    uintptr_t p = (pa_cur + align - 1) & ~(uintptr_t)(align - 1);
    if (!pa_cur || p + size > pa_end) {
        size_t chunk = size > 64 * 1024 ? ((size + PAGE - 1) & ~(size_t)(PAGE - 1)) : 64 * 1024;
        void *c = bump_pages(chunk);
        if (!c) {
            spin_unlock(&mem_lock);
            return NULL;
        }
        pa_cur = (uintptr_t)c;
        pa_end = pa_cur + chunk;
        in_use += chunk;
        p = pa_cur;
    }
    pa_cur = p + size;
    spin_unlock(&mem_lock);
    /* Zeroed, as callers assume: RAM is zero only in a fresh QEMU, not after a reset or
     * a previous image on a real board (found by the HIL runner, tests/hil/). */
    return __builtin_memset((void *)p, 0, size);
}

size_t mem_in_use(void)
{
    spin_lock(&mem_lock);
    size_t n = in_use;
    spin_unlock(&mem_lock);
    return n;
}
