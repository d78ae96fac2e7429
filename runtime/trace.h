/* trace.h: the execution tracer's event sites (each one nop when off: a static branch)
 * and its record format, shared by trace.c and tracewrite.c. trace.c says how it works. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#ifndef GORO_TRACE_HOOKS
#define GORO_TRACE_HOOKS 1      /* 0: every event site compiles to nothing (benchmarks) */
#endif

struct g;
struct p;

/* Event types: the top byte of an event's first word. The host tool
 * (tools/trace/gorotrace.py) has the same table; change both together. */
enum {
    EV_GOCREATE = 1,  /* a: new g id, b: creator g id (0: runtime) */
    EV_GOSTART,       /* a: g id, b: P id */
    EV_GOSTOP,        /* a: g id, b: TR_* reason */
    EV_GOBLOCK,       /* a: g id, b: wait reason (string id) */
    EV_GOUNBLOCK,     /* a: g id, b: by g id (0: runtime) */
    EV_GOEND,         /* a: g id */
    EV_PREEMPT,       /* a: target g id, b: TR_PREEMPT_* kind (instant) */
    EV_MIDLE,         /* a: P id (-1: none): the M sleeps */
    EV_MWAKE,         /* a: P id */
    EV_PSTOP,         /* a: P id: stopped for the world */
    EV_PSTART,        /* a: P id: restarted */
    EV_TIMER,         /* a: g id whose timer fired */
    EV_STWBEGIN,      /* a: reason (string id) */
    EV_STWEND,
    EV_FEPBEGIN,      /* forEachP */
    EV_FEPEND,
    EV_GCPHASE,       /* a: TR_GC_*, b: heap_alloc */
    EV_STACKSCAN,     /* a: g id, b: P id of the scanner */
    EV_REGION,        /* a: 1 begin / 0 end, b: string id */
    EV_LOG,           /* a: category string id, b: message string id */
    EV_STRING,        /* a: string id, b: length; the bytes follow, padded to words */
    EV_GSTATUS,       /* a: g id, b: status (G_*) | P id << 16: a snapshot at a generation start */
    EV_PSTATUS,       /* a: P id, b: status (P_*) */
    EV_GEN,           /* a: generation: the P's snapshot at this generation's safe point */
    EV_GREASON,       /* a: g id, b: wait reason (string id), before its EV_GSTATUS */
};

enum { TR_YIELD = 1, TR_PREEMPT_TICK, TR_PREEMPT_REQ, TR_SUSPEND };
enum { TR_GC_OFF, TR_GC_SWEEPTERM, TR_GC_MARK, TR_GC_MARKTERM, TR_GC_SWEEP };

/* atomic: tracing now. Also the key of every event site's static branch (kernel/patch.c):
 * the sites jump to their calls from a start until the matching stop. */
extern uint32_t trace_on;

/* An event's first word but its ticks: the type and how many words follow. */
#define EV_HEAD(type, extra) ((uint64_t)(type) << 56 | (uint64_t)(extra) << 48)

/* trace.c: the slow paths, called only when tracing is on. trace_event is the one
 * every two-argument event goes through; head is EV_HEAD(type, 2), a constant at the
 * site, so the hot path has no shifting to do for it. */
void trace_event(uint64_t head, uint64_t a, uint64_t b);
static inline void trace_ev(unsigned type, uint64_t a, uint64_t b) { trace_event(EV_HEAD(type, 2), a, b); }
void trace_ev_str(unsigned type, uint64_t a, const char *s, bool intern);
struct g *trace_unblock_slow(struct g *gp);   /* returns gp: see trace_gounblock */
bool trace_unblock_put(struct g *gp, unsigned long flags, struct p *pp);   /* sched.c goready_restore's */
void trace_switch_direct(struct g *gp, struct g *next, int pid, uint32_t *word);   /* switch.h's, a park's */
void trace_create_slow(struct g *gp);
void trace_preempt_stop_slow(struct g *gp);
void trace_preempt_mark_slow(int kind);
void trace_gc_phase_slow(int phase);
void trace_init(void);       /* rt_init, before the other cores start: each core's state */
void trace_boot(void);       /* main goroutine: start tracing if the command line says trace= */
void trace_exit(void);       /* goro_exit: stop and flush */
void trace_advance(void);    /* a new generation now (the tracer's own period; tests) */

/* Interrupts off: words this core has recorded since boot, written out or not (tests). */
uint64_t trace_words_here(void);

#if GORO_TRACE_HOOKS
#define TRACE_IF(call) do { if (__builtin_expect(arch_static_branch(&trace_on), 0)) call; } while (0)
#else
#define TRACE_IF(call) do { if (0) call; } while (0)      /* compiled out, arguments used */
#endif

/* The event sites. Each is one line in the runtime file it instruments. runtime.h
 * includes this after struct g and struct p are complete. A site passes what its
 * caller holds in a register (gp, m) and loads the rest on the out-of-line path: an
 * argument such as gp->waitreason is loaded before the inline's branch, when tracing
 * is off too. What the site passes stays live across its nop. */
static inline void trace_gocreate(struct g *gp) { TRACE_IF(trace_create_slow(gp)); }
static inline __attribute__((always_inline)) void trace_gostart(struct g *gp, struct m *m) { TRACE_IF(trace_ev(EV_GOSTART, gp->id, m->p->id)); }
static inline void trace_goyield(struct g *gp) { TRACE_IF(trace_ev(EV_GOSTOP, gp->id, TR_YIELD)); }
static inline void trace_gopreempt(struct g *gp) { TRACE_IF(trace_preempt_stop_slow(gp)); }
static inline void trace_gosuspend(struct g *gp) { TRACE_IF(trace_ev(EV_GOSTOP, gp->id, TR_SUSPEND)); }
static inline void trace_goblock(struct g *gp) { TRACE_IF(trace_ev_str(EV_GOBLOCK, gp->id, gp->waitreason, true)); }
/* gp = trace_gounblock(gp): the slow path hands gp back in the return register, so
 * that gp, live after the site, needn't move into a callee-saved register (and the
 * caller save one more) only because the true path makes a call: in goready, one per
 * channel handoff, that was 3 instructions more than the nop on RISC-V. */
static inline struct g *trace_gounblock(struct g *gp) { TRACE_IF(gp = trace_unblock_slow(gp)); return gp; }
static inline void trace_goend(struct g *gp) { TRACE_IF(trace_ev(EV_GOEND, gp->id, 0)); }
static inline void trace_preempt_tick(void) { TRACE_IF(trace_preempt_mark_slow(TR_PREEMPT_TICK)); }
static inline void trace_preempt_ipi(void) { TRACE_IF(trace_preempt_mark_slow(TR_PREEMPT_REQ)); }
static inline void trace_preempt_request(struct g *gp) { TRACE_IF(trace_ev(EV_PREEMPT, gp->id, TR_PREEMPT_REQ)); }
static inline void trace_midle(struct p *pp) { TRACE_IF(trace_ev(EV_MIDLE, pp ? pp->id : -1, 0)); }
static inline void trace_mwake(struct p *pp) { TRACE_IF(trace_ev(EV_MWAKE, pp ? pp->id : -1, 0)); }
static inline void trace_pstop(struct p *pp) { TRACE_IF(trace_ev(EV_PSTOP, pp->id, 0)); }
static inline void trace_pstart(struct p *pp) { TRACE_IF(trace_ev(EV_PSTART, pp->id, 0)); }
static inline void trace_timer(struct g *gp) { TRACE_IF(trace_ev(EV_TIMER, gp->id, 0)); }
static inline void trace_stw_begin(const char *reason) { TRACE_IF(trace_ev_str(EV_STWBEGIN, 0, reason, true)); }
static inline void trace_stw_end(void) { TRACE_IF(trace_ev(EV_STWEND, 0, 0)); }
static inline void trace_foreachp_begin(void) { TRACE_IF(trace_ev(EV_FEPBEGIN, 0, 0)); }
static inline void trace_foreachp_end(void) { TRACE_IF(trace_ev(EV_FEPEND, 0, 0)); }
static inline void trace_gc_phase(int phase) { TRACE_IF(trace_gc_phase_slow(phase)); }
static inline void trace_stackscan(struct g *gp) { TRACE_IF(trace_ev(EV_STACKSCAN, gp->id, arch_cpu()->m->p ? arch_cpu()->m->p->id : -1)); }
