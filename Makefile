# goro: one build for every board. `make run`, `make test`, `make bench`, `make deps`;
# BOARD=, SMP=, APP= (one or more C files), V=1 for full command lines, EXTRA_CFLAGS=
# (every C file), APP_CFLAGS= (the application's files only), ARGS= (the boot command
# line). See README.md.

BOARD ?= qemu-virt-riscv64
SMP   ?= 4
APP   ?= examples/demo.c
V     ?= 0
UNWRAPPED ?= 0
GCCHECK   ?= 0
LOCKRANK  ?= 0
BARE      ?= 0
SYMTAB    ?= 1
RAW       ?= 0
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
ifneq ($(filter-out 0 1,$(UNWRAPPED) $(GCCHECK) $(LOCKRANK) $(BARE) $(SYMTAB) $(RAW) $(V)),)
$(error UNWRAPPED, GCCHECK, LOCKRANK, BARE, SYMTAB, RAW and V take 0 or 1)
endif
ifeq ($(RAW)$(RAW_LOAD_ADDR),1)
$(error RAW=1: $(BOARD) has no raw-image boot (RAW_LOAD_ADDR in its board.mk); raspi2b has one)
endif

comma := ,
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
VARIANT := $(if $(filter 1,$(UNWRAPPED)),-unwrapped)$(if $(filter 1,$(GCCHECK)),-gccheck)$(if $(filter 1,$(LOCKRANK)),-lockrank)$(if $(filter 1,$(BARE)),-bare)$(if $(filter 1,$(RAW)),-raw)
BUILD_ROOT ?= build
BUILD   := $(BUILD_ROOT)/$(BOARD)$(VARIANT)
LIBDIR  := $(BUILD)/lib
IMGDIR  := $(BUILD)/smp$(SMP)
DEPS_STAMP := $(BUILD_ROOT)/deps.stamp      # make deps succeeded (see deps: below)

DEFS := -D__DYNAMIC_REENT__ -DGORO_SMP_MAX=$(SMP_MAX) -DGORO_UNWRAPPED=$(UNWRAPPED) -DGORO_GCCHECK=$(GCCHECK) -DGORO_LOCKRANK=$(LOCKRANK) -DGORO_BARE=$(BARE)
INCS := -Iboard/$(BOARD) -Ikernel -Ikernel/$(ARCH) -Iruntime -isystem $(NEWLIB)/$(NEWLIB_TARGET)/include
CFLAGS := $(ARCH_CFLAGS) -std=gnu11 -O2 -g -fno-omit-frame-pointer -ffunction-sections \
          -fdata-sections -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Werror $(DEFS) $(INCS) $(EXTRA_CFLAGS)
ASFLAGS := $(ARCH_CFLAGS) -g $(DEFS) $(INCS)

# Flag stamps: what every object was compiled with, one file per build directory
# (FLAGS_STAMP: the compiler, CFLAGS and ASFLAGS, so EXTRA_CFLAGS too, and the link's
# SYMTAB) and one for the application's own files (APP_STAMP: APP_CFLAGS). Objects
# depend on their stamp, and a stamp is rewritten only when its text changes, so
# changing a flag rebuilds what it affects and nothing else. A changed EXTRA_CFLAGS or
# APP_CFLAGS is first tried on an empty file: flags the compiler rejects stop the
# build here with its message. Read and written with make's $(file), no shell.
FLAGS_STAMP := $(BUILD)/flags
APP_STAMP   := $(BUILD)/app-flags
FLAGS_NOW   := $(CC) $(CFLAGS) | $(ASFLAGS) | SYMTAB=$(SYMTAB)
APP_FLAGS_NOW := APP_CFLAGS=$(APP_CFLAGS)
flags_try = $(shell $(CC) $(ARCH_CFLAGS) $(1) -fsyntax-only -x c /dev/null 2>&1 >/dev/null | head -3)
# $(call flags_stamp,STAMP,NOW,USER): rewrite the file named by $(STAMP) when its text is
# not $(NOW), after trying the user's $(USER) flags if there are any (names, not values:
# flags may hold commas).
define flags_stamp
ifneq ($$(file <$$($(1))),$$($(2)))
ifneq ($$(strip $$($(3))),)
FLAGS_ERR := $$(call flags_try,$$($(3)))
$$(if $$(FLAGS_ERR),$$(error $(3)='$$($(3))' is rejected by $$(CC): $$(FLAGS_ERR)))
endif
$$(shell mkdir -p $$(BUILD))
$$(file >$$($(1)),$$($(2)))
endif
endef
ifeq ($(filter clean print-%,$(MAKECMDGOALS)),)
$(eval $(call flags_stamp,FLAGS_STAMP,FLAGS_NOW,EXTRA_CFLAGS))
$(eval $(call flags_stamp,APP_STAMP,APP_FLAGS_NOW,APP_CFLAGS))
endif

SRCS := $(filter-out runtime/asm_offsets.c,$(wildcard boot/$(ARCH)/*.S kernel/*.c kernel/$(ARCH)/*.c \
        kernel/$(ARCH)/*.S runtime/*.c)) $(BOARD_DRIVERS) $(wildcard board/$(BOARD)/*.c)
OBJS := $(patsubst %,$(LIBDIR)/%.o,$(sort $(SRCS)))
LIBS := $(NEWLIB)/$(NEWLIB_TARGET)/lib/libc.a $(NEWLIB)/$(NEWLIB_TARGET)/lib/libm.a -lgcc

APPNAME := $(basename $(notdir $(firstword $(APP))))
ELF     := $(IMGDIR)/$(APPNAME).elf

.PHONY: all run test bench trace deps newlib toolchain lib image images lst debug clean print-qemu print-elf print-testdir hil soak
all: image

define compile_c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@
endef
$(LIBDIR)/%.c.o: %.c $(NEWLIB_DONE) $(FLAGS_STAMP) | toolchain
	$(compile_c)

# An application file outside the tree (an absolute path, or one with ../): its object
# goes under $(LIBDIR)/app/ by its absolute path, inside this board's build directory
# (the plain rule would put ../app/x.c's object in a directory every board shares).
app_obj = $(foreach f,$(1),$(if $(filter /% ../%,$(f)),$(LIBDIR)/app$(abspath $(f)),$(LIBDIR)/$(f)).o)
$(LIBDIR)/app/%.c.o: /%.c $(NEWLIB_DONE) $(FLAGS_STAMP) | toolchain
	$(compile_c)

$(LIBDIR)/%.S.o: %.S $(FLAGS_STAMP) | toolchain
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

# The offsets the tick's fast path (kernel/$(ARCH)/tick.S) reads from the runtime's
# structs, and the constants it needs, as the compiler lays them out: runtime/asm_offsets.c compiled to assembly, its
# `@OFF@ NAME value` lines made into #defines (that file says why).
ASM_OFFSETS := $(LIBDIR)/asm_offsets.h
$(ASM_OFFSETS): runtime/asm_offsets.c $(NEWLIB_DONE) $(FLAGS_STAMP) | toolchain
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -MT $@ -MF $@.d -S $< -o $@.s
	$(Q)sed -n 's/^.*@OFF@ \([A-Z0-9_]*\) [#$$]\{0,1\}\(-\{0,1\}[0-9]*\).*$$/#define \1 \2/p' $@.s > $@.tmp && mv $@.tmp $@
ARCH_ASM_OBJS := $(patsubst %,$(LIBDIR)/%.o,$(wildcard kernel/$(ARCH)/*.S))
$(ARCH_ASM_OBJS): $(ASM_OFFSETS)
$(ARCH_ASM_OBJS): ASFLAGS += -I$(LIBDIR)
-include $(ASM_OFFSETS).d

# linker.ld and the board's memory.ld (which it INCLUDEs, from LIBDIR) go through cpp.
# RAW=1 links the image where the board's loader puts a raw image (RAW_LOAD_ADDR, board.mk;
# memory.ld's LOAD_ADDR) and boots that raw image (<name>.bin) instead of the ELF.
LINK_DEFS := -DSMP_MAX=$(SMP_MAX) $(if $(filter 1,$(RAW)),-DLOAD_ADDR=$(RAW_LOAD_ADDR))
$(LIBDIR)/link.ld: linker.ld board/$(BOARD)/memory.ld board/$(BOARD)/board.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x c $(LINK_DEFS) board/$(BOARD)/memory.ld -o $(LIBDIR)/memory.ld
	$(Q)$(CC) -E -P -x c $(LINK_DEFS) $< -o $@

lib: $(OBJS) $(LIBDIR)/link.ld

# An image: the application's files, compiled with the same flags, linked with the lib,
# twice (SYMTAB=1, the default): tools/symtab.awk turns the first link's function
# symbols into the table kernel/symtab.c reads (panics and reports name functions), and
# the second link adds it. linker.ld places it where it moves no code, and
# tools/symtab_check.awk fails the build if a function moved anyway. SYMTAB=0 links once:
# an image without names (give it its own BUILD_ROOT). Beside it: <name>.map, <name>.sym
# and, for the application (not for test images: objdump was half of make test's build
# time), the <name>.lst disassembly; `make lst` writes a test image's on demand. RAW=1
# also writes <name>.bin, the raw image. $(1): directory, $(2): image name, $(3): C files,
# $(4): the image's core count (__goro_smp), $(5): lst to write the listing.
LINK = $(CC) $(ARCH_CFLAGS) -nostdlib -nostartfiles -T $(LIBDIR)/link.ld -L$(LIBDIR) -Lboard/$(BOARD) \
       -Wl,--gc-sections
define image_rule
$(1)/$(2).elf: $(call app_obj,$(3)) $(OBJS) $(LIBDIR)/link.ld tools/symtab.awk tools/symtab_check.awk
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD      $$@")
ifeq ($(SYMTAB),1)
	$$(Q)$$(LINK) -Wl,--defsym=__goro_smp=$(4) -Wl,--strip-debug -o $(1)/$(2).link1 $$(OBJS) \
	    $(call app_obj,$(3)) -Wl,--start-group $$(LIBS) -Wl,--end-group
	$$(Q)$$(NM) -n -S $(1)/$(2).link1 > $(1)/$(2).sym1 && rm $(1)/$(2).link1
	$$(Q)awk -f tools/symtab.awk $(1)/$(2).sym1 > $(1)/$(2).ksyms.s
	$$(Q)$$(CC) $$(ARCH_CFLAGS) -c $(1)/$(2).ksyms.s -o $(1)/$(2).ksyms.o
endif
	$$(Q)$$(LINK) -Wl,--defsym=__goro_smp=$(4) -Wl,-Map=$(1)/$(2).map -o $$@ $$(OBJS) \
	    $(call app_obj,$(3)) $(if $(filter 1,$(SYMTAB)),$(1)/$(2).ksyms.o) \
	    -Wl,--start-group $$(LIBS) -Wl,--end-group
	$$(Q)$$(NM) -n -S $$@ > $(1)/$(2).sym
ifeq ($(SYMTAB),1)
	$$(Q)awk -f tools/symtab_check.awk $(1)/$(2).sym1 $(1)/$(2).sym || \
	    { echo "error: $$@: adding the symbol table moved code (see linker.ld's .ksyms)" >&2; rm -f $$@; exit 1; }
endif
ifeq ($(5),lst)
	$$(Q)$$(OBJDUMP) -d -S $$@ > $(1)/$(2).lst
endif
ifeq ($(RAW),1)
	$$(Q)$$(OBJCOPY) -O binary $$@ $(1)/$(2).bin
endif
endef
$(eval $(call image_rule,$(IMGDIR),$(APPNAME),$(APP),$(SMP),lst))

# The application's own files: APP_CFLAGS after CFLAGS (defines, -I include paths,
# warnings to turn off), and their own stamp.
APP_OBJS := $(call app_obj,$(APP))
$(APP_OBJS): CFLAGS += $(APP_CFLAGS)
$(APP_OBJS): $(APP_STAMP)

# BOARD_POST_LINK (board.mk, optional): a command run on the application's ELF, $(1),
# e.g. to write the raw image a board's firmware boots.
image: $(ELF)
	$(if $(BOARD_POST_LINK),$(Q)$(call BOARD_POST_LINK,$(ELF)))
	@echo "  image   $(ELF)"

# Every test image of tests/ for this board (the test runner builds these), in TESTDIR.
# Tests whose `//! boards:` line leaves this board out aren't built for it. They are
# linked once for every core count, with the board's SMP_MAX cores: the runner starts
# fewer with smp=N on the command line (kernel/main.c). A BARE=1 image has no command
# line: those are linked with SMP= into the application's directory (make hil).
# TEST=a,b: only those images. make lst TEST=a,b: their disassembly, TESTDIR/<name>.lst.
# Which boards each test names (its `//! boards:` line) comes from TESTS_MK, written by
# one grep when a test changes (make re-reads it then), not by a shell per invocation.
TESTS_MK := $(BUILD_ROOT)/tests.mk
$(TESTS_MK): $(wildcard tests/*.c)
	@mkdir -p $(dir $@)
	$(Q){ grep -H '^//! boards:' tests/*.c || true; } | sed 's|^\(tests/[^:]*\)://! boards: *\(.*\)$$|TEST_BOARDS_\1 := \2|' > $@.$$$$ && mv $@.$$$$ $@
ifeq ($(filter clean,$(MAKECMDGOALS)),)
-include $(TESTS_MK)
endif
TEST_SRCS := $(foreach f,$(wildcard tests/*.c),$(if $(strip $(TEST_BOARDS_$(f))),$(if $(filter $(BOARD),$(TEST_BOARDS_$(f))),$(f)),$(f)))
TESTDIR   := $(if $(filter 1,$(BARE)),$(IMGDIR),$(BUILD)/tests)
TEST_SMP  := $(if $(filter 1,$(BARE)),$(SMP),$(SMP_MAX))
$(foreach t,$(TEST_SRCS),$(eval $(call image_rule,$(TESTDIR),$(basename $(notdir $(t))),$(t),$(TEST_SMP))))
ifneq ($(filter images lst,$(MAKECMDGOALS)),)
TEST_PICK := $(if $(TEST),$(foreach n,$(subst $(comma), ,$(TEST)),$(if $(filter tests/$(n).c,$(TEST_SRCS)),$(n),\
               $(error TEST: no test image '$(n)' for $(BOARD) in tests/))),$(patsubst tests/%.c,%,$(TEST_SRCS)))
endif
images: $(patsubst %,$(TESTDIR)/%.elf,$(TEST_PICK))
lst: images
	$(Q)for n in $(TEST_PICK); do $(OBJDUMP) -d -S $(TESTDIR)/$$n.elf > $(TESTDIR)/$$n.lst || exit 1; \
	    echo "  lst     $(TESTDIR)/$$n.lst"; done
print-testdir:
	@echo $(TESTDIR)

-include $(OBJS:.o=.d) $(patsubst %.o,%.d,$(call app_obj,$(APP))) $(patsubst %,$(LIBDIR)/%.d,$(TEST_SRCS))

# QEMU with the board's arguments (board.mk) and semihosting, through which the image
# reads its boot command line (kernel/main.c): ARGS="word ..." (e.g. ARGS=seed=7), and
# `make trace` adds its own words the same way.
empty :=
space := $(empty) $(empty)
semihost_args = -semihosting-config enable=on,target=native$(if $(strip $(1)),$(comma)$(subst $(space),$(comma),$(addprefix arg=,goro $(strip $(1)))))
QEMU_CMD = $(QEMU) $(QEMU_ARGS) $(call semihost_args,$(ARGS))

# make run: the program under QEMU; the last line of its output is `goro: exit status
# N`, N the program's exit status (QEMU's), and make fails when N is not 0.
# tools/run-status runs `make run` and returns N as its own status.
run: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory image
	$(Q)$(QEMU_CMD) -kernel $(if $(filter 1,$(RAW)),$(ELF:.elf=.bin),$(ELF)); st=$$?; \
	    echo "goro: exit status $$st"; exit $$st

print-qemu:
	@echo $(QEMU_CMD)
print-elf:
	@echo $(ELF)

# make debug [TARGET=qemu|openocd] [GDB_PORT=n]: gdb-multiarch with tools/gdb/goro.py
# (info goroutines, goroutine N bt) on QEMU halted with its stub (default :1234), or on
# the board through OpenOCD (PROBE=, board/<board>/openocd.cfg; default :3333).
TARGET ?= qemu
GDB_PORT ?=
ifneq ($(filter debug,$(MAKECMDGOALS)),)
ifeq ($(filter qemu openocd,$(TARGET)),)
$(error make debug: TARGET must be qemu or openocd, not '$(TARGET)')
endif
ifeq ($(TARGET)$(wildcard board/$(BOARD)/openocd.cfg),openocd)
$(error make debug TARGET=openocd: $(BOARD) has no board/$(BOARD)/openocd.cfg)
endif
endif
debug: image
	@tools/gdb/debug.sh '$(TARGET)' $(ELF) $(BOARD) '$(GDB_PORT)' '$(PROBE)' $(QEMU_CMD)

# make hil BOARD=b SERIAL=dev [PROBE=cfg | REMOTE=qemu:host:port] [TEST=a,b]: every test
# image built with BARE=1, run on the board through OpenOCD (or a running GDB server),
# judged by its serial console (HIL_BAUD, default 115200); ends "N passed, N failed".
HIL_BAUD ?= 115200
hil: $(DEPS_STAMP)
	python3 tests/hil/hil.py --board $(BOARD) --smp $(SMP) --serial '$(SERIAL)' --baud $(HIL_BAUD) \
	    --probe '$(PROBE)' --remote '$(REMOTE)' --tests '$(TEST)'

test: $(DEPS_STAMP)
	python3 tests/run.py

bench: $(DEPS_STAMP)
	python3 tests/run.py --bench --boards $(BOARD)

# make soak BOARD=b [SOAK_S=seconds]: the world and collector tortures (tests marked
# `//! soak: yes`) back to back with new seeds until SOAK_S (default 600) have passed;
# ends "N passed, N failed". Not part of make test.
SOAK_S ?= 600
soak: $(DEPS_STAMP)
	@[ "$$(echo '$(SOAK_S)' | grep -xE '[1-9][0-9]{0,6}')" ] || \
	    { echo "error: make soak: SOAK_S must be a number of seconds (1-9999999), not '$(SOAK_S)'" >&2; exit 2; }
	python3 tests/run.py --soak $(SOAK_S) --boards $(BOARD)

# make trace APP=x.c: the application run traced under QEMU (MTTCG), its trace decoded
# and checked by tools/trace/gorotrace.py (Python 3, stdlib): $(BUILD)/trace.json (Perfetto,
# chrome://tracing), $(BUILD)/trace.svg and a summary. The trace comes through semihosting
# into $(BUILD)/trace.bin, or as console frames. TRACE_ARGS: e.g. tracegen=NS (generations).
TRACE_BIN = $(BUILD)/trace.bin
trace: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory image
	@rm -f $(TRACE_BIN)
	-$(QEMU) $(QEMU_ARGS) $(call semihost_args,trace=$(TRACE_BIN) $(TRACE_ARGS) $(ARGS)) \
	    -kernel $(ELF) -accel tcg,thread=multi | tee $(BUILD)/trace.console
	python3 tools/trace/gorotrace.py $$([ -s $(TRACE_BIN) ] && echo $(TRACE_BIN) || echo --console $(BUILD)/trace.console) \
	    --json $(BUILD)/trace.json --svg $(BUILD)/trace.svg
	@echo "trace: $(BUILD)/trace.json"
	@echo "trace: $(BUILD)/trace.svg"

# ---- real boards: load over JTAG (OpenOCD), SD card boot files ------------------------
# make flash BOARD=b [PROBE=cfg]: OpenOCD loads the ELF into RAM through the probe
# (PROBE: its interface config, default OPENOCD_PROBE from board.mk) and the board's
# openocd.cfg, then starts every core at the entry (tools/flash.tcl). FLASH_TIMEOUT
# seconds at most. make sdcard SDCARD=dir: copies BOARD_SDCARD_FILES to a mounted boot
# partition. Both build the image as for a real board (BARE=1: no semihosting calls).
.PHONY: flash sdcard
PROBE ?= $(OPENOCD_PROBE)
FLASH_TIMEOUT ?= 120
FLASH_BOARDS := $(patsubst board/%/openocd.cfg,%,$(wildcard board/*/openocd.cfg))
ifneq ($(filter flash,$(MAKECMDGOALS)),)
ifeq ($(wildcard board/$(BOARD)/openocd.cfg),)
$(error make flash: $(BOARD) has no board/$(BOARD)/openocd.cfg; boards with one: $(FLASH_BOARDS))
endif
ifeq ($(PROBE),)
$(error make flash: no probe; set PROBE= to its OpenOCD interface config, e.g. interface/ftdi/olimex-arm-usb-tiny-h.cfg)
endif
endif
ifneq ($(filter sdcard,$(MAKECMDGOALS)),)
ifeq ($(BOARD_SDCARD_FILES),)
$(error make sdcard: $(BOARD) does not boot from an SD card (raspi2b does))
endif
ifeq ($(SDCARD),)
$(error make sdcard: set SDCARD= to the mounted SD card boot partition (a directory))
endif
ifeq ($(shell [ -d '$(SDCARD)' ] && echo dir),)
$(error make sdcard: SDCARD=$(SDCARD) is not a directory (mount the SD card's boot partition there))
endif
endif

ifneq ($(BARE),1)
flash sdcard:
	@$(MAKE) --no-print-directory $@ BARE=1
else
flash: image
	@command -v openocd >/dev/null || { echo "error: make flash: openocd not found; run 'make deps'" >&2; exit 2; }
	@entry=$$($(CROSS)readelf -h $(ELF) | sed -n 's/^ *Entry point address: *//p'); \
	echo "  FLASH   $(ELF) (entry $$entry) via $(PROBE)"; \
	timeout -k 5 $(FLASH_TIMEOUT) openocd -f $(PROBE) -f board/$(BOARD)/openocd.cfg -f tools/flash.tcl \
	    -c "goro_flash $(ELF) $$entry" -c shutdown; st=$$?; \
	if [ $$st -eq 124 ] || [ $$st -eq 137 ]; then \
	    echo "error: make flash: OpenOCD did not finish within $(FLASH_TIMEOUT) s (FLASH_TIMEOUT=)" >&2; exit 1; \
	elif [ $$st -ne 0 ]; then \
	    echo "error: make flash: OpenOCD failed (status $$st): is the probe ($(PROBE)) plugged in, wired to $(BOARD)'s JTAG pins, and the board powered?" >&2; exit 1; \
	fi

sdcard: image
	$(Q)cp $(addprefix $(IMGDIR)/,$(BOARD_SDCARD_FILES)) '$(SDCARD)'/ && sync
	@echo "  SDCARD  $(BOARD_SDCARD_FILES) -> $(SDCARD)"
endif

# make deps checks (and installs) the packages and newlib every time; the targets that
# need them depend on DEPS_STAMP instead, written when tools/deps.sh last succeeded and
# redone only when it or tools/newlib.sh changes (or after make clean), so a second
# `make run` starts at once.
deps:
	@tools/deps.sh
	@mkdir -p $(BUILD_ROOT) && touch $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh tools/newlib.sh
	@tools/deps.sh
	@mkdir -p $(dir $@) && touch $@

toolchain:
	@command -v $(CC) >/dev/null || { echo "error: $(CC) not found; run 'make deps'" >&2; exit 1; }

$(NEWLIB_DONE):
	@tools/newlib.sh $(NEWLIB_TARGET) "$(NEWLIB_CFLAGS)" >/dev/null

newlib: $(NEWLIB_DONE)

# make clean: the build output, BUILD_ROOT (default build/), refusing an empty or root
# one; newlib's cache (GORO_CACHE) stays.
clean:
	@case '$(BUILD_ROOT)' in ''|/|.|./) echo "error: make clean: BUILD_ROOT='$(BUILD_ROOT)' is not a build directory" >&2; exit 2;; esac
	rm -rf '$(BUILD_ROOT)'
