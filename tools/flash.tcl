# goro_flash ELF ENTRY: what `make flash` asks OpenOCD to do once the probe's and the
# board's configs are read: halt every core, load the ELF into RAM over JTAG, check it,
# point every core at ENTRY (goro's reset entry parks the ones it doesn't use) and
# resume them all. Any failing step is an error, so OpenOCD exits non-zero.
proc goro_flash {elf entry} {
	init
	set main [target current]
	set cores {}
	foreach t [target names] {
		if {[$t cget -type] in {riscv cortex_a}} {
			lappend cores $t
		}
	}
	foreach t $cores {
		targets $t
		if {[$t curstate] ne "halted"} {
			halt 2000
		}
	}
	targets $main
	load_image $elf 0 elf
	verify_image $elf 0 elf
	foreach t $cores {
		targets $t
		reg pc $entry
	}
	# An SMP group resumes together; resume whatever is still halted after that.
	foreach t [concat [list $main] $cores] {
		if {[$t curstate] eq "halted"} {
			targets $t
			resume
		}
	}
	echo "goro: [llength $cores] cores running $elf from $entry"
}
