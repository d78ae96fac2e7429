/* newlib's system calls (it is built with --disable-newlib-supplied-syscalls): the
 * console for fds 0-2 (input: runtime/console.c), a bounded sbrk arena for malloc, exit through the board. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include "kernel.h"
#include "upcall.h"

/* What newlib's reentrant wrappers (_write_r and the others) call; newlib's headers
 * declare none of them, so their prototypes are here (-Wmissing-prototypes). */
int _write(int fd, const void *buf, size_t n);
int _read(int fd, void *buf, size_t n);
void *_sbrk(ptrdiff_t incr);
_Noreturn void _exit(int status);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
off_t _lseek(int fd, off_t off, int whence);
int _kill(int pid, int sig);
int _getpid(void);
int _open(const char *path, int flags, int mode);
int _gettimeofday(struct timeval *tv, void *tz);
clock_t _times(struct tms *t);

extern char __sbrk_start[], __sbrk_end[];   /* linker.ld */
static uintptr_t sbrk_cur;                   /* atomic; 0 until the first call */

int _write(int fd, const void *buf, size_t n)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    console_write(buf, n);
    return (int)n;
}

/* fd 0: the console (runtime/console.c): parks until at least one byte is there;
 * 0 (end of file) at a Ctrl-D. */
int _read(int fd, void *buf, size_t n)
{
    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    return rt_console_read(buf, n);
}

/* The arena is [__sbrk_start, __sbrk_end); beyond it malloc gets ENOMEM. */
void *_sbrk(ptrdiff_t incr)
{
    uintptr_t cur = __atomic_load_n(&sbrk_cur, __ATOMIC_RELAXED);
    for (;;) {
        uintptr_t base = cur ? cur : (uintptr_t)__sbrk_start;
        uintptr_t next = base + incr;
        if (next > (uintptr_t)__sbrk_end || next < (uintptr_t)__sbrk_start) {
            errno = ENOMEM;
            return (void *)-1;
        }
        if (cas_acq_rel(&sbrk_cur, &cur, next, false, __ATOMIC_RELAXED))
            return (void *)base;
    }
}

_Noreturn void _exit(int status) { kexit(status); }
int _close(int fd) { (void)fd; return -1; }
int _fstat(int fd, struct stat *st) { (void)fd; st->st_mode = S_IFCHR; return 0; }
int _isatty(int fd) { return fd >= 0 && fd <= 2; }
off_t _lseek(int fd, off_t off, int whence) { (void)fd, (void)off, (void)whence; return 0; }
int _kill(int pid, int sig) { (void)pid, (void)sig; errno = EINVAL; return -1; }
int _getpid(void) { return 1; }
int _open(const char *path, int flags, int mode) { (void)path, (void)flags, (void)mode; errno = ENOENT; return -1; }
int _gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    int64_t ns = nanotime();
    tv->tv_sec = ns / 1000000000;
    tv->tv_usec = (ns % 1000000000) / 1000;
    return 0;
}
clock_t _times(struct tms *t) { (void)t; return (clock_t)(nanotime() / 1000); }
