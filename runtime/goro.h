/* goro.h: the public interface of the goro runtime (the contract in API.md).
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

/* ---- Extensions (goro's own, beyond API.md) ---- */
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

/* ---- Device interrupts (runtime/irq.c; docs/api/interrupts.md) ---- */
#define GORO_EINVAL    (-22)
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
