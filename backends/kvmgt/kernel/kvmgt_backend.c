// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mpt backend "kvmgt": instances of mediated devices run on it.  Its
 * guest is the VFIO device of an mdev of this module (include/mpt/kvmgt.h);
 * attach makes a handle (struct kvmgt_guest) that holds the device and the
 * VM, and puts it on the mdev's list, so that VFIO's DMA unmap and the
 * close of the device reach every instance attached there.
 *
 * inject_msi signals the eventfd VFIO_DEVICE_SET_IRQS set for the message's
 * MSI vector (msi.c); read_gpa/write_gpa use vfio_dma_rw() (or, in
 * another process than the VMM's, pinned pages); dma_map and
 * dma_unmap pin and unpin with vfio_pin_pages()/vfio_unpin_pages().  The
 * guest accesses run under the mdev's session lock, read, and only in the
 * session (open) the instance was attached in: after the VMM closed the
 * device they fail with -ENODEV instead of reaching a closed VFIO device.
 * Page tracking and is_valid_gfn are KVM's (page_track.c); gfn_to_pfn
 * pins the page for a moment.  Optional ops not implemented here are
 * absent, and the core answers -EOPNOTSUPP (or its documented default).
 */
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <mpt/kvmgt.h>

#include "mpt_mdev.h"

static int kvmgt_attach(struct mpt_backend *backend, void *guest,
			struct mpt_vdev *vdev, void **handle)
{
	struct vfio_device *vfio = guest;
	struct mpt_mdev_state *st;
	struct kvmgt_guest *g;
	bool open;

	if (!vfio || vfio->ops != &mpt_mdev_vfio_ops)
		return -EINVAL;
	st = to_mdev_state(vfio);
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->st = st;
	g->vdev = vdev;
	/* The session's VM is valid while its lock is held. */
	down_read(&st->session_lock);
	open = st->open;
	g->session = st->session;
	g->kvm = open ? st->kvm : NULL;
	if (g->kvm)
		kvm_get_kvm(g->kvm);
	up_read(&st->session_lock);
	if (!open) {
		kfree(g);
		return -ENODEV;
	}
	/*
	 * Not under the session lock (see the lock order in mpt_mdev.h).  If
	 * the session ended meanwhile, the handle has nothing to invalidate
	 * and its accesses fail: it is simply stale.
	 */
	get_device(&vfio->device);
	kvmgt_track_attach(g);
	mutex_lock(&st->guests_lock);
	list_add_tail(&g->node, &st->guests);
	mutex_unlock(&st->guests_lock);
	*handle = g;
	return 0;
}

static void kvmgt_detach(void *handle)
{
	struct kvmgt_guest *g = handle;
	struct mpt_mdev_state *st = g->st;

	mutex_lock(&st->guests_lock);
	list_del(&g->node);
	mutex_unlock(&st->guests_lock);
	kvmgt_track_detach(g);
	if (g->kvm)
		kvm_put_kvm(g->kvm);
	kfree(g);
	/* Last: this may be the reference that frees @st. */
	vfio_put_device(&st->vfio);
}

/*
 * Each MSI vector has its own eventfd: find the vector the message is for
 * in the instance's configuration space.
 */
int kvmgt_inject_msi(void *handle, u64 addr, u32 data)
{
	struct kvmgt_guest *g = handle;
	int vector = mpt_vdev_msi_vector(g->vdev, addr, data);

	if (vector < 0)
		return -EIO;
	return mpt_mdev_signal_msi(g->st, vector);
}

/*
 * Guest memory through pinned pages, one at a time: for callers outside
 * the VMM's process, where vfio_dma_rw() refuses (it serves the process
 * that mapped the memory and kernel threads only); vfio_pin_pages() works
 * from any process context.  Unpinning a page pinned for writing marks it
 * dirty.
 */
static int kvmgt_rw_pinned(struct vfio_device *vfio, u64 gpa, void *buf,
			   size_t len, bool write)
{
	int prot = IOMMU_READ | (write ? IOMMU_WRITE : 0);

	while (len) {
		size_t off = offset_in_page(gpa);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page;
		void *va;

		if (vfio_pin_pages(vfio, gpa - off, 1, prot, &page) != 1)
			return -EFAULT;
		va = kmap_local_page(page);
		if (write)
			memcpy(va + off, buf, n);
		else
			memcpy(buf, va + off, n);
		kunmap_local(va);
		vfio_unpin_pages(vfio, gpa - off, 1);
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

static int kvmgt_rw_gpa(struct kvmgt_guest *g, u64 gpa, void *buf, size_t len,
			bool write)
{
	int ret;

	if (!len)
		return 0;
	if (gpa + len - 1 < gpa)
		return -EFAULT;
	ret = kvmgt_session_enter(g);
	if (ret)
		return ret;
	ret = vfio_dma_rw(&g->st->vfio, gpa, buf, len, write);
	/* A harness's thread is neither the VMM nor a kernel thread. */
	if (ret && current->mm)
		ret = kvmgt_rw_pinned(&g->st->vfio, gpa, buf, len, write);
	kvmgt_session_leave(g);
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

/*
 * Whether @npage frames from @gfn all have a guest-physical address: a gfn
 * past 2^52 would wrap around when shifted, to another page of the
 * guest's RAM, which vfio_pin_pages() would then pin.
 */
static bool kvmgt_gfns_addressable(u64 gfn, u64 npage)
{
	return npage && gfn <= (U64_MAX >> PAGE_SHIFT) - (npage - 1);
}

/* Pin @npage pages at @gfn; they must be host-contiguous. */
static int kvmgt_pin_contiguous(struct vfio_device *vfio, u64 gfn, int npage,
				u64 *dma_addr)
{
	struct page **pages;
	int i, ret;

	pages = kcalloc(npage, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	ret = vfio_pin_pages(vfio, gfn << PAGE_SHIFT, npage,
			     IOMMU_READ | IOMMU_WRITE, pages);
	if (ret != npage) {
		if (ret > 0)
			vfio_unpin_pages(vfio, gfn << PAGE_SHIFT, ret);
		ret = ret < 0 && ret != -EINVAL ? ret : -EFAULT;
		goto out;
	}
	for (i = 1; i < npage; i++) {
		if (page_to_pfn(pages[i]) != page_to_pfn(pages[0]) + i) {
			vfio_unpin_pages(vfio, gfn << PAGE_SHIFT, npage);
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

static int kvmgt_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr)
{
	struct kvmgt_guest *g = handle;
	int npage = size >> PAGE_SHIFT;
	int ret;

	if (!npage)
		return -EINVAL;
	if (!kvmgt_gfns_addressable(gfn, npage))
		return -EFAULT;
	ret = kvmgt_session_enter(g);
	if (ret)
		return ret;
	ret = kvmgt_pin_contiguous(&g->st->vfio, gfn, npage, dma_addr);
	kvmgt_session_leave(g);
	return ret;
}

/*
 * gfn_to_pfn: pin the page through VFIO to learn its frame, then unpin;
 * works in any process context, with or without a VM.
 */
static int kvmgt_gfn_to_pfn(void *handle, u64 gfn, u64 *pfn)
{
	struct kvmgt_guest *g = handle;
	struct page *page;
	int ret;

	if (!kvmgt_gfns_addressable(gfn, 1))
		return -EFAULT;
	ret = kvmgt_session_enter(g);
	if (ret)
		return ret;
	ret = vfio_pin_pages(&g->st->vfio, gfn << PAGE_SHIFT, 1, IOMMU_READ,
			     &page);
	if (ret == 1) {
		*pfn = page_to_pfn(page);
		vfio_unpin_pages(&g->st->vfio, gfn << PAGE_SHIFT, 1);
		ret = 0;
	} else {
		ret = -EFAULT;
	}
	kvmgt_session_leave(g);
	return ret;
}

/*
 * No session check: the close of the device unmaps every mapping while
 * the VFIO device is still open (vfio_device.c), so an unmap always finds
 * it open.
 */
static void kvmgt_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr)
{
	struct kvmgt_guest *g = handle;

	vfio_unpin_pages(&g->st->vfio, gfn << PAGE_SHIFT, size >> PAGE_SHIFT);
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
	.enable_page_track = kvmgt_enable_page_track,
	.disable_page_track = kvmgt_disable_page_track,
	.gfn_to_pfn = kvmgt_gfn_to_pfn,
	.is_valid_gfn = kvmgt_is_valid_gfn,
	.owner = THIS_MODULE,
};

const struct mpt_backend_ops *mpt_kvmgt_ops(void)
{
	return &kvmgt_ops;
}
EXPORT_SYMBOL_NS_GPL(mpt_kvmgt_ops, MPT);
