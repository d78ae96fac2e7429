/* Checkmark (GCCHECK=1 builds): after mark termination, with the world stopped,
 * re-mark the whole heap from the roots into a second set of bits, and panic with the
 * address and the path class (stack, global, heap) of any reachable object that the
 * concurrent mark left unmarked. A missed object means a barrier or a scan is wrong. */
#include <string.h>
#include "heap.h"

enum { VIA_GLOBAL, VIA_STACK, VIA_HEAP };
static const char *const via_name[] = { "global", "stack", "heap" };
static struct g *cm_g;            /* the goroutine whose stack is being checked */
extern char __data_start[], __data_end[], __bss_scan_start[], __bss_end[];

struct cm { uintptr_t *stack; size_t n, cap; };

static void cm_push(struct cm *cm, uintptr_t obj)
{
    if (cm->n == cm->cap) {
        size_t cap = cm->cap ? cm->cap * 2 : 65536;
        uintptr_t *s = page_alloc(cap * sizeof *s);
        if (!s)
            throw("checkmark: out of memory");
        if (cm->stack) {           /* memcpy from NULL is undefined, even of 0 bytes */
            memcpy(s, cm->stack, cm->n * sizeof *s);
            page_free(cm->stack, cm->cap * sizeof *s);
        }
        cm->stack = s;
        cm->cap = cap;
    }
    cm->stack[cm->n++] = obj;
}

static void cm_word(struct cm *cm, uintptr_t p, int via, uintptr_t from)
{
    struct span *s = span_of(p);
    if (!s)
        return;
    uint32_t i;
    uintptr_t base = object_base(s, p, &i);
    if (i >= s->nelems || !bit_get(s->alloc, i) || bit_get(s->check, i))
        return;
    s->check[i / 64] |= 1ULL << (i % 64);
    if (!bit_get(s->mark, i)) {
        struct span *fs = via == VIA_HEAP ? span_of(from) : NULL;
        if (via == VIA_STACK && cm_g)
            kprintf("GCCHECK: goroutine %lld stack 0x%lx-0x%lx, saved sp 0x%lx ra 0x%lx, status %s; word 0x%lx at 0x%lx, "
                    "%s the sp 0x%lx of its scan\n", (long long)cm_g->id,
                    (unsigned long)cm_g->stack_lo, (unsigned long)cm_g->stack_hi, (unsigned long)cm_g->ctx.sp, (unsigned long)cm_g->ctx.ra,
                    gstatus_name(readgstatus(cm_g)), (unsigned long)p, (unsigned long)from,
                    from < cm_g->gcscan_sp ? "below (dead then: written after the scan)" : "inside the range read by",
                    (unsigned long)cm_g->gcscan_sp);
        if (via == VIA_STACK && cm_g)
            for (uintptr_t a = cm_g->ctx.sp & ~(uintptr_t)15; a + 16 <= cm_g->stack_hi; a += 16)
                kprintf("  %lx: %08lx %08lx %08lx %08lx\n", (unsigned long)a, (unsigned long)((uint32_t *)a)[0],
                        (unsigned long)((uint32_t *)a)[1], (unsigned long)((uint32_t *)a)[2], (unsigned long)((uint32_t *)a)[3]);
        throw("GCCHECK: object 0x%lx (%u bytes, span sweepgen %u of %u) reachable via %s (from 0x%lx: %s %lld) "
              "was not marked by the concurrent mark", (unsigned long)base, (unsigned)s->elemsize,
              (unsigned)s->sweepgen, (unsigned)sweepgen, via_name[via], (unsigned long)from,
              via == VIA_STACK ? "goroutine" : fs ? "object of size" : "root",
              via == VIA_STACK && cm_g ? (long long)cm_g->id : fs ? (long long)fs->elemsize : 0LL);
    }
    if (!s->noscan)
        cm_push(cm, base);
}

static void cm_block(struct cm *cm, uintptr_t lo, uintptr_t hi, int via)
{
    for (uintptr_t a = (lo + 7) & ~(uintptr_t)7; a + sizeof(uintptr_t) <= hi; a += sizeof(uintptr_t))
        cm_word(cm, *(uintptr_t *)a, via, a);
}

void checkmark(void)
{
    struct cm cm = { 0 };
    for (uint32_t i = 0; i < nallspans; i++)
        memset(allspans[i]->check, 0, sizeof allspans[i]->check);
    cm_block(&cm, (uintptr_t)__data_start, (uintptr_t)__data_end, VIA_GLOBAL);
    cm_block(&cm, (uintptr_t)__bss_scan_start, (uintptr_t)__bss_end, VIA_GLOBAL);
    for (struct g *gp = allgs; gp; gp = gp->alllink) {
        if (readgstatus(gp) == G_DEAD)
            continue;
        uintptr_t here = (uintptr_t)&here;   /* ourselves: from our live frame up */
        uintptr_t sp = gp == getg() ? here : gp->ctx.sp;
        cm_g = gp;
        if (sp < gp->stack_lo)
            sp = gp->stack_lo;
        cm_block(&cm, sp, gp->stack_hi, VIA_STACK);
        cm_block(&cm, (uintptr_t)&gp->ctx, (uintptr_t)(&gp->ctx + 1), VIA_STACK);
        cm_word(&cm, (uintptr_t)gp->arg, VIA_STACK, (uintptr_t)&gp->arg);
    }
    while (cm.n) {
        uintptr_t obj = cm.stack[--cm.n];
        struct span *s = span_of(obj);
        cm_block(&cm, obj, obj + s->elemsize, VIA_HEAP);
    }
    if (cm.stack)
        page_free(cm.stack, cm.cap * sizeof *cm.stack);
}
