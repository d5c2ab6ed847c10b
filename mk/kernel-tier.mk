# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# The kernel tier (scripts/kernel-tier/, Documentation/kernel-tier.rst):
# mpt's modules (make modules) in Debian's kernel booted under QEMU (TCG),
# and DKMS.
#
#   make check-kernel   the tier's tests under prove:
#                       tests/kernel/kernel-tier.t  one boot: load orders,
#                           unloading under live instances, 100 load/unload
#                           cycles, mpt_test.ko's and mgpu_test.ko's
#                           KTAP, a clean kernel log
#                       tests/kernel/tier-selftest.t  the tier's verdict
#                           fails broken runs, and a boot with a WARNING
#                       tests/kernel/dkms.t  dkms add/build/install/remove
#                           in a private DKMS tree
#                       PROVE_FLAGS=-v shows every result.  Logs:
#                       $(O)/kernel-tier/{console,ktap,build}.log
#
# make check runs the same three.  They install what they need
# (scripts/deps.sh); CHECK_DEPS installs it up front as well.

KTIER_TESTS := tests/kernel/kernel-tier.t tests/kernel/tier-selftest.t \
	tests/kernel/dkms.t
PROVE_FLAGS ?=

check-kernel: check-deps
	prove --exec '' --timer $(PROVE_FLAGS) $(KTIER_TESTS)

CHECK_TESTS += $(KTIER_TESTS)
CHECK_DEPS += linux-image-amd64 linux-headers-amd64 qemu-system-x86 \
	busybox-static cpio kmod dkms

.PHONY: check-kernel

# Static programs for the tier's guest (it has no C library), built into
# $(TIER_BIN) by scripts/kernel-tier/run.sh.  A fragment adds its program
# with a rule for $(TIER_BIN)/NAME and TIER_PROGRAMS += NAME.
TIER_BIN ?= $(O)/kernel-tier/bin
TIER_STATIC_CFLAGS := -static -O2 -Wall -Wextra -Werror
TIER_PROGRAMS += vfio_client

$(TIER_BIN)/vfio_client: tests/kernel/vfio_client.c
	@mkdir -p $(@D)
	$(CC) $(TIER_STATIC_CFLAGS) -o $@ $<

# Expanded when make runs the rule, after every fragment has added its own.
.SECONDEXPANSION:
tier-programs: $$(addprefix $$(TIER_BIN)/,$$(TIER_PROGRAMS))

.PHONY: tier-programs
