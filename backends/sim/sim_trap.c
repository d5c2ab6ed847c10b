// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Trap areas in the sim backend and the guest accesses routed through them.
 *
 * Xen maps each claimed range to the device model's ioreq server
 * (xendevicemodel_map_io_range_to_ioreq_server); a userspace KVM VMM adds it
 * to the table it searches on MMIO and port I/O exits.  The sim does the
 * latter with the core's range map.
 */
#include "sim_priv.h"

int mpt_sim_claim_trap_area(void *handle, const struct mpt_trap_area *area)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;
	struct mpt_range r = { .start = area->start, .len = area->len,
			       .data = h, .flags = area->bar };
	int ret;

	if (area->space > MPT_SPACE_PIO)
		return -EINVAL;
	mpt_mutex_lock(&g->lock);
	ret = sim_fault(g, MPT_SIM_CLAIM_AREA);
	if (!ret)
		ret = mpt_range_map_insert(&g->claimed[area->space], &r);
	if (ret == -EEXIST)
		ret = -EBUSY;
	if (!ret)
		h->claims++;
	mpt_mutex_unlock(&g->lock);
	return ret;
}

void mpt_sim_release_trap_area(void *handle, const struct mpt_trap_area *area)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;

	mpt_mutex_lock(&g->lock);
	if (area->space > MPT_SPACE_PIO ||
	    mpt_range_map_remove(&g->claimed[area->space], area->start))
		sim_violation(g, "release_trap_area of an area never claimed");
	else
		h->claims--;
	mpt_mutex_unlock(&g->lock);
}

int mpt_sim_guest_access(struct mpt_sim_guest *g, enum mpt_space space,
			 u64 addr, void *data, unsigned int len, bool is_write)
{
	const struct mpt_range *r;
	struct mpt_vdev *vdev = NULL;
	unsigned int bar = 0;
	u64 start = 0;
	int ret;

	if (space > MPT_SPACE_PIO || !len || len > 8)
		return -EINVAL;
	mpt_mutex_lock(&g->lock);
	r = mpt_range_map_lookup(&g->claimed[space], addr);
	if (r) {
		vdev = ((struct sim_handle *)r->data)->vdev;
		bar = r->flags;
		start = r->start;
		mpt_vdev_get(vdev);
	}
	mpt_mutex_unlock(&g->lock);
	if (!vdev) {
		if (!is_write)
			memset(data, 0xff, len);
		return -ENXIO;
	}
	ret = mpt_vdev_bar_access(vdev, bar, addr - start, data, len, is_write);
	mpt_vdev_put(vdev);
	return ret;
}
MPT_EXPORT(mpt_sim_guest_access);

bool mpt_sim_claimed(struct mpt_sim_guest *g, enum mpt_space space, u64 addr)
{
	bool ret;

	if (space > MPT_SPACE_PIO)
		return false;
	mpt_mutex_lock(&g->lock);
	ret = mpt_range_map_lookup(&g->claimed[space], addr) != NULL;
	mpt_mutex_unlock(&g->lock);
	return ret;
}
MPT_EXPORT(mpt_sim_claimed);
