// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt_sim.ko: the software backend (backends/sim/) as a module.
 *
 * Registers the sim backend as "sim" when it loads and unregisters it when
 * it goes.  Its ops table names the module as owner, so while an instance
 * exists on the backend the kernel refuses to unload it ("Module mpt_sim
 * is in use"); the exit below therefore never meets an instance.  The test
 * API of include/mpt/sim.h (guests, fault injection, mpt_sim_register()
 * for further names) is exported in the MPT namespace for test modules.
 */
#include <linux/module.h>

#include <mpt/mpt.h>
#include <mpt/sim.h>

static struct mpt_backend *sim_backend;

static int __init mpt_sim_init(void)
{
	int ret = mpt_sim_register(NULL, &sim_backend);

	if (ret)
		pr_err("mpt_sim: registering the sim backend failed: %d\n", ret);
	return ret;
}

static void __exit mpt_sim_exit(void)
{
	/* Cannot fail here: instances pin this module (ops owner). */
	if (mpt_backend_unregister(sim_backend))
		pr_err("mpt_sim: backend still in use at exit\n");
}

module_init(mpt_sim_init);
module_exit(mpt_sim_exit);

MODULE_DESCRIPTION("mpt: software backend (sim)");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_IMPORT_NS(MPT);
