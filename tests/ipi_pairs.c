/* IPIs between every ordered pair of cores: core a, reached by IPI, sends an IPI to
 * core b, which records that it heard from a, on the right core. */
//! smp: 2 4 8
#include "check.h"
#include "kernel.h"

struct pair { int a, b, ran_on_a, ran_on_b, done; };
static struct pair pairs[GORO_SMP_MAX * GORO_SMP_MAX];

static void on_b(void *arg)
{
    struct pair *p = arg;
    p->ran_on_b = cpu_id();
    ATOMIC_STORE(&p->done, 1);
}

static void on_a(void *arg)
{
    struct pair *p = arg;
    p->ran_on_a = cpu_id();
    if (!cpu_call(p->b, on_b, p))
        ATOMIC_STORE(&p->done, 2);
}

int main(void)
{
    int n = goro_ncpu(), np = 0;
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++)
            if (a != b) {
                struct pair *p = &pairs[np++];
                *p = (struct pair){ a, b, -1, -1, 0 };
                while (!cpu_call(a, on_a, p))
                    goro_sleep(100000);
                int64_t until = goro_nanotime() + 500000000LL;
                while (!ATOMIC_LOAD(&p->done) && goro_nanotime() < until)
                    goro_gosched();
            }
    int good = 0;
    for (int i = 0; i < np; i++) {
        struct pair *p = &pairs[i];
        bool ok = p->done == 1 && p->ran_on_a == p->a && p->ran_on_b == p->b;
        if (!ok)
            printf("# pair %d->%d: done %d, ran on %d and %d\n", p->a, p->b, p->done, p->ran_on_a, p->ran_on_b);
        good += ok;
    }
    check(good == np, "IPI every ordered pair", "%d of %d pairs delivered", good, np);
    return check_failures;
}
