# symtab_check.awk FIRST SECOND: `nm -n -S` of an image's two links (see
# tools/symtab.awk). Adding the symbol table must move no function and change no size:
# exits 1, printing the first difference, if the function symbols differ.
$(NF-1) !~ /^[TtWw]$/ { next }
FNR == NR { first[++n] = $0; next }
{
    if ($0 != first[++m]) {
        printf "first link:  %s\nsecond link: %s\n", first[m], $0
        bad = 1
        exit 1
    }
}
END {
    if (!bad && m != n) {
        printf "first link: %d function symbols, second link: %d\n", n, m
        exit 1
    }
}
