/* Misuse of the sync primitives panics with a clear message (expected failures). This
 * image unlocks a goro_rwmutex that is not locked; with misuse=NAME on the command line
 * it does another misuse instead, for the images that include it:
 * sync_misuse_rw_runlock.c, sync_misuse_once_recursive.c, sync_misuse_cond_unlocked.c. */
//! smp: 1
//! expect: exit 2
//! output: ^panic: sync: unlock of unlocked rwmutex 0x[0-9a-f]+$
#include "check.h"

static goro_rwmutex rw;
static goro_once once;
static goro_mutex mu;
static goro_cond cond;

static void recurse(void *arg)
{
    (void)arg;
    goro_once_do(&once, recurse, NULL);      /* Go would deadlock here */
}

int main(void)
{
    const char *m = strstr(boot_cmdline(), "misuse=");
    m = m ? m + 7 : "rw_unlock";
    if (!strncmp(m, "rw_runlock", 10)) {
        goro_rw_lock(&rw);
        goro_rw_runlock(&rw);                /* write-locked, not read-locked */
    } else if (!strncmp(m, "once_recursive", 14)) {
        goro_once_do(&once, recurse, NULL);
    } else if (!strncmp(m, "cond_unlocked", 13)) {
        goro_cond_wait(&cond, &mu);          /* mu not locked */
    } else {
        goro_rw_unlock(&rw);
    }
    printf("not ok - misuse %s returned\n", m);
    return 1;
}
