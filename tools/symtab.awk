# symtab.awk: `nm -n -S` of an image's first link -> the assembly of its function
# symbol table (kernel/symtab.c reads it; the Makefile links it in second).
# Entries are { address, size, name }, sorted by address, one per address: of the
# symbols at one address the first with a size wins (goro_store over linker.ld's
# __wb_start). An unsized symbol (an assembly label) extends to the next symbol; the
# assembler computes that, so no hex arithmetic is done here.
function flush(next_addr) {
    if (pa == "")
        return
    if (ps != "")
        size = "0x" ps
    else if (next_addr != "")
        size = "0x" next_addr " - 0x" pa
    else
        size = "0"
    printf "\t.dc.a 0x%s, %s, .Lksym%d\n", pa, size, n
    names[n++] = pn
}

BEGIN { print "\t.section .ksyms, \"a\"\n\t.balign 8" }

{
    if (NF == 4) { a = $1; s = $2; t = $3; name = $4 }
    else if (NF == 3) { a = $1; s = ""; t = $2; name = $3 }
    else next
    if (t !~ /^[TtWw]$/ || name ~ /^[$.]/)
        next
    if (s ~ /^0+$/)
        s = ""
    if (a == pa) {
        if (ps == "" && s != "") { ps = s; pn = name }
        next
    }
    flush(a)
    pa = a; ps = s; pn = name
}

END {
    flush("")
    print "\t.section .ksymstr, \"a\""
    for (i = 0; i < n; i++)
        printf ".Lksym%d:\t.asciz \"%s\"\n", i, names[i]
}
