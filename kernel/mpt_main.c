// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt.ko: the core, the registry and static-call dispatch, and the kernel
 * port, as one module.
 *
 * Loading it does nothing but make the MPT symbol namespace available:
 * backends (mpt_sim.ko, ...) and device models register into it when they
 * load, in any order after it, and the core never requests, looks up or
 * waits for either (no request_module(), no symbol_get(): the i915/kvmgt
 * load-order deadlock cannot happen).  It can be unloaded once every
 * backend and device-model module has gone, which their symbol
 * dependencies enforce.
 */
#include <linux/module.h>

#include <mpt/types.h>
#include <mpt/backend.h>

static int __init mpt_init(void)
{
	pr_info("mpt: core loaded (backend ops ABI %u.%u, static_call dispatch)\n",
		MPT_BACKEND_ABI_MAJOR, MPT_BACKEND_ABI_MINOR);
	return 0;
}

static void __exit mpt_exit(void)
{
}

module_init(mpt_init);
module_exit(mpt_exit);

MODULE_DESCRIPTION("mpt: mediated pass-through core");
MODULE_LICENSE("Dual BSD/GPL");
