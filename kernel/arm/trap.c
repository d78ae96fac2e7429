/* ARM trap decoding: arm_trap (called by trapvec.S with the saved frame) completes the
 * frame per exception and hands it to trap_dispatch; arm_irq does the same for an IRQ
 * that trapvec.S's vec_irq acknowledged at the board's controller and that is not the
 * tick's fast path's (tick.S); tf_kind, tf_cause_name and tf_print read frames for the portable
 * kernel and for panics. */
#include <string.h>
#include "kernel.h"
#include "upcall.h"
#include "arm.h"


#define SVC_SEMIHOST 0xef123456u   /* `svc 0x123456` in ARM state, condition AL */
#define FS(fsr) ((((fsr) >> 6) & 0x10) | ((fsr) & 0xf))   /* short-descriptor fault status */
#define FS_TRANSLATION_PAGE 0x07   /* only guard pages are invalid small pages (mmu.c) */

/* Each core's abort stack: entry.S points sp_abt at the top of its own, trapvec.S runs
 * every data abort on it. Kept out of .bss (the collector scans .bss). */
char arm_abort_stacks[GORO_SMP_MAX][ABORT_STACK_SIZE]
    __attribute__((aligned(8), section(".noscan.abort_stacks")));

/* An IRQ, acknowledged (trapvec.S's vec_irq called intc_ack), that is not the tick's
 * fast path's (tick.S). Interrupts off, on the interrupted SVC stack. */
void arm_irq(struct trapframe *tf)
{
    if (tf->info == IRQ_SPURIOUS)
        return;                   /* gone before it was acknowledged: nothing to do */
    trap_dispatch(tf);
}

/* Every exception but IRQs (arm_irq). Interrupts off, in SVC mode, on the interrupted
 * SVC stack (a data abort: on this core's abort stack). A data abort in the running
 * goroutine's guard page is its stack overflow, reported as such by the runtime
 * (rt_stack_fault). */
void arm_trap(struct trapframe *tf)
{
    switch (tf->vector) {
    case VEC_UNDEF:
        if (tf->cpsr & PSR_T)
            tf->pc += 2;          /* entry subtracted an ARM instruction's 4 bytes */
        break;
    case VEC_DABT:
        tf->far = CP15_READ(0, c6, c0, 0);     /* DFAR */
        tf->fsr = CP15_READ(0, c5, c0, 0);     /* DFSR */
        if (FS(tf->fsr) == FS_TRANSLATION_PAGE)
            rt_stack_fault(tf, tf->far);       /* returns unless it was a stack overflow */
        break;
    case VEC_PABT:
        tf->far = CP15_READ(0, c6, c0, 2);     /* IFAR */
        tf->fsr = CP15_READ(0, c5, c0, 1);     /* IFSR */
        break;
    case VEC_SVC:
        /* A semihosting call that no debugger or emulator answered (a real board):
         * arch_semihost returns -1, as the contract says for boards without it. */
        if (!(tf->cpsr & PSR_T) && *(const uint32_t *)tf->pc == SVC_SEMIHOST) {
            tf->r[0] = (uint32_t)-1;
            tf->pc += 4;
            return;
        }
        break;
    }
    trap_dispatch(tf);
}

const char *tf_cause_name(const struct trapframe *tf)
{
    switch (tf->vector) {
    case VEC_RESET: return "reset vector";
    case VEC_UNDEF: return "illegal instruction (undefined instruction exception)";
    case VEC_SVC: return "supervisor call";
    case VEC_PABT: return "prefetch abort";
    case VEC_DABT: return "data abort";
    case VEC_HYP: return "hyp trap vector";
    case VEC_FIQ: return "FIQ";
    case VEC_IRQ:
        switch (tf->info) {
        case TRAP_TIMER: return "generic timer interrupt";
        case TRAP_IPI: return "inter-processor interrupt";
        default: return "unknown interrupt";
        }
    default: return "unknown exception";
    }
}

uintptr_t tf_sp(const struct trapframe *tf) { return tf->sp; }
uintptr_t tf_fp(const struct trapframe *tf) { return tf->r[11]; }

/* The fault status of a short-descriptor abort (DFSR/IFSR FS[4:0]). */
static const char *fault_name(uint32_t fsr)
{
    switch (FS(fsr)) {
    case 0x01: return "alignment fault";
    case 0x02: return "debug event";
    case 0x03: return "access flag fault (section)";
    case 0x04: return "cache maintenance fault";
    case 0x05: return "translation fault (section)";
    case 0x06: return "access flag fault (page)";
    case 0x07: return "translation fault (page: a stack guard page)";
    case 0x08: return "synchronous external abort";
    case 0x09: return "domain fault (section)";
    case 0x0b: return "domain fault (page)";
    case 0x0c: case 0x0e: return "external abort on a table walk";
    case 0x0d: return "permission fault (section)";
    case 0x0f: return "permission fault (page)";
    case 0x16: return "asynchronous external abort";
    default: return "unknown fault";
    }
}

void tf_print(const struct trapframe *tf)
{
    static const char *const names[16] = {
        "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "fp", "ip", "sp", "lr", "pc",
    };
    kprintf("vector %lu cpsr 0x%08lx (%s state, mode 0x%02lx, irqs %s) fpscr 0x%08lx\n",
            (unsigned long)tf->vector, (unsigned long)tf->cpsr, tf->cpsr & PSR_T ? "thumb" : "arm",
            (unsigned long)(tf->cpsr & PSR_MODE_MASK), tf->cpsr & PSR_I ? "off" : "on",
            (unsigned long)tf->fpscr);
    if (tf->vector == VEC_DABT || tf->vector == VEC_PABT)
        kprintf("fault: %s on %s of 0x%08lx (fsr 0x%lx)\n", fault_name(tf->fsr),
                tf->vector == VEC_PABT ? "fetch" : (tf->fsr & (1u << 11)) ? "write" : "read",
                (unsigned long)tf->far, (unsigned long)tf->fsr);
    uint32_t r[16];                 /* r0-r12, sp, lr, pc are consecutive in the frame */
    memcpy(r, tf, sizeof r);
    for (int i = 0; i < 16; i += 4)
        kprintf("%4s %08lx %4s %08lx %4s %08lx %4s %08lx\n", names[i], (unsigned long)r[i],
                names[i + 1], (unsigned long)r[i + 1], names[i + 2], (unsigned long)r[i + 2],
                names[i + 3], (unsigned long)r[i + 3]);
}
