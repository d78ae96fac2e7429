# sifive-u: HiFive Unleashed (FU540: one E51 monitor hart, four U54 harts), QEMU -M sifive_u -bios none.
ARCH        := riscv64
CROSS       := riscv64-unknown-elf-
NEWLIB_TARGET := riscv64-unknown-elf
ARCH_CFLAGS := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
SMP_MAX     := 4
BOARD_DRIVERS := kernel/dev/sifive_uart.c kernel/dev/plic.c kernel/dev/semihost_exit.c kernel/riscv64/clint.c
QEMU        := qemu-system-riscv64
# Always 5 harts (the E51 and the four U54s); U54s beyond SMP park.
QEMU_ARGS    = -M sifive_u -bios none -m 512M -smp 5 -nographic -monitor none -serial stdio
# make flash: OpenOCD over the board's own USB JTAG (FT2232H); PROBE= overrides.
OPENOCD_PROBE := board/sifive-u/ftdi.cfg
