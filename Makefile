# goro: one build for every board. `make run`, `make test`, `make bench`, `make deps`;
# BOARD=, SMP=, APP= (one or more C files), V=1 for full command lines. See README.md.

BOARD ?= qemu-virt-riscv64
SMP   ?= 4
APP   ?= examples/demo.c
V     ?= 0
UNWRAPPED ?= 0
GCCHECK   ?= 0
GORO_CACHE ?= $(HOME)/.cache/goro
export GORO_CACHE

# ---- checking the variables -----------------------------------------------------------
BOARDS := $(sort $(notdir $(wildcard board/*)))
ifeq ($(filter $(BOARD),$(BOARDS)),)
$(error unknown BOARD '$(BOARD)'; the boards are: $(BOARDS))
endif
include board/$(BOARD)/board.mk
ifneq ($(shell [ "$(SMP)" -ge 1 ] 2>/dev/null && [ "$(SMP)" -le $(SMP_MAX) ] && echo ok),ok)
$(error SMP must be a number from 1 to $(SMP_MAX) on $(BOARD), not '$(SMP)')
endif
APP_MISSING := $(filter-out $(wildcard $(APP)),$(APP))
ifneq ($(APP_MISSING),)
$(error APP file not found: $(APP_MISSING))
endif
ifneq ($(filter-out 0 1,$(UNWRAPPED) $(GCCHECK) $(V)),)
$(error UNWRAPPED, GCCHECK and V take 0 or 1)
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---- toolchain and newlib -------------------------------------------------------------
CC      := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
OBJDUMP := $(CROSS)objdump
NM      := $(CROSS)nm
NEWLIB_CFLAGS := $(ARCH_CFLAGS) -O2 -g -D__DYNAMIC_REENT__ -ffunction-sections -fdata-sections
NEWLIB := $(shell tools/newlib.sh --prefix $(NEWLIB_TARGET) "$(NEWLIB_CFLAGS)")
NEWLIB_DONE := $(NEWLIB)/.done

# ---- the build ------------------------------------------------------------------------
VARIANT := $(if $(filter 1,$(UNWRAPPED)),-unwrapped)$(if $(filter 1,$(GCCHECK)),-gccheck)
BUILD_ROOT ?= build
BUILD   := $(BUILD_ROOT)/$(BOARD)$(VARIANT)
LIBDIR  := $(BUILD)/lib
IMGDIR  := $(BUILD)/smp$(SMP)

DEFS := -D__DYNAMIC_REENT__ -DGORO_SMP_MAX=$(SMP_MAX) -DGORO_UNWRAPPED=$(UNWRAPPED) -DGORO_GCCHECK=$(GCCHECK)
INCS := -Iboard/$(BOARD) -Ikernel -Ikernel/$(ARCH) -Iruntime -isystem $(NEWLIB)/$(NEWLIB_TARGET)/include
CFLAGS := $(ARCH_CFLAGS) -std=gnu11 -O2 -g -fno-omit-frame-pointer -ffunction-sections \
          -fdata-sections -Wall -Wextra -Werror $(DEFS) $(INCS) $(EXTRA_CFLAGS)
ASFLAGS := $(ARCH_CFLAGS) -g $(DEFS) $(INCS)

SRCS := $(wildcard boot/$(ARCH)/*.S kernel/*.c kernel/$(ARCH)/*.c kernel/$(ARCH)/*.S runtime/*.c) \
        $(BOARD_DRIVERS) $(wildcard board/$(BOARD)/*.c)
OBJS := $(patsubst %,$(LIBDIR)/%.o,$(sort $(SRCS)))
LIBS := $(NEWLIB)/$(NEWLIB_TARGET)/lib/libc.a $(NEWLIB)/$(NEWLIB_TARGET)/lib/libm.a -lgcc

APPNAME := $(basename $(notdir $(firstword $(APP))))
ELF     := $(IMGDIR)/$(APPNAME).elf

.PHONY: all run test bench deps newlib toolchain lib image images debug clean print-qemu print-elf
all: image

$(LIBDIR)/%.c.o: %.c $(NEWLIB_DONE) | toolchain
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBDIR)/%.S.o: %.S | toolchain
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(LIBDIR)/link.ld: linker.ld board/$(BOARD)/memory.ld board/$(BOARD)/board.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x c -DSMP_MAX=$(SMP_MAX) $< -o $@

lib: $(OBJS) $(LIBDIR)/link.ld

# An image: the application's files, compiled with the same flags, linked with the lib.
# $(1): image name, $(2): its C files.
define image_rule
$(IMGDIR)/$(1).elf: $(patsubst %,$(LIBDIR)/%.o,$(2)) $(OBJS) $(LIBDIR)/link.ld
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(ARCH_CFLAGS) -nostdlib -nostartfiles -T $(LIBDIR)/link.ld -Lboard/$(BOARD) \
	    -Wl,--gc-sections -Wl,--defsym=__goro_smp=$(SMP) -Wl,-Map=$(IMGDIR)/$(1).map \
	    -o $$@ $$(OBJS) $(patsubst %,$(LIBDIR)/%.o,$(2)) -Wl,--start-group $$(LIBS) -Wl,--end-group
	$$(Q)$$(OBJDUMP) -d -S $$@ > $(IMGDIR)/$(1).lst
	$$(Q)$$(NM) -n $$@ > $(IMGDIR)/$(1).sym
endef
$(eval $(call image_rule,$(APPNAME),$(APP)))

# BOARD_POST_LINK (board.mk, optional): a command run on the application's ELF, $(1),
# e.g. to write the raw image a board's firmware boots.
image: $(ELF)
	$(if $(BOARD_POST_LINK),$(Q)$(call BOARD_POST_LINK,$(ELF)))
	@echo "  image   $(ELF)"

# Every test image of tests/ for this board and SMP (the test runner builds these).
# Tests whose `//! boards:` line leaves this board out aren't built for it.
TEST_SRCS := $(shell for f in tests/*.c; do b=$$(sed -n 's|^//! boards: *||p' $$f); \
               if [ -z "$$b" ] || echo " $$b " | grep -q " $(BOARD) "; then echo $$f; fi; done)
$(foreach t,$(TEST_SRCS),$(eval $(call image_rule,$(basename $(notdir $(t))),$(t))))
images: $(patsubst tests/%.c,$(IMGDIR)/%.elf,$(TEST_SRCS))

-include $(OBJS:.o=.d)

QEMU_CMD = $(QEMU) $(QEMU_ARGS)
run: deps
	@$(MAKE) --no-print-directory image
	$(QEMU_CMD) -kernel $(ELF)

print-qemu:
	@echo $(QEMU_CMD)
print-elf:
	@echo $(ELF)

debug: image
	@echo "QEMU halted with a GDB stub on :1234; each core is a GDB thread"
	$(QEMU_CMD) -kernel $(ELF) -S -gdb tcp::1234 & \
	gdb-multiarch -q $(ELF) -ex 'target remote :1234' ; kill %1 2>/dev/null; true

test: deps
	python3 tests/run.py

bench: deps
	python3 tests/run.py --bench --boards $(BOARD)

deps:
	@tools/deps.sh

toolchain:
	@command -v $(CC) >/dev/null || { echo "error: $(CC) not found; run 'make deps'" >&2; exit 1; }

$(NEWLIB_DONE):
	@tools/newlib.sh $(NEWLIB_TARGET) "$(NEWLIB_CFLAGS)" >/dev/null

newlib: $(NEWLIB_DONE)

clean:
	rm -rf build
