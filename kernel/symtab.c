/* symtab: function names for pcs, so panics, backtraces, deadlock reports and watchdogs
 * say `pc 0x80001f70 gopark+0x24` and `function 0x80004a10 (worker)`, as Go does.
 *
 * The table is in the image. The Makefile links every image twice: the first link has
 * no table; tools/symtab.awk turns its `nm -n -S` function symbols into a sorted array
 * of { address, size, name } (section .ksyms, names in .ksymstr), and the second link
 * adds it. linker.ld places .ksyms after .data, the last section that is loaded, so
 * no code moves between the links; the build compares the two links' function symbols
 * and fails if one did. An image without a table (SYMTAB=0, or a first link) has
 * __ksyms_start == __ksyms_end: every lookup misses and reports print addresses only.
 *
 * Symbols without a size (assembly labels) were given the distance to the next symbol
 * by the generator; the last one, if unsized, matches only its own address. The lookup
 * is a binary search: no locks, no allocation, safe in a trap or a panic. */
#include "kernel.h"

struct ksym {
    uintptr_t addr;
    uintptr_t size;
    const char *name;
};

extern const struct ksym __ksyms_start[], __ksyms_end[];   /* linker.ld */

/* The name of the function holding pc and pc's offset in it, or NULL. */
const char *symbolize(uintptr_t pc, uintptr_t *off)
{
    /* Integer arithmetic: the two are distinct objects to the compiler, which may fold
     * a pointer comparison of them; they are equal in an image without a table. */
    size_t lo = 0, hi = ((uintptr_t)__ksyms_end - (uintptr_t)__ksyms_start) / sizeof(struct ksym);
    while (lo < hi) {                  /* the first entry above pc */
        size_t mid = lo + (hi - lo) / 2;
        if (__ksyms_start[mid].addr <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct ksym *s = &__ksyms_start[lo - 1];
    if (pc - s->addr >= s->size && pc != s->addr)
        return NULL;
    if (off)
        *off = pc - s->addr;
    return s->name;
}
