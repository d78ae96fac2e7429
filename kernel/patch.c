/* Static branches: code that patches itself, so that a condition that is almost always
 * false costs one nop (Linux's static keys / jump labels).
 *
 * A site is arch_static_branch(key) (arch.h): an asm goto whose fall-through is the
 * false path, at the price of one nop, and whose true path is out of line at a label.
 * The assembler adds {site, target, key} to .static_branches (linker.ld gathers it;
 * an entry lives as long as its function does). static_branch_switch(key, on) walks
 * the table and rewrites each of key's sites, a jump to its target (on) or the nop
 * again (off). The code starts with every site a nop: a key's variable must be false
 * (zero) until its first static_branch_switch(key, true).
 *
 * Other cores. A core that runs a site while it is rewritten fetches the old
 * instruction or the new one (one aligned word or halfword, of a pair the arch allows
 * to change under a running core), so each site is at every moment in one of its two
 * states; the code behind a site must therefore be right when it runs in either state,
 * and the caller orders its own data around the switch (the tracer: the buffers are
 * ready before the first jump, and the slow path finds trace_on false after the last).
 * When the others see the new instructions is up to them: sync_other_cores makes each
 * run arch_icache_sync in an interrupt (cpu_call) and waits for them all, after which
 * no core can take an old branch again. The patch stores are ordered before the IPIs
 * (cpu_call's lock and release), which are ordered before each core's sync.
 *
 * static_branch_switch does it all: (1) write every site of the key, (2) sync every
 * core, (3) write every site again, the same instruction, (4) sync every core again.
 * Steps 3 and 4 are for QEMU, where they were found needed (tests/trace_patch.c, 1 run
 * in 3 on ARM under MTTCG: sites still jumping on every core long after a stop, with
 * the nops in memory). QEMU keeps translated code coherent with stores, not with
 * cache maintenance (a no-op there): a store into a page that translations came from
 * drops them, and a page with none takes stores on its fast path. As we read QEMU
 * 7.2 (the fix below is what the test confirms, not the story), a core translating
 * a page while another patches it can read a site before its store and register the
 * translation after it, when the store went by unnoticed (the page had just lost its
 * other translations to an earlier site's store): that translation keeps the old
 * instruction for as long as it lives. After step 2 every such translation is
 * registered (a core takes an interrupt only between translated blocks), so step 3's
 * stores, which change nothing in memory, find it and drop it, and step 4 waits out
 * any core still inside one. On hardware, steps 3 and 4 are a few stores and one
 * round of IPIs more per switch.
 *
 * Alternatives rejected. (a) A load of the key and a branch at each site (what the
 * tracer had): two or three instructions per site, and the compiler keeps the slow
 * call's arguments alive across it. (b) for_each_p to reach the cores: it reaches Ps,
 * and runs an idle P's function on the calling core, while the idle P's M (asleep, or
 * in a trap handler, which holds sites too) never syncs. (c) Stopping the world for the
 * patch: not needed, as each site is always in one state or the other; the tracer's
 * start stops it for its own reasons.
 *
 * Callers serialise static_branch_switch for one key (the tracer: trace_ctl). */
#include "kernel.h"

struct static_branch {
    uintptr_t site;              /* the nop / jump */
    uintptr_t target;            /* the true path */
    const void *key;
};
extern const struct static_branch __static_branches_start[], __static_branches_end[];

static void patch(const struct static_branch *b, bool on)
{
    if (!arch_patch_site(b->site, b->target, on))
        panic("static branch at 0x%lx%pN: not a site, or its true path at 0x%lx%pN is out of the jump's reach",
              (unsigned long)b->site, (void *)b->site, (unsigned long)b->target, (void *)b->target);
}

/* Boot core, before the others start: every site is its nop and can reach its true
 * path (so that a bad table fails every image at boot, not the first switch). */
void static_branch_check(void)
{
    for (const struct static_branch *b = __static_branches_start; b < __static_branches_end; b++)
        patch(b, false);
    arch_icache_sync();
}

/* Steps 1 and 3: every site of key written, synced on this core. */
static int patch_key(const void *key, bool on)
{
    int n = 0;
    for (const struct static_branch *b = __static_branches_start; b < __static_branches_end; b++) {
        if (b->key == key) {
            patch(b, on);
            n++;
        }
    }
    arch_icache_sync();
    return n;
}

int static_branch_switch(const void *key, bool on, bool icache, const char *what)
{
    int n = patch_key(key, on);
    sync_other_cores(icache, what);
    patch_key(key, on);
    sync_other_cores(icache, what);
    return n;
}

struct sync_call {
    uint32_t acks;               /* atomic */
    bool icache;
};

static void sync_ack(void *arg)
{
    struct sync_call *c = arg;
    if (c->icache)
        arch_icache_sync();
    __atomic_add_fetch(&c->acks, 1, __ATOMIC_SEQ_CST);
}

void sync_other_cores(bool icache, const char *what)
{
    struct sync_call c = { 0, icache };          /* on the caller's stack until every ack is in */
    int me = arch_cpu()->id;
    for (int i = 0; i < ncpu; i++)
        while (i != me && !cpu_call(i, sync_ack, &c))
            arch_relax();
    struct watchdog w;
    watchdog_start(&w, arch_time_now(), ns_to_ticks(WATCHDOG_STALL_NS));
    while (__atomic_load_n(&c.acks, __ATOMIC_SEQ_CST) < (uint32_t)ncpu - 1) {
        if (watchdog_waited(&w, arch_time_now()) > ns_to_ticks(GORO_WATCHDOG_NS))
            panic("watchdog: %s waited %lld ms for %d of %d cores to take an interrupt", what, WATCHDOG_MS(GORO_WATCHDOG_NS),
                  ncpu - 1 - (int)__atomic_load_n(&c.acks, __ATOMIC_RELAXED), ncpu - 1);
        arch_relax();
    }
}
