/* ARM: a goroutine's VFP/NEON registers survive preemption when another goroutine on
 * the same core uses them too: two float computations, interleaved by preemption on one
 * P, give exactly the results they give alone. */
//! boards: qemu-virt-arm raspi2b
//! smp: 1 2 4
//! icount: yes
#include "check.h"

#define N 24
static double result[2];
static goro_chan *done;

static __attribute__((noinline)) double work(double seed, long iters)
{
    double v[N];
    for (int i = 0; i < N; i++)
        v[i] = seed + i;
    for (long k = 0; k < iters; k++)
        for (int i = 0; i < N; i++)
            v[i] = v[i] * 0.999999 + 0.5 * (i + 1) / (seed + 1.0);
    double s = 0;
    for (int i = 0; i < N; i++)
        s += v[i];
    return s;
}

static void compute(void *arg)
{
    long i = (long)arg;
    result[i] = work(1.0 + (double)i * 3.25, 150000);
    goro_chan_send(done, NULL);
}

int main(void)
{
    double want[2];
    for (int i = 0; i < 2; i++)
        want[i] = work(1.0 + i * 3.25, 150000);
    int old = goro_gomaxprocs(1);             /* both on one core: they preempt each other */
    done = goro_chan_make(0, 0);
    for (long i = 0; i < 2; i++)
        goro_go(compute, (void *)i);
    goro_chan_recv(done, NULL);
    goro_chan_recv(done, NULL);
    goro_gomaxprocs(old);
    check(result[0] == want[0] && result[1] == want[1], "VFP state survives preemption",
          "%.17g / %.17g, want %.17g / %.17g", result[0], result[1], want[0], want[1]);
    return check_failures;
}
