/* Go's TestPingPongHog (gomaxprocs 1): a pair of goroutines handing a token through
 * a channel and doing much work per turn, and a pair doing little, share one P; the
 * readied goroutine runs next and inherits the time slice, so both pairs get the P
 * about equally. Under icount (1 instruction = 1 ns of board time, so work counts
 * measure CPU shares) the counts are within 2x; under MTTCG, where a channel handoff
 * costs QEMU far more host time per instruction than a counting loop, within Go's
 * own bound of 20x. */
//! smp: 1 2
//! icount: yes
#include "check.h"

static goro_chan *done, *hogc, *lightc;
static volatile long hog_count, light_count;
static goro_waitgroup exited;

/* Static, not main's locals: the goroutines read their pair until they return, and main
 * waits for that (exited) before it returns. A pair on main's stack was read after main
 * returned, when exit's own frames had overwritten it (sifive-u, about 1 run in 100). */
struct pair { long limit; volatile long *counter; goro_chan *wake; };
static struct pair hog = { 1000000, &hog_count, NULL }, light = { 1000, &light_count, NULL };

static void run(void *arg)
{
    struct pair *p = arg;
    bool t;
    for (;;) {
        goro_case k[2] = { { done, GORO_RECV, NULL, false }, { p->wake, GORO_RECV, &t, false } };
        if (goro_select(k, 2, true) == 0) {
            goro_wg_done(&exited);
            return;
        }
        for (long i = 0; i < p->limit; i++)
            *p->counter = *p->counter + 1;
        goro_chan_send(p->wake, &t);
    }
}

int main(void)
{
    int old = goro_gomaxprocs(1);
    done = goro_chan_make(0, 0);
    hogc = goro_chan_make(sizeof(bool), 0);
    lightc = goro_chan_make(sizeof(bool), 0);
    hog.wake = hogc;
    light.wake = lightc;
    goro_wg_add(&exited, 4);
    for (int i = 0; i < 2; i++) {
        goro_go(run, &hog);
        goro_go(run, &light);
    }
    bool t = true;
    goro_chan_send(hogc, &t);
    goro_chan_send(lightc, &t);
    goro_sleep(100000000);
    goro_chan_close(done);
    goro_chan_recv(hogc, &t);
    goro_chan_recv(lightc, &t);
    goro_wg_wait(&exited);
    long h = hog_count, l = light_count;
    printf("# hog pair %ld, light pair %ld\n", h, l);
    long f = strstr(boot_cmdline(), "icount=1") ? 2 : 20;
    check(l > 0 && h > 0 && h <= f * l && l <= f * h, "ping-pong pairs progress together",
          "hog %ld, light %ld: more than %ldx apart", h, l, f);
    goro_gomaxprocs(old);
    return check_failures;
}
