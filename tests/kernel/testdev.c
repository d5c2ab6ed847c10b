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
 * Through VFIO (an mdev of mpt_mdev.ko) BAR0 also has a command block
 * at 0x100 (TESTDEV_* below) with which a test makes the device read,
 * fill and DMA-map guest memory and raise one of its 4 MSI vectors.
 *
 * A write fails with the error of the first instance that could not be
 * made (the ones made before it stay).  The default is no instance.
 */
#include <linux/atomic.h>
#include <linux/highmem.h>
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
#define TESTDEV_MSI_VECTORS 4

/*
 * The command block in BAR0, for tests through VFIO (vfio_client): the
 * device reaches guest memory (mpt_gpa_read/write, mpt_dma_map) and
 * raises interrupts when the guest asks.  Dword registers:
 */
#define TESTDEV_CMD_BASE 0x100
#define TESTDEV_GPA_LO 0x100	/* guest address, low and high */
#define TESTDEV_GPA_HI 0x104
#define TESTDEV_LEN 0x108	/* bytes, at most TESTDEV_MAX_LEN */
#define TESTDEV_PATTERN 0x10c	/* byte FILL writes */
#define TESTDEV_CMD 0x110	/* write: run a TESTDEV_OP_* */
#define TESTDEV_STATUS 0x114	/* its result: 0 or a negative errno */
#define TESTDEV_RESULT 0x118	/* SUM's byte sum, PEEK's dword */
#define TESTDEV_INVALIDATED 0x11c /* DMA invalidations seen */
#define TESTDEV_RAISE 0x120	/* write: raise this MSI vector */
#define TESTDEV_TRACKED 0x124	/* tracked guest writes seen */
#define TESTDEV_CMD_SIZE 0x28
#define TESTDEV_MAX_LEN (64 << 10)

enum testdev_op {
	TESTDEV_OP_FILL = 1,	/* LEN bytes of PATTERN at GPA (write_gpa) */
	TESTDEV_OP_SUM,		/* sum of LEN bytes at GPA (read_gpa) */
	TESTDEV_OP_MAP,		/* map GPA's page for DMA (dma_map) */
	TESTDEV_OP_PEEK,	/* the dword at GPA through that mapping */
	TESTDEV_OP_UNMAP,	/* drop the mapping */
	TESTDEV_OP_TRACK,	/* write-track GPA's page */
	TESTDEV_OP_UNTRACK,	/* stop it */
};

struct testdev {
	struct mpt_vdev vdev;
	u32 regs[TESTDEV_NR_REGS];
	struct mutex cmd_lock;	/* the command block below */
	u64 gpa;
	u32 len;
	u8 pattern;
	s32 status;
	u32 result;
	u32 invalidated;
	bool mapped;		/* dma_addr is valid for gfn */
	u64 map_gfn;
	u64 dma_addr;
	u32 tracked_writes;
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

/* FILL and SUM in chunks: LEN is the guest's, only bounded. */
static int testdev_fill_or_sum(struct testdev *td, bool fill)
{
	u8 buf[256];
	u32 done = 0, sum = 0, i;
	int ret = 0;

	memset(buf, td->pattern, sizeof(buf));
	while (!ret && done < td->len) {
		u32 n = min_t(u32, td->len - done, sizeof(buf));

		if (fill) {
			ret = mpt_gpa_write(&td->vdev, td->gpa + done, buf, n);
		} else {
			ret = mpt_gpa_read(&td->vdev, td->gpa + done, buf, n);
			for (i = 0; !ret && i < n; i++)
				sum += buf[i];
		}
		done += n;
	}
	td->result = sum;
	return ret;
}

/*
 * The dword at GPA through the DMA mapping, as a device would read it.
 * The mapping is taken for the read (mpt_dma_pin) so that a concurrent
 * invalidation is seen rather than reading an unpinned page.
 */
static int testdev_peek(struct testdev *td)
{
	unsigned int off = td->gpa & (PAGE_SIZE - 4);
	void *va;
	int ret;

	if (!td->mapped || td->gpa >> PAGE_SHIFT != td->map_gfn)
		return -ENOENT;
	ret = mpt_dma_pin(&td->vdev, td->dma_addr);
	if (ret)
		return ret;
	va = kmap_local_page(pfn_to_page(td->dma_addr >> PAGE_SHIFT));
	td->result = READ_ONCE(*(u32 *)(va + off));
	kunmap_local(va);
	mpt_dma_unmap(&td->vdev, td->dma_addr);
	return 0;
}

/* A guest write to a tracked page: counted in RESULT. */
static void testdev_tracked_write(struct mpt_vdev *vdev, u64 gpa,
				  const void *data, unsigned int len,
				  void *opaque)
{
	struct testdev *td = opaque;

	WRITE_ONCE(td->tracked_writes, td->tracked_writes + 1);
}

static int testdev_run(struct testdev *td, u32 op)
{
	int ret;

	switch (op) {
	case TESTDEV_OP_FILL:
	case TESTDEV_OP_SUM:
		if (td->len > TESTDEV_MAX_LEN)
			return -EINVAL;
		return testdev_fill_or_sum(td, op == TESTDEV_OP_FILL);
	case TESTDEV_OP_MAP:
		if (td->mapped)
			return -EBUSY;
		ret = mpt_dma_map(&td->vdev, td->gpa >> PAGE_SHIFT, PAGE_SIZE,
				  &td->dma_addr);
		td->mapped = !ret;
		td->map_gfn = td->gpa >> PAGE_SHIFT;
		return ret;
	case TESTDEV_OP_PEEK:
		return testdev_peek(td);
	case TESTDEV_OP_UNMAP:
		if (!td->mapped)
			return -ENOENT;
		td->mapped = false;
		return mpt_dma_unmap(&td->vdev, td->dma_addr);
	case TESTDEV_OP_TRACK:
		return mpt_page_track_add(&td->vdev, td->gpa >> PAGE_SHIFT,
					  testdev_tracked_write, td);
	case TESTDEV_OP_UNTRACK:
		return mpt_page_track_remove(&td->vdev, td->gpa >> PAGE_SHIFT,
					     testdev_tracked_write, td);
	}
	return -EINVAL;
}

static u32 *testdev_cmd_reg(struct testdev *td, u64 offset)
{
	switch (offset) {
	case TESTDEV_LEN:
		return &td->len;
	case TESTDEV_STATUS:
		return (u32 *)&td->status;
	case TESTDEV_RESULT:
		return &td->result;
	case TESTDEV_INVALIDATED:
		return &td->invalidated;
	case TESTDEV_TRACKED:
		return &td->tracked_writes;
	}
	return NULL;
}

static void testdev_cmd_write(struct testdev *td, u64 offset, u32 v)
{
	switch (offset) {
	case TESTDEV_GPA_LO:
		td->gpa = (td->gpa & ~0xffffffffULL) | v;
		return;
	case TESTDEV_GPA_HI:
		td->gpa = (td->gpa & 0xffffffffULL) | (u64)v << 32;
		return;
	case TESTDEV_PATTERN:
		td->pattern = v;
		return;
	case TESTDEV_CMD:
		td->status = testdev_run(td, v);
		return;
	case TESTDEV_RAISE:
		td->status = mpt_vdev_raise_irq(&td->vdev, v);
		return;
	}
	if (offset == TESTDEV_LEN)
		td->len = v;
}

static int testdev_cmds(struct mpt_vdev *vdev, u64 offset, void *data,
			unsigned int len, bool is_write, void *opaque)
{
	struct testdev *td = container_of(vdev, struct testdev, vdev);
	u32 *reg;

	mutex_lock(&td->cmd_lock);
	if (is_write) {
		testdev_cmd_write(td, offset, *(u32 *)data);
	} else {
		reg = testdev_cmd_reg(td, offset);
		*(u32 *)data = reg ? *reg : 0;
	}
	mutex_unlock(&td->cmd_lock);
	return 0;
}

/* The VMM unmapped guest memory: the mapping there is gone. */
static void testdev_dma_invalidated(struct mpt_vdev *vdev, u64 gfn, u64 nr)
{
	struct testdev *td = container_of(vdev, struct testdev, vdev);

	mutex_lock(&td->cmd_lock);
	td->invalidated++;
	if (td->mapped && td->map_gfn >= gfn && td->map_gfn - gfn < nr)
		td->mapped = false;
	mutex_unlock(&td->cmd_lock);
}

static int testdev_init(struct mpt_vdev *vdev)
{
	struct testdev *td = container_of(vdev, struct testdev, vdev);
	int ret = mpt_trap_register(vdev, 0, 0, TESTDEV_NR_REGS * 4,
				    testdev_regs, NULL,
				    MPT_TRAP_SIZE4 | MPT_TRAP_ALIGNED);

	mutex_init(&td->cmd_lock);
	ret = ret ?: mpt_trap_register(vdev, 0, TESTDEV_CMD_BASE,
				       TESTDEV_CMD_SIZE, testdev_cmds, NULL,
				       MPT_TRAP_SIZE4 | MPT_TRAP_ALIGNED);
	if (!ret)
		atomic_inc(&testdev_live);
	return ret;
}

/* A mapping still held is the device's: give it back before detach. */
static void testdev_deactivate(struct mpt_vdev *vdev)
{
	struct testdev *td = container_of(vdev, struct testdev, vdev);

	mutex_lock(&td->cmd_lock);
	if (td->mapped)
		mpt_dma_unmap(vdev, td->dma_addr);
	td->mapped = false;
	mutex_unlock(&td->cmd_lock);
}

static void testdev_release(struct mpt_vdev *vdev)
{
	atomic_dec(&testdev_live);
}

static const struct mpt_vdev_ops testdev_ops = {
	.init = testdev_init,
	.release = testdev_release,
	.deactivate = testdev_deactivate,
	.dma_invalidated = testdev_dma_invalidated,
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
	.msi_vectors = TESTDEV_MSI_VECTORS,
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
