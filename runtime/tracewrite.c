/* The trace's output: records to a host file through semihosting (SYS_OPEN/SYS_WRITE),
 * or, where nothing answers semihosting (a real board), framed console lines.
 *
 * Why semihosting under QEMU: every board here already runs QEMU with semihosting
 * (exit, command line), it needs no second UART model or driver per board (virt-arm,
 * raspi2b and virt-riscv64 differ there), one call writes a whole 32 KiB buffer
 * (a UART moves a byte per MMIO store), and the bytes land in a file the host tool
 * reads directly. Console frames are the fallback: `@GT <seq> <base64 of up to 48
 * bytes> <crc32 hex>` per line; the host tool picks them out of the console log (they
 * may follow a partial line of the program's), checks each CRC and that the sequence
 * has no gap, and concatenates the payloads into the same stream.
 *
 * trace_wlock (spinlock, interrupts off) guards the file descriptor, the frame
 * sequence, and the order of records in the stream; it is taken inside any runtime
 * lock (event sites hold them) and before console_lock. A record's console frames are
 * written outside it: under it a record takes only its frame numbers (frame_seq), a
 * range in stream order, and the host tool puts the frames in number order. Held
 * across the writing, a 32 KiB record (683 lines, 55 KB: nearly 5 s on a 115200-baud
 * UART) kept the other cores' handoffs waiting on the lock past the spinlock
 * watchdog's 1 s; under QEMU that took only host load ("spinlock trace write held by
 * core 0 for more than 1000 ms", trace_console on sifive-u SMP 2, 3 runs in 40 with a
 * second suite running, on this commit's parent and before it alike). frames_out
 * counts the frames written, so that the end record's writer can wait for them all. */
#include <string.h>
#include "runtime.h"
#include "tracewrite.h"

#define SYS_OPEN 0x01
#define SYS_WRITE 0x05
#define MODE_WB 5

static struct spinlock trace_wlock = SPINLOCK_INIT("trace write");
static char path[128] = "goro.trace";
static long fd = -1;                 /* trace_wlock; -1: not open */
static bool console;                 /* frames on the console */
static uint32_t frame_seq, section;
static uint32_t frames_out;          /* atomic: console frames written, of frame_seq's */

void tracewrite_path(const char *p)
{
    strncpy(path, p, sizeof path - 1);
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c >> 1 ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static void b64(char *out, const uint8_t *in, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        *out++ = t[v >> 18 & 63];
        *out++ = t[v >> 12 & 63];
        *out++ = i + 1 < n ? t[v >> 6 & 63] : '=';
        *out++ = i + 2 < n ? t[v & 63] : '=';
    }
    *out = 0;
}

#define FRAME_BYTES 48

/* trace_wlock held: the numbers of n bytes' frames, from the returned one on. */
static uint32_t frames_take(size_t n)
{
    uint32_t seq = frame_seq;
    frame_seq += (uint32_t)((n + FRAME_BYTES - 1) / FRAME_BYTES);
    return seq;
}

/* No lock: n bytes as console frames numbered from seq (frames_take's). */
static void frames(const uint8_t *p, size_t n, uint32_t seq)
{
    char line[128], enc[72];
    uint32_t count = 0;
    for (size_t off = 0; off < n; off += FRAME_BYTES, count++) {
        size_t k = n - off < FRAME_BYTES ? n - off : FRAME_BYTES;
        b64(enc, p + off, k);
        int len = ksnprintf(line, sizeof line, "@GT %u %s %08x\n", (unsigned)(seq + count), enc,
                            (unsigned)crc32(p + off, k));
        console_write(line, (size_t)len);
    }
    __atomic_fetch_add(&frames_out, count, __ATOMIC_RELEASE);
}

void tracewrite(const void *rec, size_t n)
{
    spin_lock(&trace_wlock);
    if (!console) {
        long a[3] = { fd, (long)(uintptr_t)rec, (long)n };
        if (arch_semihost(SYS_WRITE, a) == 0) {
            spin_unlock(&trace_wlock);
            return;
        }
        console = true;                          /* the host refused: frames from now on */
    }
    uint32_t seq = frames_take(n);
    spin_unlock(&trace_wlock);
    frames(rec, n, seq);
}

/* A goroutine: open the output (once) and write a section header. */
int tracewrite_open(int ncpu, uint64_t hz, int gomaxprocs)
{
    if (fd < 0 && !console) {
        if (!strcmp(path, "console")) {
            console = true;
        } else {
            long a[3] = { (long)(uintptr_t)path, MODE_WB, (long)strlen(path) };
            fd = arch_semihost(SYS_OPEN, a);
            console = fd < 0;
        }
        if (console)
            kprintf("goro: trace: console frames\n");
    }
    struct { uint32_t magic; uint16_t kind, cpu; uint32_t gen, seq, nwords, pad; uint64_t w[3]; } h = {
        TRACE_MAGIC, REC_HEADER, (uint16_t)ncpu, TRACE_VERSION, section++, 3, 0, { hz, (uint64_t)gomaxprocs, 0 } };
    tracewrite(&h, sizeof h);
    return 0;
}

/* The section's end, after every record written before it: on the console, every
 * frame taken has been written when this returns (another core may still be writing
 * the record it took frames for: the program may exit next). */
void tracewrite_end(void)
{
    struct { uint32_t magic; uint16_t kind, cpu; uint32_t gen, seq, nwords, pad; } h = { TRACE_MAGIC, REC_END, 0, 0, 0, 0, 0 };
    tracewrite(&h, sizeof h);
    spin_lock(&trace_wlock);
    uint32_t taken = frame_seq;
    spin_unlock(&trace_wlock);
    while (console && (int32_t)(__atomic_load_n(&frames_out, __ATOMIC_ACQUIRE) - taken) < 0)
        arch_relax();
}
