// SPDX-License-Identifier: GPL-2.0-only
/*
 * mpt_mdev.ko: the kernel KVM backend "kvmgt" as a vfio-mdev parent.
 *
 * The parent is the class device /sys/class/mpt_mdev/mpt_mdev, with one
 * mdev type "mpt_mdev-<name>" per mpt device type named by the parameter
 * "types" (default "testdev,mgpu").  Since 6.1 the mdev types are fixed
 * at mdev_register_parent(), but device models may load before or after
 * this module (every load order must work): so every named type is
 * offered whether its device model is loaded or not; until it is, the type
 * has no available instances, its description says so, and creating one
 * fails (-ENOENT from mpt_vdev_create()).
 *
 * Creating an mdev (echo UUID > .../create) creates the mpt instance
 * (mpt_vdev_create on "kvmgt"), so the type's max_instances bounds the
 * mdevs and both the type's module and this one are held while the mdev
 * exists.  Removing the mdev destroys it.
 */
#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/string.h>

#include <mpt/kvmgt.h>

#include "mpt_mdev.h"

#define MPT_MDEV_MAX_TYPES 8

struct mpt_mdev_type {
	struct mdev_type mtype;
	char name[32];
};

static char *types = "testdev,mgpu";
module_param(types, charp, 0444);
MODULE_PARM_DESC(types, "mpt device types to offer, if registered at load");

static struct mpt_backend *mpt_mdev_backend;
static struct class *mpt_mdev_class;
static struct device *mpt_mdev_dev;
static struct mdev_parent mpt_mdev_parent;
static struct mpt_mdev_type mpt_mdev_types[MPT_MDEV_MAX_TYPES];
static struct mdev_type *mpt_mdev_type_ptrs[MPT_MDEV_MAX_TYPES];
static unsigned int mpt_mdev_nr_types;

static const char *mpt_mdev_type_name(struct mdev_type *mtype)
{
	return container_of(mtype, struct mpt_mdev_type, mtype)->name;
}

struct mpt_backend *mpt_kvmgt_backend(void)
{
	return mpt_mdev_backend;
}
EXPORT_SYMBOL_NS_GPL(mpt_kvmgt_backend, MPT);

static int mpt_mdev_probe(struct mdev_device *mdev)
{
	struct mpt_mdev_state *st;
	int ret;

	st = vfio_alloc_device(mpt_mdev_state, vfio, &mdev->dev,
			       &mpt_mdev_vfio_ops);
	if (IS_ERR(st))
		return PTR_ERR(st);
	ret = mpt_vdev_create(mpt_mdev_type_name(mdev->type), MPT_MDEV_BACKEND,
			      &st->vdev);
	if (ret) {
		dev_info(&mdev->dev, "cannot create a '%s' instance: %d\n",
			 mpt_mdev_type_name(mdev->type), ret);
		goto put;
	}
	ret = vfio_register_emulated_iommu_dev(&st->vfio);
	if (ret)
		goto destroy;
	dev_set_drvdata(&mdev->dev, st);
	mpt_mdev_list_add(st);
	return 0;
destroy:
	mpt_vdev_destroy(st->vdev);
put:
	vfio_put_device(&st->vfio);
	return ret;
}

static void mpt_mdev_remove(struct mdev_device *mdev)
{
	struct mpt_mdev_state *st = dev_get_drvdata(&mdev->dev);

	mpt_mdev_list_del(st);
	/* Waits for the VMM to close the device (see the request op). */
	vfio_unregister_group_dev(&st->vfio);
	mpt_vdev_destroy(st->vdev);
	vfio_put_device(&st->vfio);
}

static unsigned int mpt_mdev_get_available(struct mdev_type *mtype)
{
	int n = mpt_type_available(mpt_mdev_type_name(mtype));

	return n > 0 ? n : 0;
}

static ssize_t mpt_mdev_show_description(struct mdev_type *mtype, char *buf)
{
	const char *name = mpt_mdev_type_name(mtype);

	return sysfs_emit(buf, "mpt device type %s%s\n", name,
			  mpt_type_available(name) < 0 ?
				  " (not registered: load its device model)" :
				  "");
}

static struct mdev_driver mpt_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = MPT_MDEV_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = mpt_mdev_probe,
	.remove = mpt_mdev_remove,
	.get_available = mpt_mdev_get_available,
	.show_description = mpt_mdev_show_description,
};

static void mpt_mdev_find_types(void)
{
	const char *p = types;

	while (p && *p && mpt_mdev_nr_types < MPT_MDEV_MAX_TYPES) {
		struct mpt_mdev_type *t = &mpt_mdev_types[mpt_mdev_nr_types];
		size_t len = strcspn(p, ",");

		if (len && len < sizeof(t->name)) {
			memcpy(t->name, p, len);
			t->name[len] = 0;
			t->mtype.sysfs_name = t->name;
			t->mtype.pretty_name = t->name;
			mpt_mdev_type_ptrs[mpt_mdev_nr_types++] = &t->mtype;
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

static int __init mpt_mdev_init(void)
{
	int ret;

	mpt_mdev_find_types();
	if (!mpt_mdev_nr_types) {
		pr_err(MPT_MDEV_NAME ": no type named in types='%s'\n", types);
		return -EINVAL;
	}
	ret = mpt_backend_register(&kvmgt_ops, NULL, NULL, &mpt_mdev_backend);
	if (ret)
		return ret;
	ret = mdev_register_driver(&mpt_mdev_driver);
	if (ret)
		goto backend;
	mpt_mdev_class = class_create(THIS_MODULE, MPT_MDEV_NAME);
	if (IS_ERR(mpt_mdev_class)) {
		ret = PTR_ERR(mpt_mdev_class);
		goto driver;
	}
	mpt_mdev_dev = device_create(mpt_mdev_class, NULL, MKDEV(0, 0), NULL,
				     MPT_MDEV_NAME);
	if (IS_ERR(mpt_mdev_dev)) {
		ret = PTR_ERR(mpt_mdev_dev);
		goto class;
	}
	ret = mdev_register_parent(&mpt_mdev_parent, mpt_mdev_dev,
				   &mpt_mdev_driver, mpt_mdev_type_ptrs,
				   mpt_mdev_nr_types);
	if (ret)
		goto device;
	pr_info(MPT_MDEV_NAME ": backend '" MPT_MDEV_BACKEND "', %u mdev types\n",
		mpt_mdev_nr_types);
	return 0;
device:
	device_destroy(mpt_mdev_class, MKDEV(0, 0));
class:
	class_destroy(mpt_mdev_class);
driver:
	mdev_unregister_driver(&mpt_mdev_driver);
backend:
	if (mpt_backend_unregister(mpt_mdev_backend))
		pr_err(MPT_MDEV_NAME ": backend still in use\n");
	return ret;
}

static void __exit mpt_mdev_exit(void)
{
	mdev_unregister_parent(&mpt_mdev_parent);
	device_destroy(mpt_mdev_class, MKDEV(0, 0));
	class_destroy(mpt_mdev_class);
	mdev_unregister_driver(&mpt_mdev_driver);
	/* Every instance held this module: none is left. */
	if (mpt_backend_unregister(mpt_mdev_backend))
		pr_err(MPT_MDEV_NAME ": backend still in use\n");
}

module_init(mpt_mdev_init);
module_exit(mpt_mdev_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mpt: the kvmgt backend as a vfio-mdev parent");
MODULE_IMPORT_NS(MPT);
/* VFIO_SET_IOMMU needs the type1 container for the emulated-IOMMU groups. */
MODULE_SOFTDEP("pre: vfio_iommu_type1");
