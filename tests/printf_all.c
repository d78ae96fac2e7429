/* printf from all cores at once: every line arrives intact (the runner verifies each
 * `L` line's checksum and their count, `//! verify: lines`). */
//! smp: 1 2 4
//! verify: lines
#include "check.h"

#define LINES 200
static goro_waitgroup wg;

static void writer(void *arg)
{
    long id = (long)arg;
    char payload[80];
    for (int i = 0; i < LINES; i++) {
        int len = 20 + (int)((id * 7 + i * 13) % 50);
        for (int k = 0; k < len; k++)
            payload[k] = (char)('a' + (id + i + k) % 26);
        payload[len] = 0;
        unsigned sum = 0;
        for (int k = 0; k < len; k++)
            sum += (unsigned char)payload[k];
        printf("L %ld %d %s %u\n", id, i, payload, sum);
        if (i % 16 == 0)
            goro_gosched();
    }
    goro_wg_done(&wg);
}

int main(void)
{
    int n = 2 * goro_ncpu();
    goro_wg_add(&wg, n);
    for (long i = 0; i < n; i++)
        goro_go(writer, (void *)i);
    goro_wg_wait(&wg);
    printf("L-count %d\n", n * LINES);
    check(true, "printf from every core finished", "");
    return check_failures;
}
