/* Exhausting newlib's arena: malloc returns NULL with ENOMEM (no corruption), the
 * blocks it gave out are intact, and after freeing them malloc works again. */
//! smp: 1 4
#include <errno.h>
#include "check.h"

#define CHUNK (256 * 1024)
static unsigned char *blocks[1024];

int main(void)
{
    int n = 0;
    errno = 0;
    while (n < 1024 && (blocks[n] = malloc(CHUNK)) != NULL) {
        memset(blocks[n], n & 0xff, CHUNK);
        n++;
    }
    check(n < 1024 && n > 8, "malloc fails when the arena is exhausted", "%d chunks of 256 KiB", n);
    check(errno == ENOMEM, "errno is ENOMEM", "errno %d", errno);
    int bad = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < CHUNK; k += 4093)
            bad += blocks[i][k] != (unsigned char)(i & 0xff);
    check(bad == 0, "blocks intact after exhaustion", "%d bytes changed", bad);
    for (int i = 0; i < n; i++)
        free(blocks[i]);
    void *p = malloc(CHUNK);
    check(p != NULL, "malloc works again after free", "NULL");
    free(p);
    return check_failures;
}
