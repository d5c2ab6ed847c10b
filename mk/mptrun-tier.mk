# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# mptrun and the guest programs for the kernel tier's guest, where
# scripts/kernel-tier/guest/tests/mdev_guests.sh runs them on nested KVM
# with mpt_mdev.ko's mdevs (mptrun --vfio).  The guest has no C library:
# mptrun is linked statically; the guest ELFs are freestanding already and
# are copied.  run.sh builds them with `make tier-programs` into
# $(TIER_BIN) (mk/kernel-tier.mk).

# guest/'s programs, and tests/kvm's guest that spins until stopped.
MPTRUN_TIER_GUESTS := selftest functional hostile demo
MPTRUN_TIER_FILES := mptrun $(MPTRUN_TIER_GUESTS:%=%.elf) loop.elf \
	mdev_bench.elf pci_hostile.elf
TIER_PROGRAMS += $(MPTRUN_TIER_FILES)

$(TIER_BIN)/mptrun: $(MPTRUN_SRCS) $(MPTRUN_HDRS) $(KVM_LIB) $(KVM_MGPU_LIB)
	@mkdir -p $(@D)
	$(CC) $(MPTRUN_CFLAGS) -static -o $@ $(MPTRUN_SRCS) $(KVM_MGPU_LIB) \
		$(KVM_LIB) $(LDLIBS) -lpng -lz -lm

$(TIER_BIN)/loop.elf: $(GUEST_DIR)/loop.elf
	@mkdir -p $(@D)
	cp $< $@

# The benchmark's guest (bench/mdev_guest.c) on guest/'s runtime and driver.
$(O)/bench/mdev_guest.elf: bench/mdev_guest.c $(GUESTS_LIB_OBJS) guest/rt/rt.lds
	@mkdir -p $(@D)
	$(GUESTS_CC) $(GUESTS_CFLAGS) $(GUESTS_LDFLAGS) -o $@ $< \
		$(GUESTS_LIB_OBJS)

$(TIER_BIN)/mdev_bench.elf: $(O)/bench/mdev_guest.elf
	@mkdir -p $(@D)
	cp $< $@

# mptrun's own attack guest (tools/mptrun/guests/), for tests/kvm/mptrun.t
# and the tier.
MPTRUN_GUESTS_DIR := $(O)/tools/mptrun/guests
$(MPTRUN_GUESTS_DIR)/%.elf: tools/mptrun/guests/%.c $(GUESTS_LIB_OBJS) \
		guest/rt/rt.lds
	@mkdir -p $(@D)
	$(GUESTS_CC) $(GUESTS_CFLAGS) $(GUESTS_LDFLAGS) -o $@ $< \
		$(GUESTS_LIB_OBJS)

$(TIER_BIN)/pci_hostile.elf: $(MPTRUN_GUESTS_DIR)/pci_hostile.elf
	@mkdir -p $(@D)
	cp $< $@

kvm-tests: $(MPTRUN_GUESTS_DIR)/pci_hostile.elf

$(TIER_BIN)/%.elf: $(O)/guest/%.elf
	@mkdir -p $(@D)
	cp $< $@

# make bench-mdev: the kernel tier with mdev_bench only; its JSON lines
# (the mdev path against the userspace backend, in the same guest) to
# standard output.
bench-mdev:
	bench/mdev_bench.sh

.PHONY: bench-mdev
