/* The demo: every core says it is up (once: a goroutine pinned to each core's P, which
 * runs there only), then goroutines on all cores compute a little in parallel and
 * report through a channel. */
#include <stdio.h>
#include "goro.h"

static goro_chan *results;

static void worker(void *arg)
{
    long n = (long)arg, primes = 0;
    for (long x = 2; x < 20000 + n * 1000; x++) {
        bool prime = true;
        for (long d = 2; d * d <= x && prime; d++)
            prime = x % d != 0;
        primes += prime;
    }
    printf("goroutine %lld on core %d: %ld primes below %ld\n", (long long)goro_id(), goro_cpu(), primes,
           20000 + n * 1000);
    goro_chan_send(results, &primes);
}

static goro_waitgroup up;

static void hello(void *arg)
{
    int p = (int)(long)arg;
    if (goro_pin(p) == p)           /* P p runs on core p */
        printf("core %d is up\n", goro_cpu());
    goro_unpin();
    goro_wg_done(&up);
}

int main(void)
{
    printf("goro demo: %d cores, gomaxprocs %d\n", goro_ncpu(), goro_gomaxprocs(0));
    goro_wg_add(&up, goro_ncpu());
    for (long i = 0; i < goro_ncpu(); i++)
        goro_go(hello, (void *)i);
    goro_wg_wait(&up);
    int n = 2 * goro_ncpu();
    results = goro_chan_make(sizeof(long), 0);
    for (long i = 0; i < n; i++)
        goro_go(worker, (void *)i);
    long total = 0, r;
    for (int i = 0; i < n; i++) {
        goro_chan_recv(results, &r);
        total += r;
    }
    printf("%d goroutines found %ld primes in all\n", n, total);
    return 0;
}
