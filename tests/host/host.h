/* host.h: cases and the shim for the host unit tests (tests/host/run.sh builds them with
 * the host cc and ASan/UBSan). A case is a name and expectations; case_end() prints
 * `ok - host <name>` or `not ok - host <name>: <first failed expectation>`. A test's
 * main returns host_failures(), so the binary exits non-zero on any failed case. */
#pragma once
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include "runtime.h"

/* Cases (shim.c). */
void case_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool expect_at(bool cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define expect(cond, ...) expect_at((cond), __FILE__, __LINE__, __VA_ARGS__)
bool case_end(void);
int host_failures(void);

/* Threads: each host thread that calls kernel/runtime code first becomes "core" id
 * (cpus[id], its thread register pointing at it, interrupts on). */
void host_thread_init(int id);

/* panic(): prints `not ok - host <case>: panic: ...` and aborts, unless a test has set
 * host_panic_catch, in which case the message goes to host_panic_msg and panic
 * longjmps there (with whatever locks the panicking code held still held). */
extern jmp_buf *host_panic_catch;
extern char host_panic_msg[256];

/* page_alloc(): malloc, failing once host_page_alloc_fail reaches 1 (counts down per
 * call; 0 = never fails). host_page_bytes: bytes allocated and not freed. */
extern int host_page_alloc_fail;
extern long host_page_bytes;

/* goready(): records the goroutine in host_readied[] (in call order). */
#define HOST_READIED_MAX 8192
extern struct g *host_readied[HOST_READIED_MAX];
extern int host_nreadied;
