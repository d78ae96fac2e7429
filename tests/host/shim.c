/* shim.c: the few kernel and runtime symbols the files under test call, done for a host
 * process, plus the case bookkeeping of host.h. Spinlocks and intr_push/pop are the
 * real kernel/spinlock.c, linked beside this; everything a unit test must not reach
 * (parking, the clock) panics. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

__thread void *host_thread;
__thread bool host_intr_enabled;
struct cpu cpus[GORO_SMP_MAX];
int ncpu;
struct sched sched;
struct p ps[GORO_SMP_MAX];           /* timer_start's P 0 when the core has no M */
volatile int panicking;

void host_thread_init(int id)
{
    if (id < 0 || id >= GORO_SMP_MAX) {
        fprintf(stderr, "host_thread_init: core %d out of range\n", id);
        abort();
    }
    cpu_set_id(&cpus[id], id);
    arch_set_thread(&cpus[id]);
    arch_intr_on();
    if (ncpu <= id)
        ncpu = id + 1;
}

/* ---- cases ---- */
static char case_name[160], case_why[768];
static bool case_failed;
static int nfailed;

void case_begin(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(case_name, sizeof case_name, fmt, ap);
    va_end(ap);
    case_failed = false;
    case_why[0] = 0;
}

bool expect_at(bool cond, const char *file, int line, const char *fmt, ...)
{
    if (cond || case_failed)
        return cond;
    case_failed = true;
    int n = snprintf(case_why, sizeof case_why, "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(case_why + n, sizeof case_why - n, fmt, ap);
    va_end(ap);
    return false;
}

bool case_end(void)
{
    if (case_failed) {
        printf("not ok - host %s: %s\n", case_name, case_why);
        nfailed++;
    } else {
        printf("ok - host %s\n", case_name);
    }
    fflush(stdout);
    return !case_failed;
}

int host_failures(void) { return nfailed; }

/* ---- symbols: a table of two functions, alpha [0x1000, 0x1040) and beta
 * [0x1040, 0x1060), for kprintf's %pS, %pN and %pB ---- */
const char *symbolize(uintptr_t pc, uintptr_t *off)
{
    static const struct { uintptr_t addr, size; const char *name; } tab[] = {
        { 0x1000, 0x40, "alpha" }, { 0x1040, 0x20, "beta" },
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (pc - tab[i].addr < tab[i].size) {
            if (off)
                *off = pc - tab[i].addr;
            return tab[i].name;
        }
    return NULL;
}

/* ---- panic ---- */
jmp_buf *host_panic_catch;
char host_panic_msg[256];

_Noreturn void vpanic(const char *fmt, va_list ap, uintptr_t fp)
{
    (void)fp;
    vsnprintf(host_panic_msg, sizeof host_panic_msg, fmt, ap);
    if (host_panic_catch)
        longjmp(*host_panic_catch, 1);
    printf("not ok - host %s: panic: %s\n", case_name, host_panic_msg);
    fflush(stdout);
    abort();
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpanic(fmt, ap, 0);
}

/* ---- memory ---- */
int host_page_alloc_fail;
long host_page_bytes;

void *page_alloc(size_t size)
{
    if (size == 0 || size % 4096)
        panic("page_alloc: size %zu is not a multiple of 4 KiB", size);
    if (host_page_alloc_fail && --host_page_alloc_fail == 0)
        return NULL;
    void *p = malloc(size);
    if (p)
        __atomic_add_fetch(&host_page_bytes, (long)size, __ATOMIC_RELAXED);
    return p;
}

void page_free(void *p, size_t size)
{
    __atomic_sub_fetch(&host_page_bytes, (long)size, __ATOMIC_RELAXED);
    free(p);
}

/* ---- the scheduler, as far as the tested files reach it ---- */
struct g *host_readied[HOST_READIED_MAX];
int host_nreadied;

void goready(struct g *gp)
{
    if (host_nreadied == HOST_READIED_MAX)
        panic("goready: more than %d readied", HOST_READIED_MAX);
    host_readied[host_nreadied++] = gp;
}

#define UNAVAILABLE(what) panic("host shim: %s is not available in a host test", what)
void gopark(bool (*unlockf)(struct g *, void *), void *lock, const char *reason)
{
    (void)unlockf, (void)lock, (void)reason;
    UNAVAILABLE("gopark");
}
void gopark_commit(bool (*unlockf)(struct g *, void *), void *lock, const char *reason)
{
    (void)unlockf, (void)lock, (void)reason;
    UNAVAILABLE("gopark_commit");
}
void goro_gosched(void) { UNAVAILABLE("goro_gosched"); }
/* runq.c's thieves and global-queue takers forward pinned goroutines (pin.c); the host
 * tests use none, so nothing is ever forwarded. */
bool pin_forward(struct p *pp, struct g *gp, bool locked)
{
    (void)pp, (void)locked;
    if (gp->pin)
        UNAVAILABLE("pin_forward of a pinned goroutine");
    return false;
}
/* timer.c rings or re-arms a core's timer only for a P with an M; the host's have none. */
void ipi_send(int cpu, uint32_t bits)
{
    (void)cpu, (void)bits;
    UNAVAILABLE("ipi_send");
}
void slice_timer_arm(struct m *m, uint64_t deadline)
{
    (void)m, (void)deadline;
    UNAVAILABLE("slice_timer_arm");
}
/* arch_time_now (arch/arch_impl.h) counts host nanoseconds. */
uint64_t arch_time_hz(void) { return 1000000000ULL; }
int64_t nanotime(void) { UNAVAILABLE("nanotime"); }
/* The spinlock's watchdog (kernel/spinlock.c) reads it when a waiter spins long: under
 * host load a thief spins while the lock's holder is descheduled (runq's concurrent
 * case, at load 12). Host ticks are nanoseconds. */
uint64_t ns_to_ticks(int64_t ns) { return ns > 0 ? (uint64_t)ns : 0; }
