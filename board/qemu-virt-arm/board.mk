# qemu-virt-arm: QEMU's ARM virt machine with Cortex-A15 cores (ARMv7-A), run in SVC mode.
ARCH        := arm
CROSS       := arm-none-eabi-
NEWLIB_TARGET := arm-none-eabi
# The same flags on every ARM board, so there is one ARM newlib build.
ARCH_CFLAGS := -marm -march=armv7ve -mfpu=neon-vfpv4 -mfloat-abi=hard
SMP_MAX     := 8
BOARD_DRIVERS := kernel/dev/pl011.c kernel/dev/gic.c kernel/dev/psci.c kernel/dev/semihost_exit.c
QEMU        := qemu-system-arm
# HYP=1: the cores have EL2 and enter in HYP mode, as on a real Pi; boot drops them to
# SVC, and PSCI goes over SMC (make run BOARD=qemu-virt-arm HYP=1).
HYP         ?= 0
QEMU_ARGS    = -M virt$(if $(filter 1,$(HYP)),$(comma)virtualization=on) -cpu cortex-a15 -m 512M \
               -smp $(SMP) -nic none -nographic -monitor none -serial stdio
comma       := ,
