// SPDX-License-Identifier: GPL-2.0-only
/*
 * mpt_mdev.ko: the kernel KVM backend "kvmgt" as a vfio-mdev parent (a
 * first slice).
 *
 * (1) The mpt backend "kvmgt".  Its guest is the VFIO device of an mdev
 *     instance (struct mpt_mdev_state): attach stores it as the handle;
 *     inject_msi signals the eventfd set by VFIO_DEVICE_SET_IRQS (MSI,
 *     ACTION_TRIGGER); read_gpa/write_gpa use vfio_dma_rw(); dma_map and
 *     dma_unmap pin and unpin with vfio_pin_pages()/vfio_unpin_pages(),
 *     and VFIO's dma_unmap callback calls mpt_dma_invalidate().  Page
 *     tracking (kvm_page_track), gfn_to_pfn, is_valid_gfn, trap areas and
 *     frame mappings are not implemented yet: those optional ops are absent
 *     and the core answers -EOPNOTSUPP (or its documented default).
 *
 * (2) An mdev parent, the class device /sys/class/mpt_mdev/mpt_mdev, with
 *     one mdev type "mpt_mdev-<name>" per mpt device type registered when
 *     this module loads, among those named by the parameter "types"
 *     (default "testdev,mgpu"; the core has no type-listing API).  Since
 *     6.1 the types are fixed at mdev_register_parent(): types registered
 *     after mpt_mdev loads are not offered until it is reloaded.
 *
 *     Creating an mdev (echo UUID > .../create) creates the mpt instance
 *     (mpt_vdev_create on "kvmgt"), so the type's max_instances bounds
 *     the mdevs and both the type's module and this one are held while
 *     the mdev exists.  Opening the VFIO device attaches and activates it;
 *     closing deactivates and detaches it; removing the mdev destroys it.
 *     Regions: the config space (VFIO_PCI_CONFIG_REGION_INDEX, 256 bytes,
 *     mpt_vdev_cfg_access) and BARs 0-5 (mpt_vdev_bar_rw), at index << 40.
 *     Interrupts: MSI, one eventfd (vector 0) in this slice.
 */
#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/iommu.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include <mpt/mpt.h>

#define MPT_MDEV_NAME "mpt_mdev"
#define MPT_MDEV_BACKEND "kvmgt"
#define MPT_MDEV_MAX_TYPES 8
#define MPT_MDEV_CFG_SIZE 256
#define MPT_MDEV_SHIFT 40
#define MPT_MDEV_INDEX(pos) ((pos) >> MPT_MDEV_SHIFT)
#define MPT_MDEV_OFFSET(pos) ((pos) & ((1ULL << MPT_MDEV_SHIFT) - 1))
#define MPT_MDEV_POS(index) ((u64)(index) << MPT_MDEV_SHIFT)

struct mpt_mdev_state {
	struct vfio_device vfio;
	struct mpt_vdev *vdev;
	struct mutex lock;	/* open/close, ioctls changing state */
	spinlock_t irq_lock;	/* msi_trigger */
	struct eventfd_ctx *msi_trigger;
};

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

/* ---- the backend ------------------------------------------------------ */

static int kvmgt_attach(struct mpt_backend *backend, void *guest,
			struct mpt_vdev *vdev, void **handle)
{
	if (!guest)
		return -EINVAL;
	*handle = guest;
	return 0;
}

static void kvmgt_detach(void *handle)
{
}

static int kvmgt_inject_msi(void *handle, u64 addr, u32 data)
{
	struct mpt_mdev_state *st = handle;
	unsigned long flags;
	int ret = -EIO;

	spin_lock_irqsave(&st->irq_lock, flags);
	if (st->msi_trigger) {
		eventfd_signal(st->msi_trigger, 1);
		ret = 0;
	}
	spin_unlock_irqrestore(&st->irq_lock, flags);
	return ret;
}

static int kvmgt_rw_gpa(void *handle, u64 gpa, void *buf, size_t len,
			bool write)
{
	struct mpt_mdev_state *st = handle;
	int ret;

	if (!len)
		return 0;
	ret = vfio_dma_rw(&st->vfio, gpa, buf, len, write);
	return ret ? -EFAULT : 0;
}

static int kvmgt_read_gpa(void *handle, u64 gpa, void *buf, size_t len)
{
	return kvmgt_rw_gpa(handle, gpa, buf, len, false);
}

static int kvmgt_write_gpa(void *handle, u64 gpa, const void *buf, size_t len)
{
	return kvmgt_rw_gpa(handle, gpa, (void *)buf, len, true);
}

static int kvmgt_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr)
{
	struct mpt_mdev_state *st = handle;
	int npage = size >> PAGE_SHIFT;
	struct page **pages;
	int i, ret;

	if (!npage)
		return -EINVAL;
	pages = kcalloc(npage, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	ret = vfio_pin_pages(&st->vfio, gfn << PAGE_SHIFT, npage,
			     IOMMU_READ | IOMMU_WRITE, pages);
	if (ret != npage) {
		if (ret > 0)
			vfio_unpin_pages(&st->vfio, gfn << PAGE_SHIFT, ret);
		ret = ret < 0 && ret != -EINVAL ? ret : -EFAULT;
		goto out;
	}
	/* A multi-page mapping needs host-contiguous pages. */
	for (i = 1; i < npage; i++) {
		if (page_to_pfn(pages[i]) != page_to_pfn(pages[0]) + i) {
			vfio_unpin_pages(&st->vfio, gfn << PAGE_SHIFT, npage);
			ret = -EFAULT;
			goto out;
		}
	}
	/* No IOMMU in front of a mediated device: the bus address is physical. */
	*dma_addr = page_to_phys(pages[0]);
	ret = 0;
out:
	kfree(pages);
	return ret;
}

static void kvmgt_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr)
{
	struct mpt_mdev_state *st = handle;

	vfio_unpin_pages(&st->vfio, gfn << PAGE_SHIFT, size >> PAGE_SHIFT);
}

static const struct mpt_backend_ops kvmgt_ops = {
	.abi_version = MPT_BACKEND_ABI_VERSION,
	.size = sizeof(struct mpt_backend_ops),
	.name = MPT_MDEV_BACKEND,
	.attach = kvmgt_attach,
	.detach = kvmgt_detach,
	.inject_msi = kvmgt_inject_msi,
	.read_gpa = kvmgt_read_gpa,
	.write_gpa = kvmgt_write_gpa,
	.dma_map = kvmgt_dma_map,
	.dma_unmap = kvmgt_dma_unmap,
	.owner = THIS_MODULE,
};

/* ---- the VFIO device -------------------------------------------------- */

static struct mpt_mdev_state *to_state(struct vfio_device *vfio)
{
	return container_of(vfio, struct mpt_mdev_state, vfio);
}

static int mpt_mdev_open(struct vfio_device *vfio)
{
	struct mpt_mdev_state *st = to_state(vfio);
	int ret;

	mutex_lock(&st->lock);
	ret = mpt_vdev_attach(st->vdev, st);
	if (!ret) {
		ret = mpt_vdev_activate(st->vdev);
		if (ret)
			mpt_vdev_detach(st->vdev);
	}
	mutex_unlock(&st->lock);
	return ret;
}

static void mpt_mdev_set_trigger(struct mpt_mdev_state *st,
				 struct eventfd_ctx *ctx)
{
	struct eventfd_ctx *old;
	unsigned long flags;

	spin_lock_irqsave(&st->irq_lock, flags);
	old = st->msi_trigger;
	st->msi_trigger = ctx;
	spin_unlock_irqrestore(&st->irq_lock, flags);
	if (old)
		eventfd_ctx_put(old);
}

static void mpt_mdev_close(struct vfio_device *vfio)
{
	struct mpt_mdev_state *st = to_state(vfio);

	mutex_lock(&st->lock);
	if (mpt_vdev_state(st->vdev) == MPT_VDEV_ACTIVE)
		mpt_vdev_deactivate(st->vdev);
	mpt_vdev_detach(st->vdev);
	mpt_mdev_set_trigger(st, NULL);
	mutex_unlock(&st->lock);
}

static void mpt_mdev_dma_unmap(struct vfio_device *vfio, u64 iova, u64 length)
{
	struct mpt_mdev_state *st = to_state(vfio);
	u64 first = iova >> PAGE_SHIFT;
	u64 last = (iova + length - 1) >> PAGE_SHIFT;

	if (!length)
		return;
	mpt_dma_invalidate(st->vdev, first, last - first + 1);
}

static u64 mpt_mdev_region_size(struct mpt_mdev_state *st, unsigned int index)
{
	const struct mpt_pci_desc *pci = st->vdev->type->pci;

	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return MPT_MDEV_CFG_SIZE;
	if (index <= VFIO_PCI_BAR5_REGION_INDEX && pci &&
	    pci->bars[index].type != MPT_BAR_NONE)
		return pci->bars[index].size;
	return 0;
}

static ssize_t mpt_mdev_rw(struct vfio_device *vfio, char __user *ubuf,
			   size_t count, loff_t *ppos, bool is_write)
{
	struct mpt_mdev_state *st = to_state(vfio);
	unsigned int index = MPT_MDEV_INDEX((u64)*ppos);
	u64 off = MPT_MDEV_OFFSET((u64)*ppos);
	u64 size = mpt_mdev_region_size(st, index);
	size_t done = 0;
	u8 buf[8];
	int ret;

	if (!size || off >= size || count > size - off)
		return -EINVAL;
	while (done < count) {
		size_t n;

		if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
			u64 o = off + done;

			if (count - done >= 4 && !(o & 3))
				n = 4;
			else if (count - done >= 2 && !(o & 1))
				n = 2;
			else
				n = 1;
		} else {
			n = min_t(size_t, count - done, sizeof(buf));
		}
		if (is_write && copy_from_user(buf, ubuf + done, n))
			return -EFAULT;
		if (index == VFIO_PCI_CONFIG_REGION_INDEX)
			ret = mpt_vdev_cfg_access(st->vdev, off + done, buf, n,
						  is_write);
		else
			ret = mpt_vdev_bar_rw(st->vdev, index, off + done, buf,
					      n, is_write);
		if (ret)
			return done ? (ssize_t)done : ret;
		if (!is_write && copy_to_user(ubuf + done, buf, n))
			return -EFAULT;
		done += n;
	}
	*ppos += done;
	return done;
}

static ssize_t mpt_mdev_read(struct vfio_device *vfio, char __user *buf,
			     size_t count, loff_t *ppos)
{
	return mpt_mdev_rw(vfio, buf, count, ppos, false);
}

static ssize_t mpt_mdev_write(struct vfio_device *vfio, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	return mpt_mdev_rw(vfio, (char __user *)buf, count, ppos, true);
}

static int mpt_mdev_set_irqs(struct mpt_mdev_state *st, unsigned long arg)
{
	const struct mpt_pci_desc *pci = st->vdev->type->pci;
	unsigned int nvec = pci ? pci->msi_vectors : 0;
	struct vfio_irq_set hdr;
	struct eventfd_ctx *ctx;
	size_t data_size = 0;
	s32 fd;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg,
			   offsetofend(struct vfio_irq_set, count)))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, nvec,
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (hdr.index != VFIO_PCI_MSI_IRQ_INDEX || !nvec)
		return -EINVAL;
	if (!(hdr.flags & VFIO_IRQ_SET_ACTION_TRIGGER))
		return -ENOTTY;
	/* One eventfd, vector 0, in this slice. */
	if (hdr.start != 0)
		return -EINVAL;
	if (hdr.flags & VFIO_IRQ_SET_DATA_NONE) {
		if (!hdr.count) {
			mpt_mdev_set_trigger(st, NULL);
			return 0;
		}
		return kvmgt_inject_msi(st, 0, 0);
	}
	if (!(hdr.flags & VFIO_IRQ_SET_DATA_EVENTFD) || hdr.count != 1)
		return -EINVAL;
	if (copy_from_user(&fd, (void __user *)(arg + sizeof(hdr)), sizeof(fd)))
		return -EFAULT;
	if (fd < 0) {
		mpt_mdev_set_trigger(st, NULL);
		return 0;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	mpt_mdev_set_trigger(st, ctx);
	return 0;
}

static long mpt_mdev_ioctl(struct vfio_device *vfio, unsigned int cmd,
			   unsigned long arg)
{
	struct mpt_mdev_state *st = to_state(vfio);
	const struct mpt_pci_desc *pci = st->vdev->type->pci;
	unsigned long minsz;
	int ret;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO: {
		struct vfio_device_info info;

		minsz = offsetofend(struct vfio_device_info, num_irqs);
		if (copy_from_user(&info, (void __user *)arg, minsz))
			return -EFAULT;
		if (info.argsz < minsz)
			return -EINVAL;
		info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
		info.num_regions = VFIO_PCI_NUM_REGIONS;
		info.num_irqs = VFIO_PCI_NUM_IRQS;
		return copy_to_user((void __user *)arg, &info, minsz) ?
			       -EFAULT : 0;
	}
	case VFIO_DEVICE_GET_REGION_INFO: {
		struct vfio_region_info info;
		u64 size;

		minsz = offsetofend(struct vfio_region_info, offset);
		if (copy_from_user(&info, (void __user *)arg, minsz))
			return -EFAULT;
		if (info.argsz < minsz)
			return -EINVAL;
		if (info.index >= VFIO_PCI_NUM_REGIONS)
			return -EINVAL;
		size = mpt_mdev_region_size(st, info.index);
		info.offset = MPT_MDEV_POS(info.index);
		info.size = size;
		info.flags = size ? VFIO_REGION_INFO_FLAG_READ |
					    VFIO_REGION_INFO_FLAG_WRITE : 0;
		info.cap_offset = 0;
		return copy_to_user((void __user *)arg, &info, minsz) ?
			       -EFAULT : 0;
	}
	case VFIO_DEVICE_GET_IRQ_INFO: {
		struct vfio_irq_info info;

		minsz = offsetofend(struct vfio_irq_info, count);
		if (copy_from_user(&info, (void __user *)arg, minsz))
			return -EFAULT;
		if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
			return -EINVAL;
		info.flags = 0;
		info.count = 0;
		if (info.index == VFIO_PCI_MSI_IRQ_INDEX && pci &&
		    pci->msi_vectors) {
			info.flags = VFIO_IRQ_INFO_EVENTFD;
			info.count = 1;
		}
		return copy_to_user((void __user *)arg, &info, minsz) ?
			       -EFAULT : 0;
	}
	case VFIO_DEVICE_SET_IRQS:
		mutex_lock(&st->lock);
		ret = mpt_mdev_set_irqs(st, arg);
		mutex_unlock(&st->lock);
		return ret;
	case VFIO_DEVICE_RESET:
		return mpt_vdev_reset(st->vdev);
	}
	return -ENOTTY;
}

static int mpt_mdev_init_dev(struct vfio_device *vfio)
{
	struct mpt_mdev_state *st = to_state(vfio);

	mutex_init(&st->lock);
	spin_lock_init(&st->irq_lock);
	return 0;
}

/* The last reference of the vfio_device: 6.1 requires the driver to free. */
static void mpt_mdev_release_dev(struct vfio_device *vfio)
{
	vfio_free_device(vfio);
}

static const struct vfio_device_ops mpt_mdev_vfio_ops = {
	.name = MPT_MDEV_NAME,
	.init = mpt_mdev_init_dev,
	.release = mpt_mdev_release_dev,
	.open_device = mpt_mdev_open,
	.close_device = mpt_mdev_close,
	.read = mpt_mdev_read,
	.write = mpt_mdev_write,
	.ioctl = mpt_mdev_ioctl,
	.dma_unmap = mpt_mdev_dma_unmap,
};

/* ---- the mdev parent -------------------------------------------------- */

static const char *mpt_mdev_type_name(struct mdev_type *mtype)
{
	return container_of(mtype, struct mpt_mdev_type, mtype)->name;
}

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
	return sysfs_emit(buf, "mpt device type %s\n",
			  mpt_mdev_type_name(mtype));
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
			if (mpt_type_available(t->name) >= 0) {
				t->mtype.sysfs_name = t->name;
				t->mtype.pretty_name = t->name;
				mpt_mdev_type_ptrs[mpt_mdev_nr_types++] =
					&t->mtype;
			}
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
		pr_err(MPT_MDEV_NAME ": none of the types '%s' is registered\n",
		       types);
		return -ENODEV;
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
