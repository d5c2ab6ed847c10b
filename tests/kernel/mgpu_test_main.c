// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mgpu_test.ko: mgpu's unit tests (tests/mgpu) in the kernel, run at load.
 *
 *   insmod mgpu_test.ko
 *
 * Needs mpt.ko, mpt_sim.ko and mgpu.ko.  One suite, "mgpu", one subtest
 * per test program of tests/mgpu built from the userspace sources over
 * the sim backend (mgpu_fixture.c), printed as KTAP version 1 on the
 * kernel log like mpt_test.ko's (ktap.h).  Threads are kthreads
 * (libc/pthread.h) and loop counts are lower than in userspace
 * (mgpu_test.kbuild); t_mgpu_fill_bw, a benchmark in floating point, stays
 * userspace-only.
 *
 * The module loads (init returns 0) whether or not the tests pass: the
 * last lines are "# Totals: ..." and "# mgpu_test: PASS" or "FAIL".
 */
#include <linux/kernel.h>
#include <linux/module.h>

#include "mgpu.h"

#include "ktap.h"
#include "kworld.h"
#include "mgpu_kcompat.h"

/*
 * The fixture's mgpu_register()/mgpu_unregister() (mgpu_kcompat.h): the
 * real ones below, since this file is not built with the renames.
 */
#undef mgpu_register
#undef mgpu_unregister

static bool mgpu_borrowed;

int kt_mgpu_register(void)
{
	int ret = mgpu_register();

	if (ret == -EEXIST && !mgpu_borrowed) {
		mgpu_borrowed = true;
		return 0;
	}
	return ret;
}

int kt_mgpu_unregister(void)
{
	int ret;

	if (!mgpu_borrowed)
		return mgpu_unregister();
	/* Whether it could go: then it goes back to mgpu.ko at once. */
	ret = mgpu_unregister();
	if (!ret) {
		mgpu_borrowed = false;
		ret = mgpu_register();
		if (ret)
			pr_err("mgpu_test: giving \"mgpu\" back failed: %d\n",
			       ret);
	}
	return ret;
}

static const struct {
	const char *name;
	kt_program_fn fn;
} mt_progs[] = {
	{ "regs", kt_main_t_mgpu_regs },
	{ "golden", kt_main_t_mgpu_golden },
	{ "failsafe", kt_main_t_mgpu_failsafe },
	{ "ggtt", kt_main_t_mgpu_ggtt },
	{ "ring", kt_main_t_mgpu_ring },
	{ "scanner", kt_main_t_mgpu_scanner },
	{ "display", kt_main_t_mgpu_display },
	{ "ppgtt", kt_main_t_mgpu_ppgtt },
	{ "hostile", kt_main_t_mgpu_hostile },
};

static int __init mgpu_test_init(void)
{
	unsigned int i;
	bool usable;

	if (kt_begin(1))
		return -ENOMEM;
	usable = !kt_world_begin();
	kt_suite_begin("mgpu", ARRAY_SIZE(mt_progs));
	for (i = 0; i < ARRAY_SIZE(mt_progs); i++) {
		if (!usable) {
			kt_skip(mt_progs[i].name, "no usable sim backend");
			continue;
		}
		kt_world_prepare();
		mgpu_borrowed = false;
		kt_run(mt_progs[i].name, mt_progs[i].fn);
	}
	kt_suite_end();
	kt_world_end();
	kt_end();
	return 0;
}

static void __exit mgpu_test_exit(void)
{
}

module_init(mgpu_test_init);
module_exit(mgpu_test_exit);
MODULE_IMPORT_NS(MPT);
MODULE_DESCRIPTION("mpt: mgpu's unit tests in the kernel (KTAP)");
MODULE_LICENSE("Dual BSD/GPL");
