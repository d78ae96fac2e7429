/* gc_mark_rate (instructions per word scanned) and gc_pause_max for heaps of 1, 4, 16
 * and 64 MiB with 1,000 goroutines, under icount (one core, so board time is the
 * collector's instructions). */
#include "bench.h"
#include "runtime.h"

extern uint64_t gc_last_mark_ns, gc_last_pause_max;
uint64_t words_scanned(void);

struct blk { struct blk *next; uint64_t pad[125]; };   /* 1 KiB */
static struct blk *heap_root;
static goro_chan *park;

static void parked(void *arg)
{
    (void)arg;
    goro_chan_recv(park, NULL);
}

int main(void)
{
    park = goro_chan_make(0, 0);
    for (int i = 0; i < 1000; i++)
        goro_go(parked, NULL);
    goro_sleep(1000000);
    size_t have = 0;
    for (int mib = 1; mib <= 64; mib *= 4) {
        for (; have < (size_t)mib << 20; have += sizeof(struct blk)) {
            struct blk *b = goro_alloc(sizeof *b);
            if (!b) {                     /* this board's heap region is smaller */
                printf("# %d MiB doesn't fit in this board's heap\n", mib);
                goro_chan_close(park);
                return 0;
            }
            goro_store(&b->next, heap_root);
            goro_store(&heap_root, b);
        }
        goro_gc();
        uint64_t w0 = words_scanned();
        goro_gc();
        uint64_t words = words_scanned() - w0;
        char name[64];
        snprintf(name, sizeof name, "gc_pause_max_%dmib", mib);
        report(name, (double)gc_last_pause_max, "instructions");
        if (mib == 16)
            report("gc_mark_rate", (double)gc_last_mark_ns / (double)words, "instructions/word");
        printf("# %d MiB: %llu words scanned, mark %llu instructions\n", mib, (unsigned long long)words,
               (unsigned long long)gc_last_mark_ns);
    }
    goro_chan_close(park);
    return 0;
}
