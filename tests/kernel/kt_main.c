// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt_test.ko: mpt's tests in the kernel, run at module load.
 *
 *   insmod mpt_test.ko [unit=0] [conformance=0] [conf_only=SUBSTRING]
 *
 * Needs mpt.ko and mpt_sim.ko.  Two suites, printed as KTAP version 1 on
 * the kernel log (KERN_INFO; see ktap.h for the shape):
 *
 * - "unit": the core's unit scenarios of tests/unit over the sim backend,
 *   one subtest per program, the sources themselves (test.kbuild says
 *   how they build unchanged);
 * - "conformance": the backend conformance suite of tests/conformance over
 *   the sim backend (target_sim.c), as the userspace conformance-sim runs
 *   it.
 *
 * The module loads (init returns 0) whether or not the tests pass: the
 * result is in the KTAP output, whose last lines are "# Totals: ..." and
 * "# mpt_test: PASS" or "FAIL".  Everything the tests allocate is freed
 * before init returns, so unloading has nothing left to do.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "ktap.h"
#include "kworld.h"

static bool unit = true;
module_param(unit, bool, 0444);
MODULE_PARM_DESC(unit, "run the unit scenarios (default: yes)");

static bool conformance = true;
module_param(conformance, bool, 0444);
MODULE_PARM_DESC(conformance, "run the conformance suite (default: yes)");

static char *conf_only;
module_param(conf_only, charp, 0444);
MODULE_PARM_DESC(conf_only,
		 "run only the conformance cases whose name contains this");

static const struct {
	const char *name;
	kt_program_fn fn;
} kt_unit[] = {
	{ "smoke", kt_main_t_smoke },
	{ "registry", kt_main_t_registry },
	{ "lifecycle", kt_main_t_lifecycle },
	{ "trap", kt_main_t_trap },
	{ "cfg_space", kt_main_t_cfg_space },
	{ "irq", kt_main_t_irq },
	{ "page_track", kt_main_t_page_track },
	{ "dma_cache", kt_main_t_dma_cache },
	{ "gpa", kt_main_t_gpa },
	{ "pvinfo", kt_main_t_pvinfo },
	{ "golden", kt_main_t_golden },
	{ "fault_sweep", kt_main_t_fault_sweep },
};

/* The conformance suite over the sim backend, as conformance-sim runs. */
static int kt_conformance_sim(void)
{
	char *argv[] = { "conformance-sim", "--only", conf_only, NULL };

	return kt_main_target_sim(conf_only ? 3 : 1, argv);
}

static void run_unit(bool usable)
{
	unsigned int i;

	kt_suite_begin("unit", ARRAY_SIZE(kt_unit));
	for (i = 0; i < ARRAY_SIZE(kt_unit); i++) {
		if (!unit) {
			kt_skip(kt_unit[i].name, "unit=0");
		} else if (!usable) {
			kt_skip(kt_unit[i].name, "no usable sim backend");
		} else {
			kt_world_prepare();
			kt_run(kt_unit[i].name, kt_unit[i].fn);
		}
	}
	kt_suite_end();
}

static void run_conformance(bool usable)
{
	kt_suite_begin("conformance", 1);
	if (!conformance) {
		kt_skip("sim", "conformance=0");
	} else if (!usable) {
		kt_skip("sim", "no usable sim backend");
	} else {
		kt_world_prepare();
		kt_run("sim", kt_conformance_sim);
	}
	kt_suite_end();
}

static int __init mpt_test_init(void)
{
	bool usable;

	if (kt_begin(2))
		return -ENOMEM;
	usable = !kt_world_begin();
	run_unit(usable);
	run_conformance(usable);
	kt_world_end();
	kt_end();
	return 0;
}

static void __exit mpt_test_exit(void)
{
}

module_init(mpt_test_init);
module_exit(mpt_test_exit);
MODULE_IMPORT_NS(MPT);
MODULE_DESCRIPTION("mpt: unit scenarios and backend conformance in the kernel (KTAP)");
MODULE_LICENSE("Dual BSD/GPL");
