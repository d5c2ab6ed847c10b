// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mgpu.ko: the mgpu reference device model (samples/mgpu/) on mpt.ko.
 *
 * Offers the device type "mgpu" to the core when it loads and withdraws
 * it when it goes.  The type names this module as its owner, so while an
 * instance exists the kernel refuses to unload it; the exit below never
 * meets one.  The host API of mgpu.h is exported in the MPT namespace
 * (for VMM modules and mgpu_test.ko).
 */
#include <linux/module.h>

#include "mgpu.h"

static int __init mgpu_init(void)
{
	int ret = mgpu_register();

	if (ret)
		pr_err("mgpu: registering the device type failed: %d\n", ret);
	return ret;
}

static void __exit mgpu_exit(void)
{
	/* Cannot fail here: instances pin this module (type owner). */
	if (mgpu_unregister())
		pr_err("mgpu: device type still in use at exit\n");
}

module_init(mgpu_init);
module_exit(mgpu_exit);

MODULE_DESCRIPTION("mpt: mgpu, the reference mediated GPU");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_IMPORT_NS(MPT);
