# qemu-virt-riscv64: QEMU's RISC-V virt machine, harts in machine mode, -bios none.
ARCH        := riscv64
CROSS       := riscv64-unknown-elf-
NEWLIB_TARGET := riscv64-unknown-elf
ARCH_CFLAGS := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
SMP_MAX     := 8
BOARD_DRIVERS := kernel/dev/uart16550.c kernel/dev/plic.c kernel/dev/goldfish_rtc.c kernel/dev/sifive_test.c kernel/riscv64/clint.c
QEMU        := qemu-system-riscv64
QEMU_ARGS    = -M virt -bios none -m 512M -smp $(SMP) -nographic -monitor none -serial stdio
