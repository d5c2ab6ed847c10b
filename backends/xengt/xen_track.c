// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Write-tracking in the Xen backend: the HVMMEM_ioreq_server memory type.
 *
 * A guest page of type HVMMEM_ioreq_server stays readable by the guest;
 * its writes become ioreqs (IOREQ_TYPE_COPY) to the one server of the
 * domain that owns the type, which this backend claims for write access
 * (XEN_DMOP_map_mem_type_to_ioreq_server) at the first page it tracks.
 * Xen allows one owner per domain: that is why a domain has one server for
 * all its instances (include/mpt/xen.h).  Each tracked page is switched
 * with XEN_DMOP_set_mem_type, and back to HVMMEM_ram_rw when the last
 * instance stops tracking it.
 *
 * A trapped write is delivered to every tracking instance's
 * mpt_page_track_write() first and then applied to guest memory through
 * the map cache, before the vCPU is released: the device model sees the
 * store before the guest's next instruction, as with KVM.
 */
#include <errno.h>

#include "xen_priv.h"

static bool tracks(struct xen_handle *h, u64 gfn)
{
	return mpt_range_map_lookup(&h->tracks, gfn) != NULL;
}

static bool tracked_by_other(struct mpt_xen_dom *dom, struct xen_handle *h,
			     u64 gfn)
{
	unsigned int i;

	for (i = 0; i < XEN_MAX_HANDLES; i++)
		if (dom->handles[i] && dom->handles[i] != h &&
		    tracks(dom->handles[i], gfn))
			return true;
	return false;
}

static int set_type(struct mpt_xen_dom *dom, u64 gfn, bool tracked)
{
	mpt_stat_inc(&dom->stats.mem_type_changes);
	if (xendevicemodel_set_mem_type(dom->dm, dom->domid,
					tracked ? HVMMEM_ioreq_server :
						  HVMMEM_ram_rw,
					gfn, 1)) {
		int e = errno;

		/* Xen: -EINVAL for a frame that is not ordinary RAM. */
		return e == EINVAL || e == ESRCH ? -EFAULT : (e ? -e : -EIO);
	}
	return 0;
}

/* Own HVMMEM_ioreq_server for writes, once per domain.  Lock held. */
static int own_mem_type(struct mpt_xen_dom *dom)
{
	if (dom->mem_type_mapped)
		return 0;
	if (xendevicemodel_map_mem_type_to_ioreq_server(
		    dom->dm, dom->domid, dom->server, HVMMEM_ioreq_server,
		    XEN_DMOP_IOREQ_MEM_ACCESS_WRITE)) {
		int e = errno;

		mpt_err("xen: domain %u: cannot own the ioreq_server memory"
			" type (%s): another device model tracks pages",
			dom->domid, strerror(e));
		return e == EBUSY ? -EBUSY : (e ? -e : -EIO);
	}
	dom->mem_type_mapped = true;
	return 0;
}

int mpt_xen_enable_page_track(void *handle, u64 gfn)
{
	struct xen_handle *h = handle;
	struct mpt_xen_dom *dom = h->dom;
	struct mpt_range r = { .start = gfn, .len = 1 };
	int ret;

	if (gfn >= XEN_GFN_LIMIT)
		return -EFAULT;
	mpt_mutex_lock(&dom->lock);
	if (tracks(h, gfn)) {
		xen_violation(dom, "enable_page_track twice for one instance");
		ret = 0;
		goto out;
	}
	ret = own_mem_type(dom);
	if (ret)
		goto out;
	if (!tracked_by_other(dom, h, gfn)) {
		ret = set_type(dom, gfn, true);
		if (ret)
			goto out;
	}
	ret = mpt_range_map_insert(&h->tracks, &r);
	if (ret && !tracked_by_other(dom, h, gfn))
		set_type(dom, gfn, false);
out:
	mpt_mutex_unlock(&dom->lock);
	return ret;
}

int mpt_xen_disable_page_track(void *handle, u64 gfn)
{
	struct xen_handle *h = handle;
	struct mpt_xen_dom *dom = h->dom;
	int ret = 0;

	mpt_mutex_lock(&dom->lock);
	if (!tracks(h, gfn)) {
		xen_violation(dom, "disable_page_track without enable");
		goto out;
	}
	mpt_range_map_remove(&h->tracks, gfn);
	/*
	 * If Xen refuses to switch the page back, its writes keep trapping
	 * and are applied with nobody to deliver them to.
	 */
	if (!tracked_by_other(dom, h, gfn))
		ret = set_type(dom, gfn, false);
out:
	mpt_mutex_unlock(&dom->lock);
	return ret;
}

void xen_track_drop_all(struct xen_handle *h)
{
	struct mpt_xen_dom *dom = h->dom;
	unsigned int i;

	mpt_assert_held(&dom->lock);
	for (i = h->tracks.nr; i--;) {
		u64 gfn = h->tracks.ranges[i].start;

		mpt_range_map_remove(&h->tracks, gfn);
		if (!tracked_by_other(dom, h, gfn))
			set_type(dom, gfn, false);
	}
	mpt_range_map_destroy(&h->tracks);
}

/* One page's part of a write: deliver it to whoever tracks the page. */
static void deliver(struct mpt_xen_dom *dom, u64 gpa, const u8 *data,
		    unsigned int len)
{
	struct mpt_vdev *vdevs[XEN_MAX_HANDLES];
	u64 gfn = MPT_GPA_TO_GFN(gpa);
	unsigned int i, n = 0;

	mpt_mutex_lock(&dom->lock);
	for (i = 0; i < XEN_MAX_HANDLES; i++) {
		struct xen_handle *h = dom->handles[i];

		if (h && tracks(h, gfn)) {
			mpt_vdev_get(h->vdev);
			vdevs[n++] = h->vdev;
		}
	}
	mpt_mutex_unlock(&dom->lock);
	for (i = 0; i < n; i++) {
		mpt_page_track_write(vdevs[i], gpa, data, len);
		mpt_vdev_put(vdevs[i]);
	}
}

void xen_track_ram_write(struct mpt_xen_dom *dom, u64 gpa, const u8 *data,
			 unsigned int len)
{
	unsigned int done = 0;

	mpt_stat_inc(&dom->stats.tracked_writes);
	while (done < len) {
		u64 a = gpa + done;
		unsigned int n = (unsigned int)(MPT_PAGE_SIZE -
						(a & ~MPT_PAGE_MASK));

		if (n > len - done)
			n = len - done;
		deliver(dom, a, data + done, n);
		done += n;
	}
	/*
	 * Applied by us, so Xen's dirty log did not see it: report it, as
	 * the device's own writes are.
	 */
	if (xen_copy_gpa(dom, gpa, (void *)data, len, true))
		mpt_stat_inc(&dom->stats.unhandled);
	else
		xendevicemodel_modified_memory(dom->dm, dom->domid,
					       MPT_GPA_TO_GFN(gpa),
					       MPT_GPA_TO_GFN(gpa + len - 1) -
						       MPT_GPA_TO_GFN(gpa) + 1);
}
