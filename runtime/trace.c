/* The execution tracer: per-core event buffers, generations, start, stop and advance.
 *
 * What it records. Every scheduling fact a picture of the cores needs: goroutine
 * create, start, stop (yield, preempted by tick, preempted by request, stopped for a
 * stack scan), block (with its wait reason), unblock (by whom), exit; preemption
 * requests (instants); M idle/wake, P stop/start for the world; timer fires;
 * stop-the-world begin/end with its reason; forEachP begin/end; GC phases with the
 * heap size; stack scans (which goroutine, which P scanned it); user regions and log
 * lines (goro.h). The sites are one line each in the file that makes the transition,
 * calling an inline of trace.h: a static branch on trace_on (kernel/patch.c), one nop
 * while tracing is off, which start patches into a jump to the site's call and stop
 * patches back (GORO_TRACE_HOOKS=0 compiles them away, to measure that).
 *
 * Format. An event is 3 words (uint64, little-endian on every board): word 0 is
 * type << 56 | extra words << 48 | counter ticks (48 bits: 52 days at 62.5 MHz), then
 * two arguments; EV_STRING carries its bytes in the extra words. Strings (wait
 * reasons, STW reasons) are interned by address: a core writes EV_STRING the first
 * time it uses an address since tracing started (a 64-entry cache per core), user
 * strings always. Ticks become nanoseconds on the host (the header has the rate):
 * no division on the board. Buffers are records of the output stream: a 24-byte header
 * (magic, kind, core, generation, sequence, word count) then the words, so one write
 * puts out one buffer; the host tool (tools/trace/gorotrace.py) decodes the stream,
 * checks that every core's sequence runs 0, 1, 2... with no gap and no repeat, and
 * merges the cores by timestamp, each event taken only when its precondition holds
 * (a start needs a runnable goroutine and an idle core), so equal or skewed ticks
 * between cores can't reorder cause and effect.
 *
 * Buffers are per core (per M), not per P: each core owns one and writes it with
 * interrupts off, so no lock and no read-modify-write is needed, and events of an M without a P
 * (idle, waking, a timer interrupt while its P is stopped) have a home. Go's tracer
 * moved from per-P to per-M buffers for the same reason. Each event still names its P.
 *
 * Generations (Go's): trace_gen counts them. A core whose buffer belongs to an older
 * generation hands it off at its next event and starts a fresh one. The advance, every
 * trace_period_ns of board time, by the trace goroutine:
 *   1. take trace_ctl (a goro_mutex: start, stop and the advance never overlap);
 *   2. trace_gen++, and every core's fast path closed (its limit zeroed: "The fast
 *      path" below), so that its next event looks at the generation;
 *   3. goro_for_each_p (the wrapped form: Rule 0, so a GC scanning this goroutine's
 *      stack never waits for it) runs advance_p on every P at a safe point of that P:
 *      it writes EV_GEN, the P's status and the goroutines in its run queue, which
 *      hands off that core's buffer of the old generation. Idle Ps are done by the
 *      advancing core (world.c), their cores hand off at their next event;
 *   4. release trace_ctl.
 * No step stops the world. Handing off a buffer (full, or of an old generation) writes
 * it out at once (tracewrite.c, under trace_wlock) and reuses it.
 *
 * Start stops the world once: buffers stamped, trace_on set, the sites patched into
 * jumps and every other core's instruction fetch synced (static_branch_switch: an
 * interrupt on each core, those of stopped Ps and idle Ms included, so that none
 * misses an event once the world restarts), every goroutine's status and every P's
 * written while nothing moves, then the world restarts and the trace goroutine
 * begins. Stop: trace_on = 0, every core's fast path closed, then on g0 the sites
 * patched back into nops (a core still taking an old jump meanwhile records nothing:
 * its limit is 0 and refill finds trace_on 0); the switch's interrupts on every other
 * core are also the stop's barrier: they sync each core's instruction fetch, so no
 * core takes a jump after the stop returns, and they run only where that core has
 * interrupts on, i.e. not inside an event write, and a core whose fast path is closed
 * looks at trace_on with interrupts off before it writes. Then every core's buffer is
 * written out by the stopper and the stream gets an end record. goro_exit stops a
 * running trace, so `main` returning leaves a complete file.
 *
 * Costs (make bench, tests/bench/trace_costs.c; instructions under icount, the site's
 * jump, the call and the buffer hand-offs included): a recorded event ~30 on RISC-V,
 * ~35 on ARM, as trace_event is a leaf of about 25 instructions: interrupts off and
 * back (arch_intr_save/restore), the core's tracecpu through arch_cpu(), one bounds
 * check against the limit, the counter read inline (arch_time_now), three stores. A
 * channel round trip costs 1.454x (RISC-V) and 1.391x (ARM) traced (2026-12-07: the
 * untraced trip had got twice as fast through the direct switch, which the traced
 * one did not take, and the ratio had grown to 2.31x; now the park records its two
 * events in one reservation and switches directly, trace_switch_direct, and the wake
 * records its one and tail-calls the put, trace_unblock_put). Off, the sites
 * cost a round trip ~4 instructions (0.5%) on RISC-V and ~10 (1.1%) on ARM against
 * GORO_TRACE_HOOKS=0 (the benchmark builds both): the six nops of the six sites a
 * round trip passes, give or take what the register allocator does around them. It
 * was ~22 (2.5%) and ~38 (4.3%) with a load of trace_on and a branch at each site.
 * What is left comes from values that must survive the true path's call, which the
 * compiler keeps in callee-saved registers or on the stack on the fast path too; the
 * two sites a channel handoff passes are placed and shaped to keep that to nothing
 * (trace.h: gp = trace_gounblock(gp), trace_gostart last in execute).
 *
 * Alternatives rejected. (a) Per-P buffers: events from Ms without a P need a second
 * kind of buffer, and an idle P's forEachP function runs on another core while the
 * idle P's M can still take a timer interrupt. (b) A queue of full buffers drained by
 * a writer goroutine (Go's reader): needs memory sized for the worst burst and loses
 * events when it is exceeded; under QEMU a semihosting write of a whole buffer costs
 * the writing core a few microseconds of host time and no board time under icount,
 * so the writing core puts it out itself. On a board without semihosting the frames
 * go to the console, slowly; that core pauses meanwhile (visible as a gap). (c) A
 * global sequence number per event: an atomic on every event, and what it proves the
 * per-core sequence and the merge's preconditions prove too.
 *
 * Locks: trace_ctl (goro_mutex) orders start/stop/advance; trace_wlock (tracewrite.c,
 * spinlock, interrupts off) orders writes to the output and comes after every runtime
 * lock (an event site may hold sched.lock) and before the console's. */
#include <stdlib.h>
#include <string.h>
#include "runtime.h"
#include "tracewrite.h"
#include "heap.h"

#define TS_MASK ((1ULL << 48) - 1)
#define NSEEN 64
#define STRMAX 200

uint32_t trace_on;                     /* atomic */
static uint32_t trace_gen;             /* atomic */
static goro_mutex trace_ctl;
static bool trace_started;             /* trace_ctl */
static int64_t trace_period_ns = 10000000;
static int trace_debug;                /* TRACE_DEBUG_* from the command line (negative controls) */
static uint32_t debug_done;            /* atomic */

struct tracecpu {
    uint64_t *pos;                     /* owner: where buf's next word goes */
    uintptr_t limit;                   /* atomic: how far pos may go on the fast path; others zero it */
    struct tracebuf *buf;              /* owned by the core (interrupts off) */
    uint32_t seq;                      /* next buffer's sequence number */
    uint8_t preempt_kind;              /* why curg's preempt flag was set (TR_PREEMPT_*) */
    uint32_t strid;                    /* user string ids made here */
    uint64_t written;                  /* atomic: words handed off (trace_words_here) */
    const char *seen[NSEEN];           /* interned string addresses written */
} __attribute__((aligned(64)));
static struct tracecpu tcpu[GORO_SMP_MAX] GORO_NOSCAN;

/* ---- the buffers ----
 *
 * The fast path. An event costs a bounds check against tc->limit and nothing else:
 * no look at trace_on or trace_gen. A core that must look (its buffer is of an old
 * generation, or tracing stopped) is sent to refill by zeroing its limit, which any
 * core may do; the limit is the only field of a tracecpu another core writes while
 * tracing runs. refill reopens the fast path and then looks, with a full fence
 * between:
 *
 *   refill (owner):  limit = end; fence; read trace_on, trace_gen
 *   close (advance, stop):  write trace_gen or trace_on; fence; limit = 0
 *
 * Either the closer's fence comes first, and refill reads the new trace_gen or
 * trace_on, or refill's fence comes first, and the closer's zero lands after refill's
 * store, so the next event refills again (the memory model orders two stores to one
 * object as seq_cst fences sequenced before and after them are ordered). tc->pos is
 * the owner's but for a start, which resets it while every limit is 0: the owner's
 * fast path reads it relaxed and then ignores it. The owner writes with interrupts off, so the stop's
 * barrier (an interrupt on every core) also waits out an event being written. */

/* Any core, with trace_gen or trace_on just changed: every core's next event refills. */
static void close_fast_paths(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (int i = 0; i < ncpu; i++)
        __atomic_store_n(&tcpu[i].limit, 0, __ATOMIC_RELAXED);
}

static void buf_reset(struct tracecpu *tc, int cpu)
{
    struct tracebuf *b = tc->buf;
    b->magic = TRACE_MAGIC;
    b->kind = REC_BUF;
    b->cpu = (uint16_t)cpu;
    b->gen = __atomic_load_n(&trace_gen, __ATOMIC_ACQUIRE);
    b->seq = tc->seq++;
    b->nwords = 0;
    __atomic_store_n(&tc->pos, b->w, __ATOMIC_RELAXED);   /* the owner may read it (and ignore it) */
}

static bool is_g_event(unsigned t) { return t >= EV_GOCREATE && t <= EV_GOEND; }

/* The negative controls: lose the first goroutine event of one buffer, or write one
 * buffer twice; the host checker must notice either. */
static void debug_mangle(struct tracebuf *b)
{
    if ((trace_debug != TRACE_DEBUG_DROP && trace_debug != TRACE_DEBUG_DUP) || b->seq != 1 ||
        __atomic_exchange_n(&debug_done, 1, __ATOMIC_RELAXED))
        return;
    if (trace_debug == TRACE_DEBUG_DUP) {
        tracewrite(b, sizeof *b - sizeof b->w + b->nwords * 8);
        return;
    }
    for (uint32_t i = 0; i < b->nwords; i += 1 + (uint32_t)(b->w[i] >> 48 & 0xff)) {
        uint32_t len = 1 + (uint32_t)(b->w[i] >> 48 & 0xff);
        if (is_g_event((unsigned)(b->w[i] >> 56))) {
            memmove(&b->w[i], &b->w[i + len], (b->nwords - i - len) * 8);
            b->nwords -= len;
            return;
        }
    }
    __atomic_store_n(&debug_done, 0, __ATOMIC_RELAXED);   /* none here: try the next */
}

/* Interrupts off, by the owner (or by the stopper once no one writes): write out the
 * core's buffer and start the next one. */
static __attribute__((noinline, cold)) void handoff(struct tracecpu *tc, int cpu)
{
    struct tracebuf *b = tc->buf;
    b->nwords = (uint32_t)(tc->pos - b->w);
    __atomic_store_n(&tc->written, tc->written + b->nwords, __ATOMIC_RELAXED);
    debug_mangle(b);
    tracewrite(b, sizeof *b - sizeof b->w + b->nwords * 8);
    buf_reset(tc, cpu);
}

/* Interrupts off, by the owner, its limit passed: the protocol above. Room for n
 * words in this core's buffer of this generation, or NULL when tracing has stopped. */
static __attribute__((noinline, cold)) uint64_t *refill(struct tracecpu *tc, unsigned n)
{
    struct tracebuf *b = tc->buf;
    if (!b)
        return NULL;                   /* never started */
    uint64_t *end = &b->w[TRACE_BUF_WORDS];
    __atomic_store_n(&tc->limit, (uintptr_t)end, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!__atomic_load_n(&trace_on, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&tc->limit, 0, __ATOMIC_RELAXED);
        return NULL;
    }
    if (tc->pos + n > end || b->gen != __atomic_load_n(&trace_gen, __ATOMIC_RELAXED))
        handoff(tc, arch_cpu()->id);
    return tc->pos;
}

/* Interrupts off, by the owner: room for n words; the caller moves tc->pos past them. */
static inline uint64_t *reserve(struct tracecpu *tc, unsigned n)
{
    uint64_t *w = __atomic_load_n(&tc->pos, __ATOMIC_RELAXED);
    if (__builtin_expect((uintptr_t)(w + n) > __atomic_load_n(&tc->limit, __ATOMIC_RELAXED), 0))
        w = refill(tc, n);
    return w;
}

/* The counter, 48 bits of it (52 days at 62.5 MHz): raw ticks, as the host converts
 * them to nanoseconds (the stream's header has the rate), so no division here. */
static inline uint64_t ticks(void) { return arch_time_now() & TS_MASK; }

/* Any context: trace_event when this core's limit is passed (a full buffer, a new
 * generation, tracing stopped). trace_event's tail: same arguments, so a plain jump. */
static __attribute__((noinline, cold)) void trace_event_slow(uint64_t head, uint64_t a, uint64_t b)
{
    unsigned long intr = arch_intr_save();
    struct tracecpu *tc = arch_cpu()->trace;
    uint64_t *w = reserve(tc, 3);
    if (w) {
        tc->pos = w + 3;
        w[0] = head | ticks();
        w[1] = a;
        w[2] = b;
    }
    arch_intr_restore(intr);
}

/* Any context: the hot path. A leaf but for the jump to trace_event_slow, so it saves
 * no registers; no look at trace_on (the site looked, relaxed, and a stop since then
 * has zeroed the limit: see the protocol above). */
void trace_event(uint64_t head, uint64_t a, uint64_t b)
{
    unsigned long intr = arch_intr_save();
    struct tracecpu *tc = arch_cpu()->trace;
    uint64_t *w = __atomic_load_n(&tc->pos, __ATOMIC_RELAXED);
    if (__builtin_expect((uintptr_t)(w + 3) > __atomic_load_n(&tc->limit, __ATOMIC_RELAXED), 0)) {
        arch_intr_restore(intr);
        trace_event_slow(head, a, b);  /* it looks again: this core may have changed */
        return;
    }
    tc->pos = w + 3;
    w[0] = head | ticks();
    w[1] = a;
    w[2] = b;
    arch_intr_restore(intr);
}

uint64_t trace_words_here(void)
{
    struct tracecpu *tc = arch_cpu()->trace;
    uint64_t *pos = __atomic_load_n(&tc->pos, __ATOMIC_RELAXED);
    return __atomic_load_n(&tc->written, __ATOMIC_RELAXED) + (tc->buf ? (uint64_t)(pos - tc->buf->w) : 0);
}

/* Interrupts off: the slot of this core's cache of interned strings written (by
 * address) that s takes. */
static inline const char **seen_slot(struct tracecpu *tc, const char *s)
{
    return &tc->seen[(unsigned)((uintptr_t)s >> 3) % NSEEN];
}

/* trace_ev_str's writer: the string (EV_STRING: unless interned and written already),
 * then the event. */
static __attribute__((noinline)) void trace_ev_str_write(unsigned type, uint64_t a, const char *s, bool intern)
{
    if (!s)
        s = "";
    size_t n = strnlen(s, STRMAX);
    unsigned words = (unsigned)(n + 7) / 8;
    unsigned long intr = arch_intr_save();
    struct tracecpu *tc = arch_cpu()->trace;
    uint64_t *w = reserve(tc, 3 + 3 + words);
    if (w) {
        uint64_t id = (uintptr_t)s;
        if (!intern)
            id = 1ULL << 63 | (uint64_t)arch_cpu()->id << 40 | ++tc->strid;
        const char **seen = seen_slot(tc, s);
        if (!intern || *seen != s) {         /* else the room the string would take is left */
            if (intern)
                *seen = s;
            w[0] = EV_HEAD(EV_STRING, 2 + words) | ticks();
            w[1] = id;
            w[2] = n;
            w[2 + words] = 0;                 /* the padding of the last word */
            memcpy(&w[3], s, n);
            w += 3 + words;
        }
        w[0] = EV_HEAD(type, 2) | ticks();
        w[1] = a;
        w[2] = id;
        tc->pos = w + 3;
    }
    arch_intr_restore(intr);
}

/* Any context: an event whose b is a string; intern: s lives forever (a literal), and
 * is written (EV_STRING) the first time this core uses its address. An interned string
 * this core has written already, in a buffer with room, is the event alone, here, a
 * leaf (a channel park's GOBLOCK, traced: 79 instructions on riscv64 when every call
 * measured the string and saved twelve registers for the calls that copy it). */
void trace_ev_str(unsigned type, uint64_t a, const char *s, bool intern)
{
    unsigned long intr = arch_intr_save();
    struct tracecpu *tc = arch_cpu()->trace;
    uint64_t *w = __atomic_load_n(&tc->pos, __ATOMIC_RELAXED);
    if (intern && s && *seen_slot(tc, s) == s &&
        (uintptr_t)(w + 3) <= __atomic_load_n(&tc->limit, __ATOMIC_RELAXED)) {
        tc->pos = w + 3;
        w[0] = EV_HEAD(type, 2) | ticks();
        w[1] = a;
        w[2] = (uintptr_t)s;
        arch_intr_restore(intr);
        return;
    }
    arch_intr_restore(intr);
    trace_ev_str_write(type, a, s, intern);
}

/* trace_switch_direct's way when the two events need more than the fast path: the
 * string first, a buffer handed off, tracing stopped meanwhile. */
static __attribute__((noinline)) void trace_switch_direct_slow(struct g *gp, struct g *next, int pid, uint32_t *word)
{
    trace_ev_str(EV_GOBLOCK, gp->id, gp->waitreason, true);
    trace_ev(EV_GOSTART, next->id, pid);
    arch_set_thread(next);
    arch_switch_park(SWITCH_ARG(gp), SWITCH_ARG(next), word);
}

/* Interrupts off, tracing on: switch.h's direct switch in a channel's park, from its
 * recording on (gp blocks with its wait reason, next starts on P pid: both events in
 * one reservation, one timestamp) to arch_switch_park, which it tail-calls, so that the
 * park keeps no value across a call. Here rather than in sched.c because the events'
 * fast path is the buffer's: through trace_goblock and trace_gostart, two calls that
 * returned, a traced park cost 53 instructions more on riscv64. */
void trace_switch_direct(struct g *gp, struct g *next, int pid, uint32_t *word)
{
    const char *s = gp->waitreason;
    struct tracecpu *tc = arch_cpu()->trace;
    uint64_t *w = __atomic_load_n(&tc->pos, __ATOMIC_RELAXED);
    if (__builtin_expect(!s || *seen_slot(tc, s) != s ||
                         (uintptr_t)(w + 6) > __atomic_load_n(&tc->limit, __ATOMIC_RELAXED), 0)) {
        trace_switch_direct_slow(gp, next, pid, word);
        return;
    }
    uint64_t now = ticks();
    tc->pos = w + 6;
    w[0] = EV_HEAD(EV_GOBLOCK, 2) | now;
    w[1] = (uint64_t)gp->id;
    w[2] = (uintptr_t)s;
    w[3] = EV_HEAD(EV_GOSTART, 2) | now;
    w[4] = (uint64_t)next->id;
    w[5] = (uint64_t)pid;
    arch_set_thread(next);
    arch_switch_park(SWITCH_ARG(gp), SWITCH_ARG(next), word);
}

static uint64_t self_id(void)
{
    struct g *gp = getg();
    return gp->is_g0 ? 0 : (uint64_t)gp->id;
}

void trace_create_slow(struct g *gp) { trace_ev(EV_GOCREATE, gp->id, self_id() | (uint64_t)gp->system << 63); }
/* gp's unblock, then goready's put (sched.c's goready_put_call, a tail call):
 * goready_restore's, interrupts off by its caller (flags: the state the put restores).
 * A leaf and a tail call when the buffer has room: through a leaf of its own for the
 * event, a call that returned, its caller kept a frame and three registers across
 * it, and the event
 * saved and restored interrupts already off, which put trace_pingpong_slowdown over
 * 1.5 once the untraced trip reached 399 on riscv64. The three functions take their
 * arguments in one order (no moves between them) and keep no frame record (a leaf's
 * would be 5 instructions; a backtrace from a trap in here shows the caller's caller). */
static __attribute__((noinline, cold)) bool trace_unblock_put_slow(struct g *gp, unsigned long flags, struct p *pp)
{
    trace_event_slow(EV_HEAD(EV_GOUNBLOCK, 2), (uint64_t)gp->id, self_id());
    return goready_put_call(gp, flags, pp);
}

__attribute__((optimize("omit-frame-pointer"))) bool trace_unblock_put(struct g *gp, unsigned long flags, struct p *pp)
{
    struct tracecpu *tc = arch_cpu()->trace;
    uint64_t *w = __atomic_load_n(&tc->pos, __ATOMIC_RELAXED);
    if (__builtin_expect((uintptr_t)(w + 3) > __atomic_load_n(&tc->limit, __ATOMIC_RELAXED), 0))
        return trace_unblock_put_slow(gp, flags, pp);    /* a tail call too: no frame here */
    tc->pos = w + 3;
    w[0] = EV_HEAD(EV_GOUNBLOCK, 2) | ticks();
    w[1] = (uint64_t)gp->id;
    w[2] = self_id();
    return goready_put_call(gp, flags, pp);
}

/* An unblock off the channel handoff's fast path (trace_gounblock's sites: goready's
 * slow path, a park whose unlockf declined, the irq wakes, the pacer's): trace_ev. */
struct g *trace_unblock_slow(struct g *gp)
{
    trace_ev(EV_GOUNBLOCK, gp->id, self_id());
    return gp;
}
void trace_gc_phase_slow(int phase) { trace_ev(EV_GCPHASE, phase, __atomic_load_n(&heap_alloc, __ATOMIC_RELAXED)); }

/* Interrupts off (trap handlers): remember why this core's goroutine was marked. */
void trace_preempt_mark_slow(int kind) { arch_cpu()->trace->preempt_kind = (uint8_t)kind; }

/* On g0: gp was preempted at an async safe point. */
void trace_preempt_stop_slow(struct g *gp)
{
    struct tracecpu *tc = arch_cpu()->trace;
    unsigned kind = tc->preempt_kind ? tc->preempt_kind : TR_PREEMPT_REQ;
    tc->preempt_kind = 0;
    trace_ev(EV_GOSTOP, gp->id, kind);
}

/* ---- user annotations (goro.h) ---- */
void goro_trace_region_begin(const char *name) { TRACE_IF(trace_ev_str(EV_REGION, (uint64_t)goro_id() << 1 | 1, name, false)); }
void goro_trace_region_end(const char *name) { TRACE_IF(trace_ev_str(EV_REGION, (uint64_t)goro_id() << 1, name, false)); }

void goro_trace_log(const char *category, const char *message)
{
    if (!__atomic_load_n(&trace_on, __ATOMIC_RELAXED))
        return;
    char buf[STRMAX + 1];                  /* "category\x1fmessage", one string */
    ksnprintf(buf, sizeof buf, "%s\x1f%s", category ? category : "", message ? message : "");
    trace_ev_str(EV_LOG, (uint64_t)goro_id(), buf, false);
}

bool goro_tracing(void) { return __atomic_load_n(&trace_on, __ATOMIC_RELAXED) != 0; }

/* ---- snapshots ---- */
static void snapshot_g(struct g *gp)
{
    uint32_t s = readgstatus(gp) & ~(uint32_t)G_SCAN;
    if (s == G_DEAD || s == G_IDLE)
        return;
    struct m *m = gp->m;
    uint64_t where = s == G_RUNNING && m ? (uint64_t)m->id : 0xffff;
    if (s == G_WAITING || s == G_PREEMPTED)
        trace_ev_str(EV_GREASON, gp->id, gp->waitreason ? gp->waitreason : "?", true);
    trace_ev(EV_GSTATUS, gp->id, s | where << 16 | (uint64_t)gp->system << 32);
}

/* At a safe point of P p (advance, forEachP): the generation, the P, its run queue. */
static void advance_p(int p, void *arg)
{
    struct p *pp = &ps[p];
    trace_ev(EV_GEN, (uint64_t)(uintptr_t)arg, p);
    trace_ev(EV_PSTATUS, p, __atomic_load_n(&pp->status, __ATOMIC_ACQUIRE));
    uint32_t h = __atomic_load_n(&pp->runq_head, __ATOMIC_ACQUIRE);
    uint32_t t = __atomic_load_n(&pp->runq_tail, __ATOMIC_ACQUIRE);
    for (uint32_t i = h; i != t && i - h < RUNQ_SIZE; i++) {
        struct g *gp = __atomic_load_n(&pp->runq[i % RUNQ_SIZE], __ATOMIC_RELAXED);
        if (gp)
            trace_ev(EV_GSTATUS, gp->id, G_RUNNABLE | 0xffffULL << 16 | 1ULL << 33);   /* bit 33: from a run queue, advisory */
    }
}

/* ---- start, advance, stop ---- */
static void tracer_main(void *arg);

static void start_world_stopped(void)
{
    __atomic_store_n(&trace_gen, __atomic_load_n(&trace_gen, __ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE);
    for (int i = 0; i < ncpu; i++) {      /* every limit is 0 (stopped): no core writes these */
        tcpu[i].preempt_kind = 0;
        memset(tcpu[i].seen, 0, sizeof tcpu[i].seen);
        buf_reset(&tcpu[i], i);
    }
    __atomic_store_n(&trace_on, 1, __ATOMIC_SEQ_CST);
    /* The buffers are ready for the first jump; waiting is fine, the world is stopped. */
    static_branch_switch(&trace_on, true, trace_debug != TRACE_DEBUG_NOSYNC, "trace start");
    for (int i = 0; i < sched.gomaxprocs; i++)
        trace_ev(EV_PSTATUS, i, __atomic_load_n(&ps[i].status, __ATOMIC_ACQUIRE));
    spin_lock(&allg_lock);
    struct g *first = allgs;
    spin_unlock(&allg_lock);
    for (struct g *gp = first; gp; gp = gp->alllink)
        snapshot_g(gp);
}

int goro_trace_start(void)
{
    goro_mutex_lock(&trace_ctl);
    int err = trace_started ? -1 : 0;     /* on already */
    for (int i = 0; !err && i < ncpu; i++)
        if (!tcpu[i].buf && !(tcpu[i].buf = page_alloc(sizeof(struct tracebuf))))
            err = -1;
    if (!err)
        err = tracewrite_open(ncpu, arch_time_hz(), sched.gomaxprocs);
    if (!err) {
        trace_started = true;
        goro_stop_the_world("trace start");
        start_world_stopped();
        goro_start_the_world();
        if (!newproc_system(tracer_main, NULL))
            throw("trace: no memory for the trace goroutine");
    }
    goro_mutex_unlock(&trace_ctl);
    return err;
}

/* A new generation: every P records its state at a safe point (see the top). */
void trace_advance(void)
{
    goro_mutex_lock(&trace_ctl);
    if (__atomic_load_n(&trace_on, __ATOMIC_ACQUIRE)) {
        uint32_t gen = __atomic_add_fetch(&trace_gen, 1, __ATOMIC_SEQ_CST);
        close_fast_paths();
        goro_for_each_p(advance_p, (void *)(uintptr_t)gen);
    }
    goro_mutex_unlock(&trace_ctl);
}

static void tracer_main(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&trace_on, __ATOMIC_ACQUIRE)) {
        goro_sleep(trace_period_ns);
        trace_advance();
    }
}

/* On g0 (Rule 0: the caller is waiting meanwhile): once every other core has run an
 * interrupt after trace_on went 0 and the sites became nops again, no event write is
 * in progress anywhere, and no core will start one. */
static void barrier_m(void *arg)
{
    (void)arg;
    if (trace_debug == TRACE_DEBUG_NOPATCHBACK)
        sync_other_cores(true, "trace stop");
    else
        static_branch_switch(&trace_on, false, trace_debug != TRACE_DEBUG_NOSYNC, "trace stop");
    for (int i = 0; i < ncpu; i++)
        handoff(&tcpu[i], i);
    tracewrite_end();
}

void goro_trace_stop(void)
{
    goro_mutex_lock(&trace_ctl);
    if (__atomic_load_n(&trace_on, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&trace_on, 0, __ATOMIC_SEQ_CST);
        close_fast_paths();
        wait_on_g0(barrier_m, NULL, "trace stop");
        trace_started = false;             /* a later start adds a section to the stream */
    }
    goro_mutex_unlock(&trace_ctl);
}

void trace_init(void)
{
    for (int i = 0; i < GORO_SMP_MAX; i++)
        cpus[i].trace = &tcpu[i];
}

/* The command line (tests, make trace): trace=PATH|console, tracegen=NS,
 * tracedebug=drop|dup|nopatchback|nosync (negative controls). */
void trace_boot(void)
{
    char buf[160];
    trace_period_ns = boot_num("tracegen", 1000, 1000000000000, trace_period_ns);
    /* TRACE_DEBUG_* in this order, from 1 (0: none) */
    trace_debug = 1 + boot_choice("tracedebug", (const char *const[]){ "drop", "dup", "nopatchback", "nosync", NULL }, -1);
    if (!boot_word("trace", buf, sizeof buf))
        return;
    tracewrite_path(buf);
    if (goro_trace_start() != 0)
        kprintf("goro: trace: could not start (%s)\n", buf);
}

void trace_exit(void)
{
    if (__atomic_load_n(&trace_on, __ATOMIC_RELAXED) && !getg()->is_g0)
        goro_trace_stop();
}
