# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# The kernel modules (the top-level Kbuild): mpt.ko, mpt_sim.ko and, when
# tests/kernel/test.kbuild exists, the test modules it adds.
#
#   make modules           build them with W=1 in $(O)/kernel/src; any
#                          compiler, objtool or modpost warning fails the
#                          build.  Every module is there once:
#                          find $(O)/kernel -name '*.ko' lists them.
#   make modules-negative  mpt.ko with per-instance table dispatch instead
#                          of static calls, in $(O)/kernel-negative: the
#                          negative control of scripts/checks/fastpath-ko.sh
#   make modules-clean
#
# kbuild cannot put its output outside M=, so the sources (*.c, *.h,
# *.kbuild of the directories below) are mirrored as symlinks into
# $(O)/kernel/src, directories real and files links, and built there: no
# object or .cmd file lands in the source tree.
#
# KVER=<version> selects the kernel (default: the newest one whose headers
# are installed, /lib/modules/<version>/build); KDIR=<dir> a kbuild tree
# directly.  The version built for is written to $(O)/kernel/kver, the
# kbuild log to $(O)/kernel/build.log.  The Kconfig options of .config
# drive the build: CONFIG_MPT_BACKEND_SIM builds mpt_sim.ko,
# CONFIG_MPT_DEBUG adds -DDEBUG.

KMOD_O := $(O)/kernel
KMOD_SRC := $(KMOD_O)/src
KMOD_NEG_O := $(O)/kernel-negative
KMOD_NEG_SRC := $(KMOD_NEG_O)/src
# Everything a module may be built from: the test modules build userspace
# tests too (tests/unit, tests/lib, tests/conformance).
KMOD_DIRS := include core mpt os kernel backends samples tests
KMOD_NEG_DIRS := include core mpt os kernel
KVER ?=
KDIR ?=

# Mirror the sources of directories $(2) and Kbuild into $(1) as symlinks;
# drop links whose source went away.
define kmod_mirror
	@mkdir -p $(1)
	@for f in Kbuild $$(find $(2) -type f \( -name '*.[ch]' -o -name '*.kbuild' \) | sort); do \
		t=$(CURDIR)/$$f; \
		[ "$$(readlink $(1)/$$f 2>/dev/null)" = "$$t" ] && continue; \
		mkdir -p $(1)/$$(dirname $$f) && ln -sfn $$t $(1)/$$f || exit 1; \
	done
	@find $(1) -type l ! -exec test -e {} \; -delete
endef

# The kbuild tree: KDIR, or /lib/modules/$(KVER)/build, or the newest one.
KMOD_FIND_KDIR = kdir='$(KDIR)'; kver='$(KVER)'; \
	if [ -z "$$kdir" ]; then \
		[ -n "$$kver" ] || kver=$$(for d in /lib/modules/*/build/; do \
				[ -f "$$d/Makefile" ] && echo "$$d"; \
			done | cut -d/ -f4 | sort -V | tail -n 1); \
		kdir=/lib/modules/$$kver/build; \
	fi; \
	if [ ! -f "$$kdir/Makefile" ]; then \
		echo "mpt: no kernel headers (kbuild tree '$$kdir'): install linux-headers-amd64" >&2; \
		exit 1; \
	fi; \
	[ -n "$$kver" ] || kver=$$($(MAKE) -s -C $$kdir kernelrelease 2>/dev/null)

# Run kbuild in $(1) with extra arguments $(2); the log goes to $(1)/../build.log
# and the build fails on any warning in it (and forgets its objects, so
# that the next build sees the warnings again).  O= keeps our O= (passed down
# in MAKEFLAGS) from becoming the kernel's output directory.
define kmod_build
	@$(KMOD_FIND_KDIR); \
	echo "$$kver" > $(abspath $(1))/../kver; \
	log=$(abspath $(1))/../build.log; \
	echo "  KBUILD  $(1) (kernel $$kver, W=1)"; \
	if ! $(MAKE) -C $$kdir M=$(abspath $(1)) O= W=1 KCFLAGS=-Werror \
		CONFIG_MPT_BACKEND_SIM=$(CONFIG_MPT_BACKEND_SIM) \
		CONFIG_MPT_DEBUG=$(CONFIG_MPT_DEBUG) $(2) modules > $$log 2>&1; then \
		cat $$log >&2; echo "mpt: kernel module build failed" >&2; exit 1; \
	fi; \
	if grep -E '[Ww]arning:|WARNING:|[Ee]rror:' $$log >&2; then \
		echo "mpt: the kernel module build has warnings (above; log: $$log)" >&2; \
		find $(1) -name '*.o' -delete; \
		exit 1; \
	fi
endef

.PHONY: modules modules-negative modules-clean kernel-deps

kernel-deps:
	@scripts/deps.sh linux-headers-amd64 binutils python3

modules: $(KCONFIG_CONFIG) kernel-deps
	$(call kmod_mirror,$(KMOD_SRC),$(KMOD_DIRS))
	$(call kmod_build,$(KMOD_SRC),)
	@echo "  MODULES $$(cd $(KMOD_SRC) && find . -name '*.ko' | sed 's|^\./||' | sort | tr '\n' ' ')in $(KMOD_SRC)"

modules-negative: $(KCONFIG_CONFIG) kernel-deps
	$(call kmod_mirror,$(KMOD_NEG_SRC),$(KMOD_NEG_DIRS))
	$(call kmod_build,$(KMOD_NEG_SRC),MPT_KDISPATCH=table)

modules-clean:
	rm -rf $(KMOD_O) $(KMOD_NEG_O)

CHECK_DEPS += linux-headers-amd64 binutils python3
