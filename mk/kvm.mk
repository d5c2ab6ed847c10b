# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# The KVM backend's programs and tests: mptrun (the VMM), the conformance
# suite over KVM, the backend's own tests, the test guests, bench-kvm.
#
#   make mptrun        $(O)/mptrun, linked with a BACKENDS=kvm library
#   make kvm-tests     everything make check runs from here
#   make bench-kvm     trap and tracking costs on real KVM, JSON
#
# They link $(O)/kvm/libmpt.a, built by a sub-make with BACKENDS=kvm (one
# backend: direct dispatch).  mptrun includes the mgpu device model when
# samples/mgpu has sources; MPTRUN_MGPU=0 leaves it out.

KVM_O := $(O)/kvm
KVM_LIB := $(KVM_O)/libmpt.a

# mgpu comes as libmgpu.a from mk/mgpu.mk, built in the same sub-make.
MPTRUN_MGPU ?= $(if $(wildcard samples/mgpu/*.c),1,0)
KVM_MGPU_LIB := $(if $(filter 1,$(MPTRUN_MGPU)),$(KVM_O)/samples/mgpu/libmgpu.a)
MPTRUN_SRCS := $(wildcard tools/mptrun/*.c)
MPTRUN_HDRS := $(wildcard tools/mptrun/*.h) $(wildcard samples/mgpu/*.h)
MPTRUN_BIN := $(O)/mptrun
MPTRUN_CFLAGS := $(filter-out -fvisibility=hidden,$(CFLAGS_ALL)) \
	-Itools/mptrun -Isamples/mgpu -DMPTRUN_MGPU=$(MPTRUN_MGPU)

VMSTUB_SRCS := tests/kvm/vmstub.c
# The TAP producer only: the fixture is the sim's.
KVM_TEST_LIB_SRCS := tests/lib/tap.c
KVM_CONF_SRCS := $(filter-out tests/conformance/target_%.c,$(wildcard tests/conformance/*.c)) \
	tests/conformance/target_kvm.c
KVM_CONF_BIN := $(O)/tests/conformance/conformance-kvm
KVM_UNIT_SRCS := $(wildcard tests/kvm/t_*.c)
KVM_UNIT_BINS := $(KVM_UNIT_SRCS:%.c=$(O)/%)

# The test guests: freestanding 32-bit ELF images, one source, a few modes.
GUEST_CFLAGS := -m32 -march=i686 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -nostdlib \
	-static -no-pie -O2 -Wall -Wextra -Werror -Itools/mptrun \
	-Isamples/mgpu -Wl,--build-id=none -Wl,--no-warn-rwx-segments
GUEST_DIR := $(O)/tests/kvm/guests
GUEST_MODES := mini exit42 loop triple nonote
GUEST_ELFS := $(GUEST_MODES:%=$(GUEST_DIR)/%.elf) $(GUEST_DIR)/mini64.elf

.PHONY: FORCE-KVM mptrun kvm-tests bench-kvm

FORCE-KVM:

$(KVM_LIB): FORCE-KVM
	@$(MAKE) -s BACKENDS=kvm DISPATCH=direct O=$(KVM_O) $(KVM_LIB) \
		$(KVM_MGPU_LIB)

ifneq ($(KVM_MGPU_LIB),)
$(KVM_MGPU_LIB): $(KVM_LIB) ;
endif

$(MPTRUN_BIN): $(MPTRUN_SRCS) $(MPTRUN_HDRS) $(KVM_LIB) $(KVM_MGPU_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(MPTRUN_CFLAGS) -o $@ $(MPTRUN_SRCS) $(KVM_MGPU_LIB) \
		$(KVM_LIB) $(LDFLAGS) $(LDLIBS) -lpng

mptrun: $(MPTRUN_BIN)

$(KVM_CONF_BIN): $(KVM_CONF_SRCS) $(VMSTUB_SRCS) tests/kvm/vmstub.h \
		$(KVM_TEST_LIB_SRCS) $(KVM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $(KVM_CONF_SRCS) $(VMSTUB_SRCS) \
		$(KVM_TEST_LIB_SRCS) $(KVM_LIB) $(LDFLAGS) $(LDLIBS)

$(O)/tests/kvm/t_%: tests/kvm/t_%.c $(VMSTUB_SRCS) tests/kvm/vmstub.h \
		$(KVM_TEST_LIB_SRCS) $(KVM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(VMSTUB_SRCS) $(KVM_TEST_LIB_SRCS) \
		$(KVM_LIB) $(LDFLAGS) $(LDLIBS)

GUEST_MODE_FLAGS_mini := -Wl,-e,wrong_entry
GUEST_MODE_FLAGS_nonote := -DGUEST_NO_NOTE -Wl,-e,_start
GUEST_MODE_FLAGS_exit42 := -DGUEST_EXIT42 -Wl,-e,_start
GUEST_MODE_FLAGS_loop := -DGUEST_LOOP -Wl,-e,_start
GUEST_MODE_FLAGS_triple := -DGUEST_TRIPLE -Wl,-e,_start

$(GUEST_DIR)/%.elf: tests/kvm/guest_mini.c tests/kvm/guest_mini.lds \
		tools/mptrun/mptrun_abi.h samples/mgpu/mgpu_hw.h
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) $(GUEST_MODE_FLAGS_$*) \
		-Wl,-T,tests/kvm/guest_mini.lds -o $@ $<

# The same guest in an ELF64 container (32-bit code, physical addresses).
$(GUEST_DIR)/mini64.elf: $(GUEST_DIR)/mini.elf
	objcopy -O elf64-x86-64 $< $@

BENCH_KVM_BIN := $(O)/bench/kvm_trap

$(BENCH_KVM_BIN): bench/kvm_trap.c $(VMSTUB_SRCS) tests/kvm/vmstub.h $(KVM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kvm -Ibench -o $@ $< $(VMSTUB_SRCS) $(KVM_LIB) \
		$(LDFLAGS) $(LDLIBS)

BENCH_BW_BIN := $(O)/bench/kvm_bandwidth

$(BENCH_BW_BIN): bench/kvm_bandwidth.c $(VMSTUB_SRCS) tests/kvm/vmstub.h \
		$(KVM_LIB) $(KVM_MGPU_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kvm -Isamples/mgpu -Ibench -o $@ $< $(VMSTUB_SRCS) \
		$(KVM_MGPU_LIB) $(KVM_LIB) $(LDFLAGS) $(LDLIBS)

bench-kvm: $(BENCH_KVM_BIN) $(BENCH_BW_BIN)
	$(BENCH_KVM_BIN)
	$(BENCH_BW_BIN)

kvm-tests: $(MPTRUN_BIN) $(KVM_CONF_BIN) $(KVM_UNIT_BINS) $(GUEST_ELFS)

CHECK_BUILD += kvm-tests
BENCH_EXTRA += bench-kvm
CHECK_TESTS += $(sort $(wildcard tests/kvm/*.t)) $(KVM_UNIT_BINS)
CHECK_DEPS += libpng-dev
