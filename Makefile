# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# mpt userspace build.
#
#   make run             the main job: the demo guest on KVM through mgpu
#   make                 libmpt.a, libmpt.so, mpt.pc (following .config)
#   make check           the whole test suite (TAP, run by prove)
#   make conformance     the conformance suite over the sim backend, as a report
#   make bench           dispatch benchmarks, JSON
#   make install         PREFIX=/usr/local DESTDIR=
#   make defconfig | menuconfig | olddefconfig
#
# O= puts the output elsewhere (default build/); BACKENDS="sim kvm"
# overrides the configured backends; DISPATCH=direct|table and SAN=1 select
# build variants, which make check builds in build/table and build/asan.
# Components add rules in mk/*.mk and their tests to CHECK_TESTS.

O ?= build
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR ?=
KCONFIG_CONFIG ?= .config
PYTHON := /usr/bin/python3
CC ?= gcc

VERSION := 0.1.0
SOVERSION := 0

# The first target is the default one.
all:

# ---- configuration -------------------------------------------------------

ifeq ($(filter defconfig olddefconfig menuconfig clean,$(MAKECMDGOALS)),)
-include $(KCONFIG_CONFIG)
endif

$(KCONFIG_CONFIG): Kconfig configs/defconfig
	@if [ -f $@ ]; then KCONFIG_CONFIG=$@ $(PYTHON) scripts/kconfig.py olddefconfig; \
	else KCONFIG_CONFIG=$@ $(PYTHON) scripts/kconfig.py defconfig; fi

defconfig olddefconfig menuconfig:
	KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) scripts/kconfig.py $@

# Backends by name, and where each lives.
BACKEND_DIR_sim := backends/sim
BACKEND_DIR_kvm := backends/kvmgt/user
BACKEND_DIR_xen := backends/xengt
# What a backend's code links with (mk/xen.mk checks the headers exist).
BACKEND_LIBS_xen := -lxendevicemodel -lxenforeignmemory -lxenevtchn \
	-lxentoolcore

BACKENDS-$(CONFIG_MPT_BACKEND_SIM) += sim
BACKENDS-$(CONFIG_MPT_BACKEND_KVM) += kvm
BACKENDS-$(CONFIG_MPT_BACKEND_XEN) += xen
# Test variants always have the sim backend: the suite runs over it.
ifeq ($(FORCE_SIM),1)
BACKENDS ?= sim
endif
BACKENDS ?= $(BACKENDS-y)

# One backend: direct calls.  Several (or asked for): the ops table.
ifeq ($(DISPATCH),)
ifeq ($(words $(BACKENDS))$(CONFIG_MPT_TABLE_DISPATCH),1)
DISPATCH := direct
else
DISPATCH := table
endif
endif

ifeq ($(DISPATCH),direct)
DISPATCH_FLAGS := -DMPT_DISPATCH_DIRECT -DMPT_STATIC_BACKEND=$(BACKENDS) \
	-DMPT_STATIC_BACKEND_BIND='"$(BACKEND_DIR_$(BACKENDS))/$(BACKENDS)_bind.h"'
endif

# ---- flags ---------------------------------------------------------------

OPT := -O2
ifeq ($(CONFIG_MPT_DEBUG),y)
OPT := -O0
endif

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wdeclaration-after-statement -Wformat=2 \
	-Wno-format-nonliteral
# -fno-jump-tables: switch statements must not become indirect jumps either
# (the kernel builds retpoline code the same way).
BASE_CFLAGS := -std=gnu11 $(OPT) -g -fPIC -fvisibility=hidden \
	-fno-semantic-interposition -fno-jump-tables $(WARNINGS) \
	-Iinclude -Ios/user -Impt -Icore -I. $(DISPATCH_FLAGS)
ifeq ($(SAN),1)
BASE_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
CFLAGS_ALL := $(BASE_CFLAGS) $(CFLAGS)
LDLIBS := -lpthread $(foreach b,$(BACKENDS),$(BACKEND_LIBS_$(b)))

# ---- library -------------------------------------------------------------

LIB_SRCS := $(wildcard core/*.c) $(wildcard mpt/*.c) os/user/mpt_os.c \
	$(foreach b,$(BACKENDS),$(wildcard $(BACKEND_DIR_$(b))/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
LIB_A := $(O)/libmpt.a
LIB_SO := $(O)/libmpt.so
PC := $(O)/mpt.pc

all: $(KCONFIG_CONFIG) $(LIB_A) $(LIB_SO) $(PC)

# Rebuild when the flags change (another BACKENDS, DISPATCH or SAN in the
# same O=), not only when sources do.
FLAGS_STAMP := $(O)/.flags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(CFLAGS_ALL) $(BACKENDS)' | cmp -s - $@ || \
		echo '$(CFLAGS_ALL) $(BACKENDS)' > $@

$(O)/%.o: %.c $(KCONFIG_CONFIG) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIB_A): $(LIB_OBJS) $(FLAGS_STAMP)
	@rm -f $@
	ar rcs $@ $(LIB_OBJS)

# -Bsymbolic-functions: calls inside the library bind directly, not
# through the PLT (an indirect jump), which the fast-path check verifies.
$(LIB_SO): $(LIB_OBJS) $(FLAGS_STAMP)
	$(CC) -shared -Wl,-soname,libmpt.so.$(SOVERSION) \
		-Wl,-Bsymbolic-functions $(LDFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS)
	ln -sf libmpt.so $@.$(SOVERSION)

# libdir and includedir relative to ${prefix} where they lie under it, so
# pkg-config --define-variable=prefix=... relocates the package.
PC_LIBDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))
PC_INCLUDEDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))
MAKE_PC = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(PC_LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(PC_INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	mpt.pc.in

$(PC): mpt.pc.in Makefile
	@mkdir -p $(dir $@)
	$(MAKE_PC) > $@

install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/mpt
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libmpt.so.$(VERSION)
	ln -sf libmpt.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmpt.so.$(SOVERSION)
	ln -sf libmpt.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libmpt.so
	install -m 644 include/mpt/*.h $(DESTDIR)$(INCLUDEDIR)/mpt/
	$(MAKE_PC) > $(DESTDIR)$(LIBDIR)/pkgconfig/mpt.pc

# ---- tests ---------------------------------------------------------------

TEST_CFLAGS := $(filter-out -fvisibility=hidden,$(CFLAGS_ALL)) -Itests -Itests/lib
UNIT_SRCS := $(wildcard tests/unit/t_*.c)
UNIT_BINS := $(UNIT_SRCS:%.c=$(O)/%)
TEST_LIB_SRCS := $(wildcard tests/lib/*.c)
CONF_SRCS := $(filter-out tests/conformance/target_%.c,$(wildcard tests/conformance/*.c)) \
	tests/conformance/target_sim.c
CONF_BIN := $(O)/tests/conformance/conformance-sim

$(O)/tests/unit/%: tests/unit/%.c $(TEST_LIB_SRCS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -MMD -MP -o $@ $< $(TEST_LIB_SRCS) $(LIB_A) \
		$(LDFLAGS) $(LDLIBS)

$(CONF_BIN): $(CONF_SRCS) $(TEST_LIB_SRCS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $(CONF_SRCS) $(TEST_LIB_SRCS) $(LIB_A) \
		$(LDFLAGS) $(LDLIBS)

tests: all $(UNIT_BINS) $(CONF_BIN)

# What make check runs, one TAP producer per line: unit tests of three
# builds (direct dispatch, table dispatch, sanitizers), the conformance
# suite, and the static checks.
VARIANTS := $(O) $(O)/table $(O)/asan

UNIT_NAMES := $(UNIT_SRCS:tests/%.c=%)

# Components (mk/*.mk) add targets to build first and TAP producers to run.
CHECK_BUILD :=
CHECK_TESTS :=
CHECK_DEPS :=
BENCH_EXTRA :=
-include $(sort $(wildcard mk/*.mk))

check: check-deps
	$(MAKE) -s BACKENDS=sim tests
	$(MAKE) -s BACKENDS=sim O=$(O)/table DISPATCH=table tests
	$(MAKE) -s BACKENDS=sim O=$(O)/asan SAN=1 tests
	$(if $(CHECK_BUILD),$(MAKE) -s $(CHECK_BUILD))
	prove --exec '' --timer \
		$(foreach v,$(VARIANTS),$(UNIT_NAMES:%=$(v)/tests/%)) \
		$(foreach v,$(VARIANTS),$(v)/tests/conformance/conformance-sim) \
		$(CHECK_TESTS) scripts/checks/*.sh

check-deps:
	@scripts/deps.sh python3-kconfiglib linux-headers-amd64 binutils perl \
		pkg-config $(CHECK_DEPS)

conformance:
	$(MAKE) BACKENDS=sim tests
	$(CONF_BIN) --report

# ---- the main job --------------------------------------------------------

# The demo guest draws through one mgpu instance on real KVM; the frame is
# written to $(O)/demo.png and the statistics to $(O)/demo-stats.json.
run: check-deps
	@scripts/kvm-usable.sh || { echo "make run: needs a usable /dev/kvm" \
		"(KVM enabled, read-write access): see README.md" >&2; exit 1; }
	$(MAKE) -s mptrun guests
	$(O)/mptrun --device mgpu --snapshot $(O)/demo.png \
		--stats-file $(O)/demo-stats.json $(O)/guest/demo.elf
	@echo "frame: $(O)/demo.png  statistics: $(O)/demo-stats.json"
	@cat $(O)/demo-stats.json

# ---- benchmarks ----------------------------------------------------------

BENCH_BIN := $(O)/bench/dispatch
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Impt \
	-Ibench -fcf-protection=none -fno-jump-tables -falign-functions=64 \
	-falign-loops=32
BENCH_LOOPS := direct_call static table retpoline
BENCH_FLAGS_direct_call := -DBENCH_PLAIN_CALL
BENCH_FLAGS_static := -DMPT_DISPATCH_DIRECT -DMPT_STATIC_BACKEND=bench
BENCH_FLAGS_retpoline := -mindirect-branch=thunk -mindirect-branch-register

$(O)/bench/loop_%.o: bench/dispatch_loop.c bench/bench_target.h mpt/mpt_dispatch.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(BENCH_FLAGS_$*) -DBENCH_LOOP=bench_loop_$* -c $< -o $@

$(O)/bench/%.o: bench/%.c bench/bench_target.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_BIN): $(O)/bench/dispatch.o $(O)/bench/bench_target.o \
		$(BENCH_LOOPS:%=$(O)/bench/loop_%.o)
	$(CC) -o $@ $^

# Components add their benchmarks (make targets) to BENCH_EXTRA.
bench: $(BENCH_BIN)
	$(BENCH_BIN)
	$(if $(BENCH_EXTRA),$(MAKE) -s $(BENCH_EXTRA))

clean:
	rm -rf $(O)

FORCE:

.PHONY: FORCE all install tests check check-deps conformance bench clean run \
	$(CHECK_BUILD) \
	defconfig olddefconfig menuconfig

-include $(LIB_OBJS:.o=.d) $(UNIT_BINS:=.d)
