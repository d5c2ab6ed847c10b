# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# The Xen tier (scripts/xen-tier/, Documentation/xen.rst): Xen 4.17 under
# QEMU (TCG) with Debian's kernel as dom0.
#
#   make check-xen      tests/xen/xen-tier.t under prove: one boot of Xen,
#                       dom0's tests as TAP.  Logs:
#                       $(O)/xen-tier/{console,ktap,build}.log
#   make xen-tier-files what dom0 gets in /tier/bin (XTIER_FILES=DIR):
#                       the guest images, and mpt's Xen programs once
#                       built
#
# make check runs the tier too; it installs what it needs (scripts/deps.sh).

XTIER_FILES ?= $(O)/xen-tier/files
XTIER_TESTS := tests/xen/xen-tier.t
XTIER_GUESTS := $(GUESTS_ELFS)

xen-tier-files: $(XTIER_GUESTS)
	@rm -rf $(XTIER_FILES)
	@mkdir -p $(XTIER_FILES)
	cp $(XTIER_GUESTS) $(XTIER_FILES)/

check-xen: check-deps
	prove --exec '' --timer $(PROVE_FLAGS) $(XTIER_TESTS)

CHECK_TESTS += $(XTIER_TESTS)
CHECK_DEPS += xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils \
	libxen-dev

.PHONY: check-xen xen-tier-files
