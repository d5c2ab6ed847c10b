/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The kernel world of the mgpu tests (tests/mgpu) in mgpu_test.ko.
 *
 * mgpu_test.kbuild includes it after kcompat.h in every object built from
 * tests/mgpu.  mgpu.ko registered the device type "mgpu" when it loaded,
 * which a userspace test program never finds: the fixture's
 * mgpu_register() then borrows that registration instead of failing with
 * -EEXIST, and mgpu_unregister() of it checks that the type could go
 * (-EBUSY while instances exist, as in userspace) and gives it back to
 * mgpu.ko (mgpu_test_main.c).  Each program's main() is renamed
 * kt_main_<name> by mgpu_test.kbuild and declared here.
 */
#ifndef MPT_KTEST_MGPU_KCOMPAT_H
#define MPT_KTEST_MGPU_KCOMPAT_H

#define mgpu_register kt_mgpu_register
#define mgpu_unregister kt_mgpu_unregister

/*
 * Test helpers whose names the kernel's headers (read first, by
 * kcompat.h) already took.
 */
#define set_pte kt_mgx_set_pte

int kt_mgpu_register(void);
int kt_mgpu_unregister(void);

int kt_main_t_mgpu_display(void);
int kt_main_t_mgpu_failsafe(void);
int kt_main_t_mgpu_ggtt(void);
int kt_main_t_mgpu_golden(void);
int kt_main_t_mgpu_regs(void);
int kt_main_t_mgpu_ring(void);
int kt_main_t_mgpu_scanner(void);
int kt_main_t_mgpu_ppgtt(void);
int kt_main_t_mgpu_hostile(void);

#endif /* MPT_KTEST_MGPU_KCOMPAT_H */
