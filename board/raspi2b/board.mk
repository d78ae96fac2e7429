# raspi2b: Raspberry Pi 2B (BCM2836, 4 Cortex-A7), under QEMU -M raspi2b or from an SD card.
ARCH        := arm
CROSS       := arm-none-eabi-
NEWLIB_TARGET := arm-none-eabi
# The same flags on every ARM board, so there is one ARM newlib build.
ARCH_CFLAGS := -marm -march=armv7ve -mfpu=neon-vfpv4 -mfloat-abi=hard
SMP_MAX     := 4
BOARD_DRIVERS := kernel/dev/pl011.c kernel/dev/bcm2836_intc.c kernel/dev/bcm2835_intc.c kernel/dev/semihost_exit.c
QEMU        := qemu-system-arm
QEMU_ARGS    = -M raspi2b -smp 4 -nographic -monitor none -serial stdio
# An SD card's boot files next to the ELF: the raw image the firmware loads, and config.txt
# with kernel_address where the image is linked (_start).
BOARD_POST_LINK = $(OBJCOPY) -O binary $(1) $(dir $(1))kernel7.img && \
    sed "s/^kernel_address=.*/kernel_address=0x$$($(NM) $(1) | sed -n 's/^0*\([0-9a-f]*\) T _start$$/\1/p')/" \
        board/raspi2b/config.txt > $(dir $(1))config.txt
# RAW=1: booted as the firmware boots kernel7.img: QEMU's -kernel with a raw image loads
# it at 0x10000 and starts only core 0 there; its stub spins the others on mailbox 3 (as
# the firmware does) until board_cpu_start writes _start into it. The image is linked there.
RAW_LOAD_ADDR := 0x10000
# make flash: OpenOCD over a JTAG probe wired to the GPIO header (openocd.cfg); PROBE= overrides.
OPENOCD_PROBE := interface/ftdi/olimex-arm-usb-tiny-h.cfg
# make sdcard SDCARD=dir: the files BOARD_POST_LINK wrote, for the SD card's boot partition.
BOARD_SDCARD_FILES := kernel7.img config.txt
