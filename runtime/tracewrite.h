/* tracewrite.h: the trace's output stream (records, semihosting file or console frames). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define TRACE_MAGIC 0x42525447u            /* "GTRB", little-endian */
#define TRACE_VERSION 1
enum { REC_HEADER = 1, REC_BUF = 2, REC_END = 3 };
enum { TRACE_DEBUG_DROP = 1, TRACE_DEBUG_DUP, TRACE_DEBUG_NOPATCHBACK, TRACE_DEBUG_NOSYNC };
#define TRACE_BUF_WORDS (4096 - 3)         /* a record of 32 KiB exactly */

/* A record: this header, then nwords little-endian words. A REC_BUF is one core's
 * buffer of events; REC_HEADER starts a section (cpu: cores, gen: version, seq: section,
 * words: counter Hz, gomaxprocs, 0); REC_END ends one. */
struct tracebuf {
    uint32_t magic;
    uint16_t kind;
    uint16_t cpu;
    uint32_t gen;
    uint32_t seq;
    uint32_t nwords;
    uint32_t pad;
    uint64_t w[TRACE_BUF_WORDS];
};
_Static_assert(offsetof(struct tracebuf, w) == 24, "trace record header is 24 bytes");
_Static_assert(sizeof(struct tracebuf) == 32768, "a trace buffer is 8 pages");

void tracewrite_path(const char *path);    /* before the first open: a file, or "console" */
int  tracewrite_open(int ncpu, uint64_t hz, int gomaxprocs);  /* a section; 0 or -1 */
void tracewrite(const void *rec, size_t n);                  /* any context */
void tracewrite_end(void);
