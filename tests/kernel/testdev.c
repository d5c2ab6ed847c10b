// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt_testdev.ko: a minimal device model, for testing module lifetimes.
 *
 * At load it registers the device type "testdev" (owner THIS_MODULE) and
 * creates the number of instances asked for; at unload it unregisters the
 * type.  Instances live on the sim backend (mpt_sim.ko), attached to one
 * sim guest of 2 MiB, activated, with BAR0 decoded (the sim then holds a
 * claimed area for each).  Each instance pins mpt_testdev.ko (its type's
 * owner) and mpt_sim.ko (its backend's owner), so while any exists the
 * kernel refuses to unload either module ("in use"); once they are
 * destroyed both unload.
 *
 * The knob, a module parameter that is also writable at run time:
 *
 *   insmod mpt_testdev.ko instances=2      load with two instances
 *   echo 0 > /sys/module/mpt_testdev/parameters/instances
 *                                          destroy them (N makes or
 *                                          destroys instances until
 *                                          there are N, at most 16)
 *   cat /sys/module/mpt_testdev/parameters/instances
 *                                          how many this module holds
 *
 * "create" is the same knob under a second name (the kernel tier's
 * stand-in module used it).  Read-only counters, for leak checks:
 *
 *   /sys/module/mpt_testdev/parameters/live        instances whose init
 *       op ran and whose release op has not: 0 once every destroyed
 *       instance has really been freed by the core
 *   /sys/module/mpt_testdev/parameters/violations  breaches of the
 *       backend contract the sim saw on this module's guests
 *
 * A write fails with the error of the first instance that could not be
 * made (the ones made before it stay).  The default is no instance.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include <mpt/mpt.h>
#include <mpt/sim.h>

#define TESTDEV_MAX 16
#define TESTDEV_BAR_SIZE (64 << 10)
#define TESTDEV_BAR_BASE 0xe0000000U
#define TESTDEV_NR_REGS 16

struct testdev {
	struct mpt_vdev vdev;
	u32 regs[TESTDEV_NR_REGS];
};

static DEFINE_MUTEX(testdev_lock);
static struct mpt_vdev *testdev_vdevs[TESTDEV_MAX];
static unsigned int testdev_count; /* instances in testdev_vdevs */
static unsigned int testdev_wanted; /* asked for before init ran */
static bool testdev_ready; /* the type is registered */
static struct mpt_sim_guest *testdev_guest;

static atomic_t testdev_live = ATOMIC_INIT(0);
static unsigned int testdev_violations;

/* The device: BAR0 holds TESTDEV_NR_REGS registers, dword access only. */
static int testdev_regs(struct mpt_vdev *vdev, u64 offset, void *data,
			unsigned int len, bool is_write, void *opaque)
{
	struct testdev *td = container_of(vdev, struct testdev, vdev);
	u32 *reg = &td->regs[offset / 4];

	if (is_write)
		WRITE_ONCE(*reg, *(u32 *)data);
	else
		*(u32 *)data = READ_ONCE(*reg);
	return 0;
}

static int testdev_init(struct mpt_vdev *vdev)
{
	int ret = mpt_trap_register(vdev, 0, 0, TESTDEV_NR_REGS * 4,
				    testdev_regs, NULL,
				    MPT_TRAP_SIZE4 | MPT_TRAP_ALIGNED);

	if (!ret)
		atomic_inc(&testdev_live);
	return ret;
}

static void testdev_release(struct mpt_vdev *vdev)
{
	atomic_dec(&testdev_live);
}

static const struct mpt_vdev_ops testdev_ops = {
	.init = testdev_init,
	.release = testdev_release,
};

static const struct mpt_pci_desc testdev_pci = {
	.vendor_id = 0x1af4,
	.device_id = 0x10f2,
	.subsystem_vendor_id = 0x1af4,
	.subsystem_id = 0x0003,
	.revision = 1,
	.class_code = 0xff0000,
	.bars = {
		[0] = { .type = MPT_BAR_MEM32, .size = TESTDEV_BAR_SIZE },
	},
	.msi_vectors = 1,
};

static const struct mpt_vdev_type testdev_type = {
	.name = "testdev",
	.description = "mpt kernel tier: minimal device model",
	.max_instances = TESTDEV_MAX,
	.instance_size = MPT_VDEV_TYPE_SIZE(struct testdev, vdev),
	.pci = &testdev_pci,
	.ops = &testdev_ops,
	.owner = THIS_MODULE,
};

/* Guest decodes BAR0 at an address of its own for instance @i. */
static int testdev_decode(struct mpt_vdev *vdev, unsigned int i)
{
	u32 bar = TESTDEV_BAR_BASE + i * TESTDEV_BAR_SIZE;
	u32 cmd = MPT_PCI_COMMAND_MEMORY;
	int ret;

	ret = mpt_vdev_cfg_access(vdev, MPT_PCI_BAR0, &bar, 4, true);
	return ret ?: mpt_vdev_cfg_access(vdev, MPT_PCI_COMMAND, &cmd, 2, true);
}

/* One more instance, up and decoding; under testdev_lock. */
static int testdev_add(void)
{
	static const struct mpt_sim_region ram = { 0, 2 << 20 };
	unsigned int i = testdev_count;
	struct mpt_vdev *vdev;
	int ret;

	if (!testdev_guest) {
		testdev_guest = mpt_sim_guest_create(&ram, 1);
		if (!testdev_guest)
			return -ENOMEM;
	}
	ret = mpt_vdev_create(testdev_type.name, "sim", &vdev);
	if (ret)
		return ret;
	ret = mpt_vdev_attach(vdev, testdev_guest);
	ret = ret ?: mpt_vdev_activate(vdev);
	ret = ret ?: testdev_decode(vdev, i);
	if (ret) {
		mpt_vdev_destroy(vdev);
		return ret;
	}
	testdev_vdevs[i] = vdev;
	testdev_count++;
	return 0;
}

/* Destroy the newest instance; under the lock. */
static void testdev_remove(void)
{
	unsigned int i = --testdev_count;

	mpt_vdev_destroy(testdev_vdevs[i]);
	testdev_vdevs[i] = NULL;
}

/* Make or destroy instances until there are @want; under the lock. */
static int testdev_set_count(unsigned int want)
{
	unsigned int had = testdev_count;
	int ret = 0;

	while (!ret && testdev_count < want)
		ret = testdev_add();
	while (testdev_count > want)
		testdev_remove();
	/* No guest without instances. */
	if (!testdev_count && testdev_guest) {
		testdev_violations += mpt_sim_violations(testdev_guest);
		mpt_sim_guest_destroy(testdev_guest);
		testdev_guest = NULL;
	}
	if (testdev_count != had)
		pr_info("mpt_testdev: %u instance(s)\n", testdev_count);
	return ret;
}

static int instances_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n > TESTDEV_MAX)
		return -EINVAL;
	mutex_lock(&testdev_lock);
	if (testdev_ready)
		ret = testdev_set_count(n);
	else
		testdev_wanted = n; /* at load: made once the type exists */
	mutex_unlock(&testdev_lock);
	if (ret)
		pr_err("mpt_testdev: could not make %u instance(s): %d\n", n,
		       ret);
	return ret;
}

static int instances_get(char *buf, const struct kernel_param *kp)
{
	unsigned int n;

	mutex_lock(&testdev_lock);
	n = testdev_ready ? testdev_count : testdev_wanted;
	mutex_unlock(&testdev_lock);
	return sysfs_emit(buf, "%u\n", n);
}

static const struct kernel_param_ops instances_ops = {
	.set = instances_set,
	.get = instances_get,
};
module_param_cb(instances, &instances_ops, NULL, 0644);
MODULE_PARM_DESC(instances,
		 "instances on the sim backend (at load, and written at run time: made or destroyed to match; default 0)");
module_param_cb(create, &instances_ops, NULL, 0644);
MODULE_PARM_DESC(create, "the same as instances");

static int live_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&testdev_live));
}

static const struct kernel_param_ops live_ops = {
	.get = live_get,
};
module_param_cb(live, &live_ops, NULL, 0444);
MODULE_PARM_DESC(live, "instances not yet released by the core (read-only)");

static int violations_get(char *buf, const struct kernel_param *kp)
{
	unsigned int n;

	mutex_lock(&testdev_lock);
	n = testdev_violations;
	if (testdev_guest)
		n += mpt_sim_violations(testdev_guest);
	mutex_unlock(&testdev_lock);
	return sysfs_emit(buf, "%u\n", n);
}

static const struct kernel_param_ops violations_ops = {
	.get = violations_get,
};
module_param_cb(violations, &violations_ops, NULL, 0444);
MODULE_PARM_DESC(violations,
		 "backend contract breaches the sim saw on our guests (read-only)");

static int __init testdev_module_init(void)
{
	int ret = mpt_type_register(&testdev_type);

	if (ret)
		return ret;
	mutex_lock(&testdev_lock);
	testdev_ready = true;
	ret = testdev_set_count(testdev_wanted);
	if (ret) {
		testdev_set_count(0);
		testdev_ready = false;
	}
	mutex_unlock(&testdev_lock);
	if (ret) {
		pr_err("mpt_testdev: could not make %u instance(s): %d\n",
		       testdev_wanted, ret);
		if (mpt_type_unregister(&testdev_type))
			pr_err("mpt_testdev: type still in use\n");
	}
	return ret;
}

static void __exit testdev_module_exit(void)
{
	int ret;

	/* Instances pin this module, so normally there are none left. */
	mutex_lock(&testdev_lock);
	testdev_set_count(0);
	testdev_ready = false;
	mutex_unlock(&testdev_lock);
	ret = mpt_type_unregister(&testdev_type);
	if (ret)
		pr_err("mpt_testdev: type unregister failed: %d\n", ret);
}

module_init(testdev_module_init);
module_exit(testdev_module_exit);
MODULE_IMPORT_NS(MPT);
MODULE_DESCRIPTION("mpt: minimal device model for module-lifetime tests");
MODULE_LICENSE("Dual BSD/GPL");
