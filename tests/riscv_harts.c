/* RISC-V cores are the board's application harts: core i runs on hart i + BOARD_FIRST_HART
 * (sifive-u: the U54s, never the E51 monitor hart, which has no S-mode in misa), and the
 * CLINT counter runs at the rate board.h gives (checked against instructions under icount). */
//! smp: 1 2 4
//! icount: yes
//! boards: qemu-virt-riscv64 sifive-u
#include "check.h"
#include "kernel.h"
#include "board.h"

#define MISA_S (1UL << ('S' - 'A'))

static long hart_of[GORO_SMP_MAX];
static unsigned long misa_of[GORO_SMP_MAX];
static int answered[GORO_SMP_MAX];

/* Runs on each core by IPI: records the hart it is and the hart's ISA. */
static void whoami(void *arg)
{
    (void)arg;
    unsigned long h, isa;
    __asm__ volatile("csrr %0, mhartid" : "=r"(h));
    __asm__ volatile("csrr %0, misa" : "=r"(isa));
    int c = cpu_id();
    hart_of[c] = (long)h;
    misa_of[c] = isa;
    ATOMIC_STORE(&answered[c], 1);
}

static uint64_t instret(void)
{
    uint64_t n;
    __asm__ volatile("csrr %0, minstret" : "=r"(n));
    return n;
}

int main(void)
{
    int n = goro_ncpu();
    for (int i = 0; i < n; i++)
        cpu_call(i, whoami, NULL);
    for (int i = 0; i < n; i++) {
        while (!ATOMIC_LOAD(&answered[i]))
            goro_sleep(1000000);
        char name[64];
        snprintf(name, sizeof name, "core %d is hart %d", i, i + BOARD_FIRST_HART);
        check(hart_of[i] == i + BOARD_FIRST_HART, name, "it is hart %ld", hart_of[i]);
        snprintf(name, sizeof name, "core %d has S-mode (not a monitor hart)", i);
        check(misa_of[i] & MISA_S, name, "misa 0x%lx", misa_of[i]);
    }
    /* Under -icount shift=0 one instruction is one nanosecond of virtual time, so 20 ms
     * by the CLINT (read through BOARD_TIMER_HZ) is 20 million instructions of all cores. */
    if (strstr(boot_cmdline(), "icount=1")) {
        intr_push();
        uint64_t i0 = instret();
        int64_t t0 = goro_nanotime();
        while (goro_nanotime() - t0 < 20000000LL)
            ;
        uint64_t di = instret() - i0;
        intr_pop();
        check(di > 19000000 && di < 21000000, "CLINT rate matches BOARD_TIMER_HZ",
              "20 ms of board time took %llu instructions, want 20000000",
              (unsigned long long)di);
    }
    return check_failures;
}
