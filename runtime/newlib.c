/* newlib glue that needs goroutines: per-goroutine struct _reent (errno, stdio) and
 * newlib's retargetable locks.
 *
 * __getreent() returns the calling goroutine's _reent, made on first use from a pool
 * and kept with the G when it is recycled (a goroutine that never calls newlib costs
 * nothing). Boot threads and g0s use one _reent per core.
 * Locks are goro_mutexes (parking, not spinning; a holder that is preempted never
 * makes a waiter burn its core), recursive where newlib asks. Outside a goroutine
 * (boot, g0) a lock is taken by spinning on trylock, which only happens before the
 * scheduler runs. All ten __retarget_lock_* functions and the nine static locks are
 * defined here, in one object, so newlib's own no-op lock.o is never linked. */
#include <reent.h>
#include <stdio.h>
#include <sys/lock.h>
#include "runtime.h"

struct __lock {
    goro_mutex mu;
    struct g *owner;           /* recursive locks: the holder (only it writes) */
    int depth;
};

struct __lock __lock___sinit_recursive_mutex, __lock___sfp_recursive_mutex,
    __lock___atexit_recursive_mutex, __lock___at_quick_exit_mutex, __lock___malloc_recursive_mutex,
    __lock___env_recursive_mutex, __lock___tz_mutex, __lock___dd_hash_mutex, __lock___arc4random_mutex;

static struct _reent core_reent[GORO_SMP_MAX];
static bool core_reent_init[GORO_SMP_MAX];
static struct spinlock pool_lock = SPINLOCK_INIT("newlib pool");
static struct _reent *reent_free;
static struct __lock *lock_free;

static bool on_goroutine(void)
{
    struct g *gp = getg();
    return !is_boot_thread(gp) && !gp->is_g0;
}

struct _reent *__getreent(void)
{
    if (!on_goroutine()) {
        intr_push();
        int id = arch_cpu()->id;
        intr_pop();
        if (!core_reent_init[id]) {
            _REENT_INIT_PTR(&core_reent[id]);
            core_reent_init[id] = true;
        }
        return &core_reent[id];
    }
    struct g *gp = getg();
    if (gp->reent)
        return gp->reent;
    spin_lock(&pool_lock);
    struct _reent *r = reent_free;
    if (r)
        reent_free = *(struct _reent **)r;
    spin_unlock(&pool_lock);
    if (!r && !(r = persistent_alloc(sizeof *r, 16)))
        throw("newlib: out of memory for goroutine %lld's struct _reent", (long long)gp->id);
    _REENT_INIT_PTR(r);
    gp->reent = r;
    return r;
}

/* At goroutine exit, on the goroutine: flush its stdio and keep its _reent for the
 * next goroutine on this G, with errno cleared. */
void rt_reent_exit(struct g *gp)
{
    if (!gp->reent)
        return;
    fflush(stdout);
    fflush(stderr);
    gp->reent->_errno = 0;
}

static void lock_acquire(struct __lock *l)
{
    if (on_goroutine()) {
        goro_mutex_lock(&l->mu);
        return;
    }
    while (!goro_mutex_trylock(&l->mu))
        arch_relax();
}

void __retarget_lock_init(_LOCK_T *lock)
{
    spin_lock(&pool_lock);
    struct __lock *l = lock_free;
    if (l)
        lock_free = *(struct __lock **)l;
    spin_unlock(&pool_lock);
    if (!l && !(l = persistent_alloc(sizeof *l, 16)))
        throw("newlib: out of memory for a lock");
    *l = (struct __lock){ 0 };
    *lock = l;
}
void __retarget_lock_init_recursive(_LOCK_T *lock) { __retarget_lock_init(lock); }

void __retarget_lock_close(_LOCK_T lock)
{
    spin_lock(&pool_lock);
    *(struct __lock **)lock = lock_free;
    lock_free = lock;
    spin_unlock(&pool_lock);
}
void __retarget_lock_close_recursive(_LOCK_T lock) { __retarget_lock_close(lock); }

void __retarget_lock_acquire(_LOCK_T lock) { lock_acquire(lock); }
int __retarget_lock_try_acquire(_LOCK_T lock) { return goro_mutex_trylock(&lock->mu); }
void __retarget_lock_release(_LOCK_T lock) { goro_mutex_unlock(&lock->mu); }

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
    struct g *me = getg();
    if (lock->owner == me) {
        lock->depth++;
        return;
    }
    lock_acquire(lock);
    lock->owner = me;
    lock->depth = 1;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
    struct g *me = getg();
    if (lock->owner == me) {
        lock->depth++;
        return 1;
    }
    if (!goro_mutex_trylock(&lock->mu))
        return 0;
    lock->owner = me;
    lock->depth = 1;
    return 1;
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
    if (lock->owner != getg())
        throw("newlib: release of a recursive lock %p not held by this goroutine", (void *)lock);
    if (--lock->depth == 0) {
        lock->owner = NULL;
        goro_mutex_unlock(&lock->mu);
    }
}
