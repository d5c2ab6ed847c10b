// SPDX-License-Identifier: GPL-2.0-only
/*
 * mpt_kvmgt_test.ko: the contract of include/mpt/kvmgt.h, as a test
 * harness (the conformance suite) uses it: attach an instance of its own to
 * an mdev a VMM has open and call the backend's ops with its handle.
 *
 *   insmod mpt_kvmgt_test.ko uuid=UUID [absent=UUID2]
 *
 * Load it while a VMM (vfio_client) has the mdev UUID open, has mapped
 * guest memory at IOVA 1 MiB and put KVMGT_TEST_MAGIC at
 * KVMGT_TEST_READ_GPA.  The load runs the checks: the device is found
 * (a malformed, an unknown and, with "absent", an existing but closed
 * mdev are not), an instance of type testdev on backend "kvmgt" attaches
 * to it (a device that is not an mdev's is refused), reads the magic,
 * writes KVMGT_TEST_WRITE_GPA (the VMM checks it), maps a page for DMA,
 * and is refused page tracking (no VM).  The instance stays attached;
 * unloading after the VMM closed the device checks that its guest access
 * now fails with -ENODEV, then detaches and destroys it.
 *
 * Each check prints "mpt_kvmgt_test: ok N - ..." or "not ok"; the load
 * fails with -EINVAL if any failed.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vfio.h>

#include <mpt/kvmgt.h>
#include <mpt/mpt.h>

#define KVMGT_TEST_MAGIC "mpt kvmgt test!"	/* 16 bytes with the NUL */
#define KVMGT_TEST_READ_GPA 0x105000ULL
#define KVMGT_TEST_WRITE_GPA 0x106000ULL
#define KVMGT_TEST_WRITTEN "written by a harness"

static char *uuid;
module_param(uuid, charp, 0444);
MODULE_PARM_DESC(uuid, "the open mdev to attach to");
static char *absent;
module_param(absent, charp, 0444);
MODULE_PARM_DESC(absent, "an mdev that exists but is not open");

static struct vfio_device *kt_vfio;
static struct mpt_vdev *kt_vdev;
static const struct mpt_backend_ops *kt_ops;
static unsigned int kt_n, kt_failed;

static void kt_result(bool ok, const char *what, long got)
{
	kt_n++;
	kt_failed += !ok;
	pr_info("mpt_kvmgt_test: %sok %u - %s (%ld)\n", ok ? "" : "not ", kt_n,
		what, got);
}

static long kt_err(const void *p)
{
	return IS_ERR(p) ? PTR_ERR(p) : 0;
}

static void kt_lookup(void)
{
	struct vfio_device *v;

	v = mpt_kvmgt_get_device("not-a-uuid");
	kt_result(kt_err(v) == -EINVAL, "a malformed UUID: -EINVAL", kt_err(v));
	v = mpt_kvmgt_get_device("00000000-0000-4000-8000-000000000000");
	kt_result(kt_err(v) == -ENOENT, "an unknown UUID: -ENOENT", kt_err(v));
	if (absent) {
		v = mpt_kvmgt_get_device(absent);
		kt_result(kt_err(v) == -ENODEV, "an mdev not open: -ENODEV",
			  kt_err(v));
		if (!IS_ERR(v))
			mpt_kvmgt_put_device(v);
	}
	kt_vfio = mpt_kvmgt_get_device(uuid);
	kt_result(!IS_ERR(kt_vfio), "the open mdev is found", kt_err(kt_vfio));
	if (IS_ERR(kt_vfio))
		kt_vfio = NULL;
	kt_ops = mpt_kvmgt_ops();
	kt_result(kt_ops && !strcmp(mpt_backend_name(mpt_kvmgt_backend()), "kvmgt"),
		  "mpt_kvmgt_backend() and mpt_kvmgt_ops(): \"kvmgt\"", 0);
}

/* A VFIO device that is not an mdev of mpt_mdev: attach refuses it. */
static void kt_attach_foreign(void)
{
	static const struct vfio_device_ops other_ops = { .name = "other" };
	struct vfio_device *fake = kzalloc(sizeof(*fake), GFP_KERNEL);
	struct mpt_vdev *vdev;
	int ret;

	if (!fake || mpt_vdev_create("testdev", "kvmgt", &vdev)) {
		kt_result(false, "a foreign VFIO device: setup", -ENOMEM);
		kfree(fake);
		return;
	}
	fake->ops = &other_ops;
	ret = mpt_vdev_attach(vdev, fake);
	kt_result(ret == -EINVAL, "a foreign VFIO device is refused: -EINVAL",
		  ret);
	mpt_vdev_destroy(vdev);
	kfree(fake);
}

/* The ops, called directly with the handle, as the conformance suite. */
static void kt_ops_direct(void *h)
{
	char buf[sizeof(KVMGT_TEST_MAGIC)] = "";
	u64 dma = 0;
	int ret;

	ret = kt_ops->read_gpa(h, KVMGT_TEST_READ_GPA, buf, sizeof(buf));
	kt_result(!ret && !memcmp(buf, KVMGT_TEST_MAGIC, sizeof(buf)),
		  "read_gpa: the VMM's bytes", ret);
	ret = kt_ops->write_gpa(h, KVMGT_TEST_WRITE_GPA, KVMGT_TEST_WRITTEN,
				sizeof(KVMGT_TEST_WRITTEN));
	kt_result(!ret, "write_gpa", ret);
	ret = kt_ops->read_gpa(h, 1ULL << 40, buf, 4);
	kt_result(ret == -EFAULT, "read_gpa of unmapped memory: -EFAULT", ret);
	ret = kt_ops->dma_map(h, KVMGT_TEST_READ_GPA >> PAGE_SHIFT, PAGE_SIZE,
			      &dma);
	kt_result(!ret && dma, "dma_map of a page", ret);
	if (!ret)
		kt_ops->dma_unmap(h, KVMGT_TEST_READ_GPA >> PAGE_SHIFT,
				  PAGE_SIZE, dma);
	ret = kt_ops->enable_page_track(h, KVMGT_TEST_READ_GPA >> PAGE_SHIFT);
	kt_result(ret == -ENODEV, "page tracking without a VM: -ENODEV", ret);
	kt_result(kt_ops->is_valid_gfn(h, 0), "is_valid_gfn without a VM: true",
		  0);
}

static int __init kvmgt_test_init(void)
{
	void *h;
	int ret;

	if (!uuid)
		return -EINVAL;
	kt_lookup();
	kt_attach_foreign();
	if (!kt_vfio)
		return -EINVAL;
	ret = mpt_vdev_create("testdev", "kvmgt", &kt_vdev);
	ret = ret ?: mpt_vdev_attach(kt_vdev, kt_vfio);
	kt_result(!ret, "an instance of our own attaches to the open mdev", ret);
	h = ret ? NULL : mpt_vdev_backend_handle(kt_vdev);
	if (h)
		kt_ops_direct(h);
	/* The instance holds the device: our reference may go now. */
	mpt_kvmgt_put_device(kt_vfio);
	if (ret && kt_vdev)
		mpt_vdev_destroy(kt_vdev);
	if (ret)
		kt_vdev = NULL;
	pr_info("mpt_kvmgt_test: %u checks, %u failed\n", kt_n, kt_failed);
	if (kt_failed && kt_vdev)
		mpt_vdev_destroy(kt_vdev);
	return kt_failed ? -EINVAL : 0;
}

static void __exit kvmgt_test_exit(void)
{
	char buf[4];
	int ret;

	ret = kt_ops->read_gpa(mpt_vdev_backend_handle(kt_vdev),
			       KVMGT_TEST_READ_GPA, buf, sizeof(buf));
	kt_result(ret == -ENODEV,
		  "after the VMM closed the device: read_gpa -ENODEV", ret);
	ret = mpt_vdev_detach(kt_vdev);
	kt_result(!ret, "detach after the close", ret);
	mpt_vdev_destroy(kt_vdev);
	pr_info("mpt_kvmgt_test: %u checks, %u failed\n", kt_n, kt_failed);
}

module_init(kvmgt_test_init);
module_exit(kvmgt_test_exit);
MODULE_IMPORT_NS(MPT);
MODULE_DESCRIPTION("mpt: the kvmgt.h contract, as a test harness uses it");
MODULE_LICENSE("GPL");
