/* goro.h: the public interface of the goro runtime (documented in docs/api/).
 * An application includes this one header and defines int main(void), which runs as
 * goroutine 1 once every core of the board is up. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Goroutines and processors ---- */
typedef void (*goro_fn)(void *arg);
#define GORO_ENOMEM (-12)
#ifndef GORO_STACK_DEFAULT
#define GORO_STACK_DEFAULT (16 * 1024)
#endif
int64_t goro_go(goro_fn fn, void *arg);                    /* start; returns id > 0, or GORO_ENOMEM (<0) */
int64_t goro_go_stack(goro_fn fn, void *arg, size_t stack_bytes); /* same, chosen stack size */
void    goro_gosched(void);                                /* yield the P (runtime.Gosched) */
_Noreturn void goro_goexit(void);                          /* end the calling goroutine */
int64_t goro_id(void);                                     /* id of the calling goroutine */
int     goro_numgoroutine(void);                           /* goroutines alive now, main included */
int     goro_ncpu(void);                                   /* cores brought up (Ms) */
int     goro_gomaxprocs(int n);                            /* n <= 0: query; else set (stops the world); returns previous */
int     goro_cpu(void);                                    /* core the caller runs on at this instant */
_Noreturn void goro_exit(int status);                      /* end the program now */
_Noreturn void goro_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- Time ---- */
int64_t goro_nanotime(void);          /* monotonic nanoseconds since boot */
void    goro_sleep(int64_t ns);       /* park the goroutine for at least ns; ns <= 0 yields */

/* ---- Synchronisation (zero value = ready to use) ---- */
typedef struct goro_mutex {           /* sync.Mutex: blocks by parking, not spinning */
    uint32_t state;                   /* atomic: locked, starving, waiters bits */
    uint32_t wlock;                   /* guards the waiter queue (interrupts off while held) */
    void *head, *tail;                /* parked waiters, FIFO (guarded by wlock) */
} goro_mutex;
void goro_mutex_lock(goro_mutex *m);
bool goro_mutex_trylock(goro_mutex *m);
void goro_mutex_unlock(goro_mutex *m);        /* unlocking an unlocked mutex panics */

typedef struct goro_waitgroup {       /* sync.WaitGroup */
    int64_t counter;                  /* guarded by lock */
    uint32_t lock;                    /* interrupts off while held */
    void *waiters;                    /* parked goroutines (guarded by lock) */
} goro_waitgroup;
void goro_wg_add(goro_waitgroup *wg, int delta); /* negative counter panics */
void goro_wg_done(goro_waitgroup *wg);
void goro_wg_wait(goro_waitgroup *wg);

/* ---- Channels ---- */
typedef struct goro_chan goro_chan;
goro_chan *goro_chan_make(size_t elem_size, size_t cap);  /* cap 0: unbuffered; NULL if out of memory */
void goro_chan_send(goro_chan *c, const void *elem);      /* blocks; send on closed channel panics */
bool goro_chan_recv(goro_chan *c, void *elem);            /* blocks; false when closed and drained (elem zeroed); elem may be NULL */
void goro_chan_close(goro_chan *c);                       /* closing twice panics */
int  goro_chan_len(goro_chan *c);
int  goro_chan_cap(goro_chan *c);
void goro_chan_free(goro_chan *c);                        /* only when no goroutine can use it again */

enum { GORO_SEND = 1, GORO_RECV = 2 };
typedef struct { goro_chan *ch; int dir; void *elem; bool ok; } goro_case;
int  goro_select(goro_case *cases, int n, bool block);    /* index of the case that ran; -1 if !block and none ready */

/* ---- Timeouts, timers and tickers (Go's select with a timeout, time.Timer, time.Ticker;
 *      runtime/gotimer.c, docs/api/timers.md) ---- */
#define GORO_ETIMEDOUT (-110)
int  goro_select_timeout(goro_case *cases, int n, int64_t timeout_ns); /* as goro_select(..., true), but
                              returns GORO_ETIMEDOUT if no case is ready within timeout_ns (<= 0: do not
                              wait); a case ready when it is called always wins over the timeout */
typedef struct goro_timer goro_timer;
goro_timer *goro_timer_new(int64_t ns);             /* one-shot, fires ns from now; NULL if out of memory */
goro_timer *goro_ticker_new(int64_t period_ns);     /* fires every period_ns (> 0, else NULL) */
goro_chan  *goro_timer_chan(goro_timer *t);         /* where it fires: elem int64_t, the goro_nanotime of firing */
bool        goro_timer_stop(goro_timer *t);         /* true if this call stopped it before it fired */
bool        goro_timer_reset(goro_timer *t, int64_t ns); /* re-arm (a ticker: new period); true if it was active */
void        goro_timer_free(goro_timer *t);         /* stop it and release it with its channel */
/* Go 1.23 semantics: once goro_timer_stop or goro_timer_reset returns, no value from
 * before that call is received from the channel; a fired value nobody received yet
 * counts as not fired (stop returns true). A slow ticker reader drops ticks, never a
 * backlog. Goroutines only, never from interrupt context. */

/* ---- The world ---- */
void goro_stop_the_world(const char *reason); /* returns once every other P is stopped at a safe point */
void goro_start_the_world(void);
void goro_for_each_p(void (*fn)(int p, void *arg), void *arg); /* fn runs once for every P, each at a
                                                                   safe point of that P; returns when all have run */
/* Between goro_stop_the_world and goro_start_the_world the caller must not block (no
 * channel operations, mutexes or newlib stdio). fn of goro_for_each_p runs on a
 * scheduler stack with interrupts off: it must be short and must not block either. */

/* ---- Memory and the collector ---- */
void  *goro_alloc(size_t n);          /* collected heap; zeroed; scanned for pointers; NULL only if out of memory after a full GC */
void  *goro_alloc_noscan(size_t n);   /* same, for memory that holds no pointers */
void   goro_gc(void);                 /* a full collection; returns when the cycle (mark and sweep) is done */
void   goro_store(void *slot, void *ptr); /* write a pointer into a field of a collected object (write barrier) */
typedef struct {
    uint64_t num_gc;           /* completed cycles */
    uint64_t heap_live;        /* bytes marked live by the last cycle */
    uint64_t heap_alloc;       /* bytes in use now */
    uint64_t heap_sys;         /* bytes the heap holds from the board */
    uint64_t pause_total_ns;   /* sum of stop-the-world pauses */
    uint64_t pause_max_ns;     /* longest single pause */
    uint64_t stacks_scanned;   /* goroutine stacks scanned, all cycles */
} goro_gcstats;
void   goro_gc_stats(goro_gcstats *out);

/* ---- The execution tracer (runtime/trace.c; `make trace APP=x.c`) ---- */
int  goro_trace_start(void);          /* start recording (stops the world once); 0, or -1 if on already
                                         or no memory. Output: the file named by trace= on the
                                         semihosting command line (default goro.trace), else console frames */
void goro_trace_stop(void);           /* stop and write everything out; main returning does this too */
bool goro_tracing(void);              /* recording now? */
void goro_trace_region_begin(const char *name);   /* a named span of the calling goroutine (nestable) */
void goro_trace_region_end(const char *name);     /* ends the innermost region of that name */
void goro_trace_log(const char *category, const char *message);  /* an instant with text (200 bytes) */
/* When not tracing each costs one branch; strings are copied, so they may be temporary. */

/* ---- Extensions (goro's own: docs/api/extensions.md) ---- */
uint64_t goro_seed(void);             /* the seed the runner passed (seed=N), 1 by default */
uint64_t goro_rand(void);             /* per-core fast pseudo-random numbers */

/* Pinning (runtime/pin.c), as Go's runtime.LockOSThread but to a P, and so to a core.
 * goro_pin(p) moves the calling goroutine to P p (0 <= p < goro_gomaxprocs(0)) and from
 * then on it runs only there, until goro_unpin; goro_pin(-1) pins it to the P it is on.
 * It takes a P number rather than meaning "here" so that a program can put two
 * goroutines on two chosen cores. Returns the P it is pinned to, or -1 (p out of range,
 * or P p removed by goro_gomaxprocs meanwhile). P i runs on core i for the whole run,
 * except that goro_gomaxprocs called from a goroutine on a P it removes moves P 0 to
 * the caller's core. goro_gomaxprocs shrinking below a P unpins the goroutines pinned to
 * it (goro_pinned() then says -1). A pinned goroutine readied from another core waits on
 * its own P (waking that core if it sleeps), never runs elsewhere: not by stealing, not
 * from the global queue, not after preemption. Not between goro_stop_the_world and
 * goro_start_the_world. */
int  goro_pin(int p);
void goro_unpin(void);
int  goro_pinned(void);               /* the P the caller is pinned to, or -1 */

/* ---- More synchronisation (zero value = ready to use; runtime/once.c, rwmutex.c,
 * cond.c). The fields are the implementation's: programs use only the functions. ---- */
typedef struct goro_once {            /* sync.Once */
    uint32_t done;                    /* atomic: fn has returned */
    uint32_t lock;                    /* rawlock: guards the fields below (interrupts off) */
    int64_t doer;                     /* id of the goroutine running fn, 0 if none */
    void *waiters;                    /* goroutines parked until fn returns */
} goro_once;
void goro_once_do(goro_once *o, void (*fn)(void *), void *arg);

typedef struct goro_rwmutex {         /* sync.RWMutex: a waiting writer blocks new readers */
    uint32_t state;                   /* atomic: read locks held, and the writer / writers
                                         waiting / readers waiting bits */
    uint32_t lock;                    /* rawlock: guards the queues below (interrupts off) */
    void *rwaiters;                   /* readers parked (woken all at once) */
    void *whead, *wtail;              /* writers parked, FIFO */
} goro_rwmutex;
void goro_rw_rlock(goro_rwmutex *rw);
void goro_rw_runlock(goro_rwmutex *rw);    /* unlocking an unlocked lock panics */
void goro_rw_lock(goro_rwmutex *rw);
void goro_rw_unlock(goro_rwmutex *rw);     /* unlocking a lock not write-locked panics */

typedef struct goro_cond {            /* sync.Cond, used with a goro_mutex */
    uint32_t ticket;                  /* atomic: next ticket a waiter takes */
    uint32_t notify;                  /* next ticket to wake (guarded by lock) */
    uint32_t lock;                    /* rawlock: guards notify and the list (interrupts off) */
    void *head, *tail;                /* parked waiters with their tickets, FIFO */
} goro_cond;
void goro_cond_wait(goro_cond *c, goro_mutex *m);   /* m must be locked by the caller */
void goro_cond_signal(goro_cond *c);
void goro_cond_broadcast(goro_cond *c);

/* ---- Introspection (goro's own, runtime/ps.c): a snapshot of the goroutines ---- */
#ifndef GORO_EINVAL
#define GORO_EINVAL (-22)
#endif
typedef struct {
    int64_t id;
    const char *state;                /* "runnable", "running", "waiting", "preempted" */
    const char *waitreason;           /* what it waits on ("chan receive", "sleep", ...); "" if not waiting */
    int core;                         /* the core running it, -1 if not running */
    void *fn;                         /* its entry function */
    const char *fn_name;              /* that function's name, NULL if the image has no symbols */
    bool system;                      /* a runtime goroutine (the collector's), not counted by
                                         goro_numgoroutine */
} goro_ginfo;
int goro_goroutines(goro_ginfo *out, int max);   /* fills up to max, by id; returns how many
                                                    exist (may exceed max); GORO_EINVAL on bad
                                                    arguments */

/* ---- Device interrupts (runtime/irq.c; docs/api/interrupts.md) ---- */
#ifndef GORO_EINVAL
#define GORO_EINVAL    (-22)
#endif
#define GORO_EBUSY     (-16)
#ifndef GORO_ETIMEDOUT
#define GORO_ETIMEDOUT (-110)
#endif
int  goro_irq_attach(int irq);                  /* claim the board's interrupt line irq: 0, GORO_EINVAL (no such
                                                   line), GORO_EBUSY (claimed already, or the runtime's own) */
int  goro_irq_wait(int irq, int64_t timeout_ns);/* park until the line fires: 0, GORO_ETIMEDOUT (timeout_ns > 0
                                                   and it did not fire), GORO_EINVAL (not attached, or detached
                                                   meanwhile), GORO_EBUSY (another goroutine waits on it) */
void goro_irq_detach(int irq);                  /* mask and release it; not attached: nothing */
/* Console input (runtime/console.c; docs/api/console.md): read(0, ...), getchar, fgets
 * and scanf park the caller until bytes arrive; Ctrl-D (0x04) reads as end of file. */

#ifdef __cplusplus
}
#endif
