# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# mgpu, the reference device model (samples/mgpu/), and its tests.
#
#   $(MGPU_LIB)      libmgpu.a: the device model with its golden state, for
#                    VMMs (link it before $(LIB_A))
#   mgpu-tests       the tests/mgpu/t_mgpu_* programs of this build
#   mgpu-check-build what make check needs: the tests of the default build
#                    and of the sanitizer build (build/asan)
#
# The golden-state blob is generated: tools/mgpu-golden (linked with this
# build's libmpt) writes it as a C array into the build directory.

MGPU_SRCS := $(wildcard samples/mgpu/*.c)
MGPU_GOLDEN_TOOL := $(O)/tools/mgpu-golden
MGPU_GOLDEN_C := $(O)/samples/mgpu/mgpu_golden_blob.c
MGPU_OBJS := $(MGPU_SRCS:%.c=$(O)/%.o) $(MGPU_GOLDEN_C:.c=.o)
MGPU_LIB := $(O)/samples/mgpu/libmgpu.a

$(MGPU_GOLDEN_TOOL): tools/mgpu-golden.c samples/mgpu/mgpu_hw.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB_A) $(LDFLAGS) $(LDLIBS)

$(MGPU_GOLDEN_C): $(MGPU_GOLDEN_TOOL)
	@mkdir -p $(dir $@)
	$(MGPU_GOLDEN_TOOL) $@

$(MGPU_GOLDEN_C:.c=.o): $(MGPU_GOLDEN_C) $(FLAGS_STAMP)
	$(CC) $(CFLAGS_ALL) -Isamples/mgpu -MMD -MP -c $< -o $@

$(MGPU_LIB): $(MGPU_OBJS)
	@rm -f $@
	ar rcs $@ $(MGPU_OBJS)

MGPU_TEST_SRCS := $(wildcard tests/mgpu/t_mgpu_*.c)
MGPU_TEST_LIB_SRCS := $(filter-out $(MGPU_TEST_SRCS),$(wildcard tests/mgpu/*.c))
MGPU_TEST_BINS := $(MGPU_TEST_SRCS:%.c=$(O)/%)

$(O)/tests/mgpu/%: tests/mgpu/%.c $(MGPU_TEST_LIB_SRCS) $(TEST_LIB_SRCS) \
		$(MGPU_LIB) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Isamples/mgpu -MMD -MP -o $@ $< \
		$(MGPU_TEST_LIB_SRCS) $(TEST_LIB_SRCS) $(MGPU_LIB) $(LIB_A) \
		$(LDFLAGS) $(LDLIBS)

mgpu-tests: $(MGPU_TEST_BINS)

mgpu-check-build:
	$(MAKE) -s BACKENDS=sim mgpu-tests
	$(MAKE) -s BACKENDS=sim O=$(O)/asan SAN=1 mgpu-tests

CHECK_BUILD += mgpu-check-build
CHECK_TESTS += $(MGPU_TEST_BINS) $(MGPU_TEST_SRCS:%.c=$(O)/asan/%)

.PHONY: mgpu-tests

-include $(MGPU_OBJS:.o=.d) $(MGPU_TEST_BINS:=.d)

# mgpu.ko (samples/mgpu/mgpu.kbuild) compiles the same generated blob:
# make modules copies it next to the links of its kbuild directory.
modules: $(KMOD_SRC)/samples/mgpu/mgpu_golden_blob.c

$(KMOD_SRC)/samples/mgpu/mgpu_golden_blob.c: $(MGPU_GOLDEN_C)
	@mkdir -p $(dir $@)
	cp $< $@
