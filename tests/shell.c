/* The shell example (examples/shell.c) booted as it ships and driven through the
 * console: tests/data/shell_script.txt is typed into it (with a CR LF line end, a CR
 * line end, a DEL correcting a typo and a line too long), every answer is checked, and
 * its last line, exit 3, must end the program with status 3. The script is sent once
 * the shell has printed its banner (stdin_after: a byte pending at boot can be lost
 * while the UART driver turns its FIFO on, kernel/dev/pl011.c). */
//! smp: 2
//! stdin: shell_script.txt
//! stdin_after: ^goro shell: 
//! expect: exit 3
//! output: ^goro shell: 2 cores; type help$
//! output: ^  exit \[N\] +end the program with status N \(0\)$
//! output: ^ +1 running +[0-9]+  +main_goroutine$
//! output: ^[0-9]+ goroutines \([0-9]+ counted by goro_numgoroutine\)$
//! output: ^spawn: 4 goroutines, 4 results correct, on [1-2] cores?$
//! output: ^  goroutine 1 on core [0-1]: sum of squares 1\.\.1037 = 372257075$
//! output: ^spawn: 2 goroutines, 2 results correct, on [1-2] cores?$
//! output: ^sleep: 3 ms, woke after ([3-9]|[1-9][0-9]+)\.[0-9]{3} ms$
//! output: ^gc: cycle done in [0-9]+ us; cycles [1-9][0-9]*,
//! output: ^bench: gosched switch [1-9][0-9]* ns, unbuffered channel round trip [1-9][0-9]* ns \(100 each, board time\)$
//! output: ^bogus: unknown command \(try help\)$
//! output: ^sleep: want milliseconds from 0 to 60000, not 'x'$
//! output: ^shell: line longer than 127 characters, ignored$
//! output: ^goro> exit 3$
#include "../examples/shell.c"
