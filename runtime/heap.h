/* The collected heap's internals, shared by heap.c (allocation), mark.c, sweep.c and
 * mgc.c (the cycle). */
#pragma once
#include "runtime.h"

#define HEAP_PAGE      8192
#define MAX_SMALL      2048
#define NUM_CLASSES    25           /* class 0: large objects */
#define NUM_SPC        (NUM_CLASSES * 2)   /* span class: size class x {scan, noscan} */
#define SPAN_WORDS     8            /* bitmap words: up to 512 objects per span */

/* A span: one or more heap pages holding objects of one size class (or one large
 * object). State and lists are guarded by heap_lock / the class's central lock as
 * noted; the bitmaps by the span's owner (its P's cache for alloc, the sweeper) except
 * mark, which markers set atomically. */
enum { SPAN_FREE, SPAN_INUSE };
struct span {
    uintptr_t base;
    uint32_t npages;
    uint8_t spc;                  /* span class; spc / 2 is the size class */
    uint8_t noscan;
    uint8_t state;                /* heap_lock */
    uint8_t incache;              /* in a P's mcache (central lock of its class) */
    uint8_t inpartial;            /* on its central's partial list (central lock) */
    uint32_t elemsize, nelems;
    uint32_t nfree;               /* free slots (owner) */
    uint32_t freeindex;           /* search for free slots starts here (owner) */
    uint32_t sweepgen;            /* atomic: see sweep.c */
    struct span *next, *prev;     /* central partial list or free list */
    uint64_t alloc[SPAN_WORDS];   /* allocated slots */
    uint64_t mark[SPAN_WORDS];    /* marked this cycle (atomic) */
    uint64_t check[SPAN_WORDS];   /* checkmark mode's own marks */
};

struct mcache { struct span *alloc[NUM_SPC]; };

/* Collector phases (mgc.c); gcphase is read by the write barrier on every store. */
enum { GC_OFF, GC_MARK, GC_MARKTERM };
extern uint32_t gcphase;          /* atomic */
extern uint32_t sweepgen;         /* atomic; += 2 at each mark termination */
extern uint64_t heap_alloc;       /* atomic: bytes in allocated objects */
extern uint64_t heap_marked;      /* atomic: bytes marked this cycle */
extern uint64_t heap_sys;         /* bytes of arena handed out as spans */

/* heap.c */
void heap_init(void);
struct span *span_of(uintptr_t p);
extern uintptr_t arena_lo, arena_used;   /* the heap's pages so far: [arena_lo, arena_used) */
uintptr_t object_base(struct span *s, uintptr_t p, uint32_t *idx);
void mcache_flush(struct p *pp);
struct span *span_alloc(uint32_t npages);
void span_free(struct span *s);
void central_put(struct span *s);
void central_remove(struct span *s);
void central_lock(int spc);             /* sweep: a size class's central lock */
void central_unlock(int spc);
extern struct span **allspans;
extern uint32_t nallspans;
extern struct spinlock heap_lock;

static inline bool bit_get(const uint64_t *b, uint32_t i) { return (b[i / 64] >> (i % 64)) & 1; }

/* mark.c */
void shade(uintptr_t p);
void shade_words(const void *p, size_t n);
void mark_roots(void);
void mark_stacks(void);
void mark_drain(int budget);           /* budget < 0: until no work */
uint64_t mark_drain_words(uint64_t want);
bool mark_work_left(void);
void gcwork_flush(struct p *pp);
void scan_block(uintptr_t lo, uintptr_t hi);
void scan_stack_of(struct g *gp);
void scan_born(struct g *gp, uintptr_t arg);
void channels_scan(void);
uint64_t words_scanned(void);

/* sweep.c */
void sweep_start(void);                 /* world stopped, after sweepgen += 2 */
bool sweepone(void);
void sweep_span(struct span *s);
bool span_ensure_swept(struct span *s);
uint32_t sweep_progress(void);
bool sweep_pending(void);
extern uint64_t heap_freed;       /* atomic: bytes freed by the sweep, all cycles */

/* mgc.c */
void gc_trigger_check(void);
void checkmark(void);

/* pacer.c */
extern bool pacer_off;            /* gcpacer=off on the command line: the old pacing */
void pacer_init(void);
void gc_assist(size_t n);
bool pacer_should_trigger(void);
void pacer_triggered(void);
uint64_t total_alloc(void);
void pacer_mark_start(void);
void pacer_mark_done(uint64_t marked);
void pacer_bg_start(void);
void pacer_bg_drain(void);
void pacer_assist_wake(void);
