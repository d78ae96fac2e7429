/* Compare-and-swap that releases (release, acq_rel, seq_cst success orders): every
 * such CAS in kernel/ and runtime/ goes through these.
 *
 * Why: gcc 12 (Debian's riscv64-unknown-elf-gcc 12.2.0, the project's compiler) drops
 * the release half of __atomic_compare_exchange_n on RISC-V. A release CAS compiles to
 * lr.w / sc.w, with no ordering at all; an acq_rel one to lr.w / sc.w.aq; a seq_cst one
 * whose failure order is weaker to lr.w.aq / sc.w.aq (only seq_cst/seq_cst gets its
 * fence). Exchanges and fetch-ops are right (a fence, then the AMO). So a goro_mutex
 * unlock's CAS published nothing before it, and a goroutine pushed on another P's inbox
 * could be seen before its fields. QEMU's TCG on an x86 host keeps stores in order and
 * never showed it; a RISC-V board may. (GCC 13 fixed the mapping.)
 * How: the fence first, then the CAS with only the acquire it needs; on ARM that is the
 * very dmb gcc puts before a releasing CAS, so nothing changes there. arch_cas32_*
 * (kernel/arch.h) are the scheduler's hot ones, in assembly with the right mapping.
 * tests/host/atomics.sh fails the build's tests on any other releasing CAS. */
#pragma once

#define cas_release(p, expected, desired, weak)                                                         \
    (__atomic_thread_fence(__ATOMIC_RELEASE),                                                          \
     __atomic_compare_exchange_n((p), (expected), (desired), (weak), __ATOMIC_RELAXED, __ATOMIC_RELAXED))

#define cas_acq_rel(p, expected, desired, weak, failure)                                                \
    (__atomic_thread_fence(__ATOMIC_RELEASE),                                                          \
     __atomic_compare_exchange_n((p), (expected), (desired), (weak), __ATOMIC_ACQUIRE, (failure)))

#define cas_seq_cst(p, expected, desired, weak, failure)                                                \
    (__atomic_thread_fence(__ATOMIC_SEQ_CST),                                                          \
     __atomic_compare_exchange_n((p), (expected), (desired), (weak), __ATOMIC_SEQ_CST, (failure)))
