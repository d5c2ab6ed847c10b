# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# The freestanding x86 guests (guest/): 32-bit ELF images that boot by PVH
# under mptrun (and as Xen PVH domUs), built with the host gcc alone: no
# libc, no libgcc, no multilib.
#
#   make guests     $(O)/guest/{selftest,crash,demo,functional,hostile,tracking}.elf
#
# Variables are GUESTS_*: tests/kvm's own test guest (mk/kvm.mk) uses
# GUEST_*.

GUESTS_CC ?= gcc
GUESTS_PROGS := selftest crash demo functional hostile tracking
GUESTS_ELFS := $(GUESTS_PROGS:%=$(O)/guest/%.elf)
GUESTS_OBJDIR := $(O)/guest/obj

GUESTS_CFLAGS := -m32 -march=i686 -std=gnu11 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-builtin -nostdlib -static -O2 -g \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wdeclaration-after-statement \
	-Iguest -Itools/mptrun -Isamples/mgpu -Iinclude
GUESTS_LDFLAGS := -no-pie -Wl,-T,guest/rt/rt.lds -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,norelro -Wl,--no-dynamic-linker

GUESTS_RT_SRCS := $(wildcard guest/rt/*.S) $(wildcard guest/rt/*.c)
GUESTS_MGPU_SRCS := $(wildcard guest/mgpu/*.c) $(wildcard guest/lib/*.c)
GUESTS_LIB_OBJS := $(patsubst guest/%,$(GUESTS_OBJDIR)/%.o,$(GUESTS_RT_SRCS) \
	$(GUESTS_MGPU_SRCS))

# Rebuild when the flags change, as the library does.
GUESTS_FLAGS_STAMP := $(O)/guest/.flags
$(GUESTS_FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(GUESTS_CC) $(GUESTS_CFLAGS) $(GUESTS_LDFLAGS)' | cmp -s - $@ || \
		echo '$(GUESTS_CC) $(GUESTS_CFLAGS) $(GUESTS_LDFLAGS)' > $@

$(GUESTS_OBJDIR)/%.c.o: guest/%.c $(GUESTS_FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(GUESTS_CC) $(GUESTS_CFLAGS) -MMD -MP -c $< -o $@

$(GUESTS_OBJDIR)/%.S.o: guest/%.S $(GUESTS_FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(GUESTS_CC) $(GUESTS_CFLAGS) -MMD -MP -c $< -o $@

$(O)/guest/%.elf: $(GUESTS_OBJDIR)/%.c.o $(GUESTS_LIB_OBJS) guest/rt/rt.lds
	$(GUESTS_CC) $(GUESTS_CFLAGS) $(GUESTS_LDFLAGS) -o $@ \
		$< $(GUESTS_LIB_OBJS)

guests: $(GUESTS_ELFS)

# Each runs a guest under $(O)/mptrun (mk/kvm.mk) and passes its TAP on;
# SKIP without a usable /dev/kvm.
GUESTS_TESTS := $(wildcard guest/tests/*.t)

# The objects are intermediate files of a chain; keep them.
.SECONDARY: $(GUESTS_LIB_OBJS) $(GUESTS_PROGS:%=$(GUESTS_OBJDIR)/%.c.o)

CHECK_BUILD += guests
CHECK_TESTS += $(GUESTS_TESTS)

-include $(GUESTS_LIB_OBJS:.o=.d) $(GUESTS_PROGS:%=$(GUESTS_OBJDIR)/%.c.d)
