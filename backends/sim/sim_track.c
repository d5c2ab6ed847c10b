// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Write-tracking in the sim backend, and the guest CPU writes it traps.
 *
 * KVM write-protects the page in its MMU (kernel page-track API) or maps it
 * through a read-only memslot (userspace); Xen changes its p2m type to
 * HVMMEM_ioreq_server.  Either way a guest write to the page stops being a
 * plain store and reaches the backend, which hands it to
 * mpt_page_track_write().  The sim keeps a count per page instead.
 */
#include "sim_priv.h"

int mpt_sim_enable_page_track(void *handle, u64 gfn)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;
	u64 gpa;
	int ret;

	mpt_mutex_lock(&g->lock);
	ret = sim_fault(g, MPT_SIM_ENABLE_TRACK);
	if (!ret && (!sim_gfn_gpa(gfn, &gpa) ||
		     !sim_hva(g, gpa, MPT_PAGE_SIZE)))
		ret = -EFAULT;
	if (!ret && sim_counts_get(&h->tracks, gfn))
		sim_violation(g, "enable_page_track twice for one instance");
	if (!ret)
		ret = sim_counts_add(&h->tracks, gfn);
	if (!ret && sim_counts_add(&g->tracks, gfn)) {
		sim_counts_sub(&h->tracks, gfn);
		ret = -ENOMEM;
	}
	mpt_mutex_unlock(&g->lock);
	return ret;
}

int mpt_sim_disable_page_track(void *handle, u64 gfn)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;
	int ret;

	mpt_mutex_lock(&g->lock);
	ret = sim_fault(g, MPT_SIM_DISABLE_TRACK);
	if (sim_counts_sub(&h->tracks, gfn) < 0) {
		sim_violation(g, "disable_page_track without enable");
	} else {
		sim_counts_sub(&g->tracks, gfn);
	}
	mpt_mutex_unlock(&g->lock);
	return ret;
}

unsigned int mpt_sim_track_count(struct mpt_sim_guest *g, u64 gfn)
{
	unsigned int n;

	mpt_mutex_lock(&g->lock);
	n = sim_counts_get(&g->tracks, gfn);
	mpt_mutex_unlock(&g->lock);
	return n;
}
MPT_EXPORT(mpt_sim_track_count);

/* Instances tracking @gfn, each with a reference taken.  Lock held. */
static unsigned int trackers(struct mpt_sim_guest *g, u64 gfn,
			     struct mpt_vdev **out)
{
	unsigned int i, n = 0;

	for (i = 0; i < SIM_MAX_HANDLES; i++) {
		struct sim_handle *h = g->handles[i];

		if (h && sim_counts_get(&h->tracks, gfn)) {
			mpt_vdev_get(h->vdev);
			out[n++] = h->vdev;
		}
	}
	return n;
}

/* Hand one page's part of a guest write to the instances tracking it. */
static void deliver(struct mpt_sim_guest *g, u64 gpa, const u8 *data,
		    unsigned int len)
{
	struct mpt_vdev *vdevs[SIM_MAX_HANDLES];
	unsigned int n, i;

	mpt_mutex_lock(&g->lock);
	n = trackers(g, MPT_GPA_TO_GFN(gpa), vdevs);
	mpt_mutex_unlock(&g->lock);
	for (i = 0; i < n; i++) {
		mpt_page_track_write(vdevs[i], gpa, data, len);
		mpt_vdev_put(vdevs[i]);
	}
}

int mpt_sim_guest_write(struct mpt_sim_guest *g, u64 gpa, const void *data,
			size_t len)
{
	const u8 *p = data;
	u64 at = gpa;
	size_t left = len;
	int ret = 0;

	mpt_mutex_lock(&g->lock);
	if (!sim_all_ram(g, gpa, len))
		ret = -EFAULT;
	mpt_mutex_unlock(&g->lock);
	if (ret)
		return ret;
	while (left) {
		unsigned int n = (unsigned int)MPT_MIN(
			(u64)left, MPT_PAGE_SIZE - (at & ~MPT_PAGE_MASK));

		deliver(g, at, p, n);
		at += n;
		p += n;
		left -= n;
	}
	mpt_mutex_lock(&g->lock);
	sim_copy_ram(g, gpa, (u8 *)data, len, true);
	mpt_mutex_unlock(&g->lock);
	return 0;
}
MPT_EXPORT(mpt_sim_guest_write);

int mpt_sim_guest_dma_unmap(struct mpt_sim_guest *g, u64 gfn, u64 nr)
{
	struct mpt_vdev *vdevs[SIM_MAX_HANDLES];
	unsigned int i, n = 0;
	int total = 0;

	mpt_mutex_lock(&g->lock);
	for (i = 0; i < SIM_MAX_HANDLES; i++) {
		if (g->handles[i]) {
			mpt_vdev_get(g->handles[i]->vdev);
			vdevs[n++] = g->handles[i]->vdev;
		}
	}
	mpt_mutex_unlock(&g->lock);
	for (i = 0; i < n; i++) {
		total += mpt_dma_invalidate(vdevs[i], gfn, nr);
		mpt_vdev_put(vdevs[i]);
	}
	return total;
}
MPT_EXPORT(mpt_sim_guest_dma_unmap);
