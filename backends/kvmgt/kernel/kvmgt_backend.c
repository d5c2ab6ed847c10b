// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mpt backend "kvmgt": instances of mediated devices run on it.  Its
 * guest is the VFIO device of an mdev (struct mpt_mdev_state): attach
 * stores it as the handle; inject_msi signals the eventfd set by
 * VFIO_DEVICE_SET_IRQS (MSI, ACTION_TRIGGER); read_gpa/write_gpa use
 * vfio_dma_rw(); dma_map and dma_unmap pin and unpin with
 * vfio_pin_pages()/vfio_unpin_pages().  Optional ops not implemented here
 * are absent, and the core answers -EOPNOTSUPP (or its documented default).
 */
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "mpt_mdev.h"

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

int kvmgt_inject_msi(void *handle, u64 addr, u32 data)
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

const struct mpt_backend_ops kvmgt_ops = {
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

