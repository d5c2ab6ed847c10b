// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The kernel tier's self-test (run.sh --canary, tests/kernel/
 * tier-selftest.t): a module whose load raises a kernel WARNING and writes
 * one byte past a slab object, into the red zone the slab checker
 * (slub_debug=FZP) puts there.  A boot that loads it must be failed by the
 * host for both: proof that kernel warnings reach the captured console
 * although the guest boots quiet, and that the slab checker is on.  The
 * byte lands in the red zone, which the checker restores, so the guest
 * runs on.
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>

static int __init canary_init(void)
{
	char *p = kmalloc(32, GFP_KERNEL);

	WARN(1, "mpt kernel tier canary\n");
	if (p) {
		OPTIMIZER_HIDE_VAR(p);
		p[32] = 0x5a;
		kfree(p);
	}
	return 0;
}

static void __exit canary_exit(void)
{
}

module_init(canary_init);
module_exit(canary_exit);
MODULE_DESCRIPTION("mpt kernel tier: a WARNING and a red-zone write at load (self-test)");
MODULE_LICENSE("Dual BSD/GPL");
