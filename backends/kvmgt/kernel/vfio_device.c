// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VFIO device of an mdev, as a VMM (QEMU's vfio-pci, mptrun --vfio)
 * drives it.  Opening attaches and activates the mpt instance; closing
 * deactivates and detaches it; the session (session.c) links the VM and
 * bounds what other instances attached to the mdev may do.  Regions: the
 * config space (VFIO_PCI_CONFIG_REGION_INDEX, 256 bytes,
 * mpt_vdev_cfg_access) and BARs 0-5 (mpt_vdev_bar_rw), at index << 40.  Interrupts (msi.c): MSI, one
 * eventfd per vector, and the request eventfd.  VFIO's dma_unmap
 * callback invalidates the range in every instance attached to the mdev.
 */
#include <linux/uaccess.h>

#include "mpt_mdev.h"

static struct mpt_mdev_state *to_state(struct vfio_device *vfio)
{
	return to_mdev_state(vfio);
}

/* The mdev's own instance, attached for the session the open starts. */
static int mpt_mdev_attach_own(struct mpt_mdev_state *st)
{
	int ret = mpt_vdev_attach(st->vdev, &st->vfio);

	if (ret)
		return ret;
	ret = mpt_vdev_activate(st->vdev);
	if (ret)
		mpt_vdev_detach(st->vdev);
	return ret;
}

static int mpt_mdev_open(struct vfio_device *vfio)
{
	struct mpt_mdev_state *st = to_state(vfio);
	int ret;

	mutex_lock(&st->lock);
	ret = mpt_mdev_session_begin(st);
	if (!ret) {
		ret = mpt_mdev_attach_own(st);
		if (ret)
			mpt_mdev_session_end(st);
	}
	mutex_unlock(&st->lock);
	return ret;
}

static void mpt_mdev_close(struct vfio_device *vfio)
{
	struct mpt_mdev_state *st = to_state(vfio);

	mutex_lock(&st->lock);
	if (mpt_vdev_state(st->vdev) == MPT_VDEV_ACTIVE)
		mpt_vdev_deactivate(st->vdev);
	mpt_vdev_detach(st->vdev);
	mpt_mdev_session_end(st);
	mpt_mdev_clear_irqs(st);
	mpt_mdev_display_release(st);
	mutex_unlock(&st->lock);
}

static void mpt_mdev_dma_unmap(struct vfio_device *vfio, u64 iova, u64 length)
{
	u64 first = iova >> PAGE_SHIFT;
	u64 last = (iova + length - 1) >> PAGE_SHIFT;

	if (!length)
		return;
	if (iova + length - 1 < iova)	/* to the end of the address space */
		last = ~0ULL >> PAGE_SHIFT;
	mpt_mdev_invalidate_guests(to_state(vfio), first, last - first + 1);
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

static ssize_t mpt_mdev_display_rw(struct mpt_mdev_state *st,
				   char __user *ubuf, size_t count,
				   loff_t *ppos, bool is_write)
{
	ssize_t ret;

	if (is_write)
		return -EINVAL;
	ret = mpt_mdev_display_read(st, ubuf, count,
				    MPT_MDEV_OFFSET((u64)*ppos));
	if (ret > 0)
		*ppos += ret;
	return ret;
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

	if (index == MPT_MDEV_DISPLAY_REGION)
		return mpt_mdev_display_rw(st, ubuf, count, ppos, is_write);
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

static long mpt_mdev_ioctl(struct vfio_device *vfio, unsigned int cmd,
			   unsigned long arg)
{
	struct mpt_mdev_state *st = to_state(vfio);
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
		info.num_regions = VFIO_PCI_NUM_REGIONS +
				   (mpt_mdev_has_display(st) ? 1 : 0);
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
		if (info.index == MPT_MDEV_DISPLAY_REGION &&
		    mpt_mdev_has_display(st)) {
			size = mpt_mdev_display_size(st);
			info.flags = VFIO_REGION_INFO_FLAG_READ;
		} else if (info.index < VFIO_PCI_NUM_REGIONS) {
			size = mpt_mdev_region_size(st, info.index);
			info.flags = size ? VFIO_REGION_INFO_FLAG_READ |
						    VFIO_REGION_INFO_FLAG_WRITE :
					    0;
		} else {
			return -EINVAL;
		}
		info.offset = MPT_MDEV_POS(info.index);
		info.size = size;
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
		info.count = mpt_mdev_irq_count(st, info.index);
		info.flags = info.count ? VFIO_IRQ_INFO_EVENTFD : 0;
		return copy_to_user((void __user *)arg, &info, minsz) ?
			       -EFAULT : 0;
	}
	case VFIO_DEVICE_SET_IRQS:
		mutex_lock(&st->lock);
		ret = mpt_mdev_set_irqs(st, arg);
		mutex_unlock(&st->lock);
		return ret;
	case VFIO_DEVICE_QUERY_GFX_PLANE:
		return mpt_mdev_query_plane(st, arg);
	case VFIO_DEVICE_RESET:
		return mpt_vdev_reset(st->vdev);
	}
	return -ENOTTY;
}

static int mpt_mdev_init_dev(struct vfio_device *vfio)
{
	struct mpt_mdev_state *st = to_state(vfio);

	mutex_init(&st->lock);
	init_rwsem(&st->session_lock);
	mutex_init(&st->guests_lock);
	INIT_LIST_HEAD(&st->guests);
	INIT_LIST_HEAD(&st->node);
	spin_lock_init(&st->irq_lock);
	return 0;
}

/* The last reference of the vfio_device: 6.1 requires the driver to free. */
static void mpt_mdev_release_dev(struct vfio_device *vfio)
{
	vfio_free_device(vfio);
}

const struct vfio_device_ops mpt_mdev_vfio_ops = {
	.name = MPT_MDEV_NAME,
	.init = mpt_mdev_init_dev,
	.release = mpt_mdev_release_dev,
	.open_device = mpt_mdev_open,
	.close_device = mpt_mdev_close,
	.read = mpt_mdev_read,
	.write = mpt_mdev_write,
	.ioctl = mpt_mdev_ioctl,
	.dma_unmap = mpt_mdev_dma_unmap,
	.request = mpt_mdev_request,
};

