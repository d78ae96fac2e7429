/* malloc/free from all cores at once: each goroutine allocates blocks of varied sizes,
 * fills them with a pattern of its own, checks them later and frees them; no block may
 * overlap another (a pattern would be overwritten). */
//! smp: 1 2 4
//! seeds: 2
#include "check.h"

#define BLOCKS 64
#define ROUNDS 200
static goro_waitgroup wg;
static int bad;

static void worker(void *arg)
{
    long id = (long)arg;
    unsigned char *blk[BLOCKS] = { 0 };
    size_t len[BLOCKS] = { 0 };
    uint64_t r = goro_seed() * 7919 + (uint64_t)id;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < BLOCKS; i++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            if (blk[i]) {
                for (size_t k = 0; k < len[i]; k++)
                    if (blk[i][k] != (unsigned char)(id * 31 + i + k)) {
                        ATOMIC_ADD(&bad, 1);
                        break;
                    }
                free(blk[i]);
                blk[i] = NULL;
            }
            if ((r >> 33) % 3) {
                len[i] = 1 + (r >> 40) % 2000;
                blk[i] = malloc(len[i]);
                if (!blk[i]) {
                    ATOMIC_ADD(&bad, 1000);
                    continue;
                }
                for (size_t k = 0; k < len[i]; k++)
                    blk[i][k] = (unsigned char)(id * 31 + i + k);
            }
        }
        if (round % 8 == 0)
            goro_gosched();
    }
    for (int i = 0; i < BLOCKS; i++)
        free(blk[i]);
    goro_wg_done(&wg);
}

int main(void)
{
    int n = 2 * goro_ncpu();
    goro_wg_add(&wg, n);
    for (long i = 0; i < n; i++)
        goro_go(worker, (void *)i);
    goro_wg_wait(&wg);
    check(bad == 0, "malloc blocks intact across cores", "%d corrupted or failed blocks", bad);
    return check_failures;
}
