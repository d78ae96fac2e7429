/* goro_goroutines: a snapshot of every live goroutine (id, state, wait reason, core,
 * entry function), for a program's own `ps` (examples/shell.c) and for tests that must
 * see a goroutine parked before they go on.
 *
 * It walks allgs under allg_lock (a spinlock, interrupts off while held; after sched.lock
 * in the lock order, before the console), reading each goroutine's status once
 * (acquire). The snapshot is consistent per goroutine, not across goroutines: another
 * core may change one a moment after it is read. Wait reasons and names are static
 * strings (string literals, the image's symbol table), so they outlive the snapshot. */
#include "runtime.h"

/* allg_lock held: one goroutine's entry, unless it is dead. */
static bool ginfo_of(struct g *gp, goro_ginfo *gi)
{
    uint32_t s = readgstatus(gp) & ~(uint32_t)G_SCAN;
    if (s == G_DEAD || s == G_IDLE)
        return false;
    gi->id = gp->id;
    gi->state = gstatus_name(s);
    const char *why = gp->waitreason;     /* a literal; stale once it runs again */
    gi->waitreason = s == G_WAITING && why ? why : "";
    gi->core = -1;
    if (s == G_RUNNING) {
        struct cpu *c = __atomic_load_n(&gp->cpu, __ATOMIC_RELAXED);
        if (c)
            gi->core = c->id;
    }
    gi->fn = (void *)(uintptr_t)gp->fn;
    uintptr_t off;
    gi->fn_name = symbolize((uintptr_t)gp->fn, &off);
    gi->system = gp->system;
    return true;
}

/* Sort by id (insertion: a shell's list is short). */
static void sort_by_id(goro_ginfo *out, int n)
{
    for (int i = 1; i < n; i++) {
        goro_ginfo x = out[i];
        int j = i;
        for (; j > 0 && out[j - 1].id > x.id; j--)
            out[j] = out[j - 1];
        out[j] = x;
    }
}

/* Goroutines or g0, not interrupt handlers (allg_lock may be held by the interrupted
 * code). Fills out[0..max) with the live goroutines, smallest ids first when they all
 * fit; returns how many there are in all, which may exceed max (then out holds max of
 * them, which ones unspecified). max < 0, or out NULL with max > 0: GORO_EINVAL. */
int goro_goroutines(goro_ginfo *out, int max)
{
    if (max < 0 || (!out && max > 0))
        return GORO_EINVAL;
    goro_ginfo gi;
    int n = 0;
    spin_lock(&allg_lock);
    for (struct g *gp = allgs; gp; gp = gp->alllink) {
        if (!ginfo_of(gp, &gi))
            continue;
        if (n < max)
            out[n] = gi;
        n++;
    }
    spin_unlock(&allg_lock);
    sort_by_id(out, n < max ? n : max);
    return n;
}
