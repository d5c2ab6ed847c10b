# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# The Xen tier (scripts/xen-tier/, Documentation/xen.rst): Xen 4.17 under
# QEMU (TCG) with Debian's kernel as dom0.
#
#   make check-xen      tests/xen/xen-tier.t under prove: one boot of Xen,
#                       dom0's tests as TAP.  Logs:
#                       $(O)/xen-tier/{console,ktap,build}.log
#   make xen-tier-files what dom0 gets in /tier/bin (XTIER_FILES=DIR):
#                       the guest images, xbench, mpt-xen and
#                       conformance-xen (the last two need libxen-dev)
#
# make check runs the tier too (after mpt-xen's host test,
# tests/xen/mpt-xen.t).  How Xen is made to run reliably under QEMU TCG:
# Documentation/xen.rst, "Running Xen under TCG".

XTIER_FILES ?= $(O)/xen-tier/files
XTIER_TESTS := tests/xen/xen-tier.t
XTIER_BENCH_ELF := $(O)/tests/xen/xbench.elf
XTIER_GUESTS := $(GUESTS_ELFS) $(XTIER_BENCH_ELF)

# xbench (tests/xen/xbench.c): a guest on the runtime of guest/ that
# times its own accesses through each device-model path.
$(XTIER_BENCH_ELF): tests/xen/xbench.c $(GUESTS_LIB_OBJS) guest/rt/rt.lds
	@mkdir -p $(dir $@)
	$(GUESTS_CC) $(GUESTS_CFLAGS) $(GUESTS_LDFLAGS) -o $@ $< \
		$(GUESTS_LIB_OBJS)

xen-tier-files: $(XTIER_GUESTS) mpt-xen
	@rm -rf $(XTIER_FILES)
	@mkdir -p $(XTIER_FILES)
	cp $(XTIER_GUESTS) $(XTIER_PROGRAMS) $(XTIER_FILES)/

check-xen: check-deps
	prove --exec '' --timer $(PROVE_FLAGS) $(XTIER_TESTS)

CHECK_DEPS += xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils \
	libxen-dev

.PHONY: check-xen xen-tier-files

# ---- The Xen backend and mpt-xen ------------------------------------------
#
#   make mpt-xen        $(O)/mpt-xen (tools/mpt-xen), linked with a
#                       BACKENDS=xen library built in $(O)/xen (one backend:
#                       direct dispatch) and that build's libmgpu.a
#
# Both need Xen's development headers and libraries (libxen-dev).  Without
# them the targets say so and build nothing; make check installs them
# (CHECK_DEPS), so the tier's tests do not skip there.

XEN_O := $(O)/xen
XEN_LIB := $(XEN_O)/libmpt.a
XEN_MGPU_LIB := $(XEN_O)/samples/mgpu/libmgpu.a
XEN_DEV_HEADERS := xendevicemodel.h xenforeignmemory.h xenevtchn.h \
	xentoolcore.h xenctrl.h
XEN_HAVE_HEADERS := $(if $(filter $(words $(XEN_DEV_HEADERS)),$(words \
	$(wildcard $(XEN_DEV_HEADERS:%=/usr/include/%)))),1,0)
MPT_XEN_BIN := $(O)/mpt-xen
# mptrun's COM1, exit port and PCI host bridge (io.c) and its PNG writer
# (report.c) are compiled in, not copied: see tools/mpt-xen/mpt_xen.h.
MPT_XEN_SRCS := $(wildcard tools/mpt-xen/*.c) tools/mptrun/io.c \
	tools/mptrun/report.c tools/mptrun/finish.c \
	tools/mptrun/parse_uint.c
MPT_XEN_HDRS := $(wildcard tools/mpt-xen/*.h) tools/mptrun/mptrun.h \
	tools/mptrun/mptrun_abi.h include/mpt/xen.h
MPT_XEN_CFLAGS := $(filter-out -fvisibility=hidden,$(CFLAGS_ALL)) \
	-Itools/mpt-xen -Itools/mptrun -Isamples/mgpu -DMPTRUN_MGPU=1 \
	-DMPTRUN_VFIO=0 \
	-ffunction-sections
MPT_XEN_LIBS := -lxenctrl $(BACKEND_LIBS_xen) -lpng -lpthread
XEN_CONF_SRCS := $(filter-out tests/conformance/target_%.c,$(wildcard \
	tests/conformance/*.c)) tests/conformance/target_xen.c
XEN_CONF_BIN := $(O)/tests/conformance/conformance-xen

.PHONY: FORCE-XEN mpt-xen xen-no-headers

FORCE-XEN:

ifeq ($(XEN_HAVE_HEADERS),1)
$(XEN_LIB): FORCE-XEN
	@$(MAKE) -s BACKENDS=xen DISPATCH=direct O=$(XEN_O) $(XEN_LIB) \
		$(XEN_MGPU_LIB)

$(XEN_MGPU_LIB): $(XEN_LIB) ;

# report.c's statistics need the KVM backend: mpt-xen never calls them,
# and --gc-sections drops them with their reference.
$(MPT_XEN_BIN): $(MPT_XEN_SRCS) $(MPT_XEN_HDRS) $(XEN_LIB) $(XEN_MGPU_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(MPT_XEN_CFLAGS) -o $@ $(MPT_XEN_SRCS) $(XEN_MGPU_LIB) \
		$(XEN_LIB) -Wl,--gc-sections $(LDFLAGS) $(MPT_XEN_LIBS)

mpt-xen: $(MPT_XEN_BIN) $(XEN_CONF_BIN)
XTIER_PROGRAMS := $(MPT_XEN_BIN) $(XEN_CONF_BIN)

# The conformance suite over the Xen backend, for dom0 (the tier's
# mpt_conformance test): target_xen.c builds real domains.
$(XEN_CONF_BIN): $(XEN_CONF_SRCS) tests/conformance/conformance.h \
		$(KVM_TEST_LIB_SRCS) $(XEN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $(XEN_CONF_SRCS) $(KVM_TEST_LIB_SRCS) \
		$(XEN_LIB) $(LDFLAGS) $(MPT_XEN_LIBS)
else
mpt-xen: xen-no-headers
XTIER_PROGRAMS :=
endif

xen-no-headers:
	@echo "mpt-xen: not built: Xen's development headers are missing" \
		"($(XEN_DEV_HEADERS) in /usr/include; apt-get install libxen-dev)" >&2

CHECK_BUILD += mpt-xen
CHECK_TESTS += tests/xen/mpt-xen.t tests/xen/keepalive.t $(XTIER_TESTS)
