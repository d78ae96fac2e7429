/* check.h: the few helpers every test image uses. A test prints `ok - name` or
 * `not ok - name: why` per case and returns the number of failed cases from main. */
#pragma once
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "goro.h"

static int check_failures;

/* Record one case: ok, or not ok with the formatted reason. */
static inline bool check(bool cond, const char *name, const char *fmt, ...)
{
    if (cond) {
        printf("ok - %s\n", name);
        return true;
    }
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    printf("not ok - %s: %s (seed %llu, core %d, goroutine %lld)\n", name, why,
           (unsigned long long)goro_seed(), goro_cpu(), (long long)goro_id());
    check_failures++;
    return false;
}

/* The runner passes smp=N on the command line: the core count the image should see. */
const char *boot_cmdline(void);
static inline int expected_smp(void)
{
    const char *p = strstr(boot_cmdline(), "smp=");
    return p ? atoi(p + 4) : goro_ncpu();
}

/* Spin for ns of board time without calls the compiler can't see through. */
static inline void busy_for(int64_t ns)
{
    int64_t end = goro_nanotime() + ns;
    while (goro_nanotime() < end)
        ;
}

#define ATOMIC_LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define ATOMIC_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define ATOMIC_ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_ACQ_REL)
