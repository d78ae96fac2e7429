# Inside gdb (tests/gdb/check.py runs it): stop at gdb_checkpoint, then print `info goroutines` and every goroutine's `goroutine N bt`.
import re
import gdb

gdb.execute("break gdb_checkpoint")
gdb.execute("continue")
table = gdb.execute("info goroutines", to_string=True)
print("=== info goroutines\n" + table, end="")
for line in table.splitlines()[1:]:
    m = re.match(r"\s*(\d+)\s", line)
    if m:
        print("=== goroutine %s bt" % m.group(1))
        gdb.execute("goroutine %s bt" % m.group(1))
print("=== end")
gdb.execute("kill")
