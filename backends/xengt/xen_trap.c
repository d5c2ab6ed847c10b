// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Trap areas and PCI functions in the Xen backend.
 *
 * Xen routes a guest access to our ioreq server only for ranges and PCI
 * functions mapped to it (XEN_DMOP_map_io_range, XEN_DMOP_map_pcidev).
 * The backend keeps its own table of what it mapped and who serves it, an
 * instance's BAR or the program's io ops, and the ioreq thread looks
 * requests up there; a request for anything else (a range unmapped while
 * the request was on its way) is answered as unclaimed.
 */
#include <errno.h>

#include "xen_priv.h"

int xen_pci_claim(struct mpt_xen_dom *dom, unsigned int bdf,
		  struct xen_handle *h)
{
	unsigned int i;

	mpt_assert_held(&dom->lock);
	for (i = 0; i < dom->nr_pci; i++)
		if (dom->pci[i].bdf == bdf)
			return -EBUSY;
	if (dom->nr_pci == XEN_MAX_PCI)
		return -ENOSPC;
	if (xendevicemodel_map_pcidev_to_ioreq_server(dom->dm, dom->domid,
						      dom->server, 0, bdf >> 8,
						      (bdf >> 3) & 31, bdf & 7)) {
		int e = errno;

		mpt_err("xen: map PCI %02x:%02x.%u to the ioreq server: %s",
			bdf >> 8, (bdf >> 3) & 31, bdf & 7, strerror(e));
		return e ? -e : -EIO;
	}
	dom->pci[dom->nr_pci++] = (struct xen_pci){ bdf, h };
	return 0;
}

static void pci_release(struct mpt_xen_dom *dom, unsigned int i)
{
	unsigned int bdf = dom->pci[i].bdf;

	xendevicemodel_unmap_pcidev_from_ioreq_server(dom->dm, dom->domid,
						      dom->server, 0, bdf >> 8,
						      (bdf >> 3) & 31, bdf & 7);
	dom->pci[i] = dom->pci[--dom->nr_pci];
}

int xen_pci_dispatch(struct mpt_xen_dom *dom, unsigned int bdf,
		     unsigned int reg, void *data, unsigned int len,
		     bool is_write)
{
	struct xen_handle *h = NULL;
	struct mpt_vdev *vdev = NULL;
	bool found = false;
	unsigned int i;

	mpt_mutex_lock(&dom->lock);
	for (i = 0; i < dom->nr_pci; i++) {
		if (dom->pci[i].bdf == bdf) {
			h = dom->pci[i].h;
			found = true;
			break;
		}
	}
	if (h) {
		vdev = h->vdev;
		mpt_vdev_get(vdev);
	}
	mpt_mutex_unlock(&dom->lock);
	if (!found)
		return -ENOENT;
	if (!vdev) {
		if (!dom->ops || !dom->ops->pci_cfg)
			return -ENOENT;
		mpt_stat_inc(&dom->stats.program);
		dom->ops->pci_cfg(dom->ops_arg, bdf, reg, data, len, is_write);
		return 0;
	}
	mpt_stat_inc(&dom->stats.pci_cfg);
	/* Extended configuration space (reg >= 256): refused, reads ~0. */
	mpt_vdev_cfg_access(vdev, reg, data, len, is_write);
	mpt_vdev_put(vdev);
	return 0;
}

static int map_range(struct mpt_xen_dom *dom, enum mpt_space space, u64 start,
		     u64 len, bool map)
{
	int ret;

	if (map)
		ret = xendevicemodel_map_io_range_to_ioreq_server(
			dom->dm, dom->domid, dom->server,
			space == MPT_SPACE_MMIO, start, start + len - 1);
	else
		ret = xendevicemodel_unmap_io_range_from_ioreq_server(
			dom->dm, dom->domid, dom->server,
			space == MPT_SPACE_MMIO, start, start + len - 1);
	return ret ? (errno ? -errno : -EIO) : 0;
}

/*
 * claim_trap_area: map the BAR's range to the server.  Xen itself refuses
 * a range another server of the domain has (-EEXIST from the rangeset);
 * ours are checked in our table first.
 */
int mpt_xen_claim_trap_area(void *handle, const struct mpt_trap_area *area)
{
	struct xen_handle *h = handle;
	struct mpt_xen_dom *dom = h->dom;
	struct xen_claim *c;
	struct mpt_range r = { .start = area->start, .len = area->len };
	int ret;

	if (area->space > MPT_SPACE_PIO || !area->len ||
	    area->start + area->len < area->start ||
	    (area->space == MPT_SPACE_PIO && area->start + area->len > 0x10000))
		return -EINVAL;
	c = mpt_zalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->h = h;
	c->bar = area->bar;
	r.opaque = c;
	mpt_mutex_lock(&dom->lock);
	ret = mpt_range_map_insert(&dom->claimed[area->space], &r);
	if (ret == -EEXIST)
		ret = -EBUSY;
	if (!ret) {
		ret = map_range(dom, area->space, area->start, area->len, true);
		if (ret) {
			mpt_range_map_remove(&dom->claimed[area->space],
					     area->start);
			if (ret == -EEXIST)
				ret = -EBUSY;
		}
	}
	if (!ret)
		h->claims++;
	mpt_mutex_unlock(&dom->lock);
	if (ret)
		mpt_free(c);
	return ret;
}

static void release(struct xen_handle *h, enum mpt_space space, u64 start)
{
	struct mpt_xen_dom *dom = h->dom;
	const struct mpt_range *r;
	struct xen_claim *c;
	u64 len;

	mpt_assert_held(&dom->lock);
	r = mpt_range_map_lookup(&dom->claimed[space], start);
	c = r ? r->opaque : NULL;
	if (!r || r->start != start || !c || c->h != h) {
		xen_violation(dom, "release_trap_area of an area never claimed");
		return;
	}
	len = r->len;
	mpt_range_map_remove(&dom->claimed[space], start);
	mpt_free(c);
	if (map_range(dom, space, start, len, false))
		mpt_warn("xen: unmap %#llx from the ioreq server failed",
			 (unsigned long long)start);
	h->claims--;
}

void mpt_xen_release_trap_area(void *handle, const struct mpt_trap_area *area)
{
	struct xen_handle *h = handle;

	if (area->space > MPT_SPACE_PIO) {
		xen_violation(h->dom, "release_trap_area of a bad space");
		return;
	}
	mpt_mutex_lock(&h->dom->lock);
	release(h, area->space, area->start);
	mpt_mutex_unlock(&h->dom->lock);
}

void xen_trap_drop_all(struct xen_handle *h)
{
	struct mpt_xen_dom *dom = h->dom;
	unsigned int s, i;

	mpt_assert_held(&dom->lock);
	for (s = 0; s < 2; s++) {
		struct mpt_range_map *m = &dom->claimed[s];

		for (i = m->nr; i--;) {
			struct xen_claim *c = m->ranges[i].opaque;

			if (c && c->h == h)
				release(h, (enum mpt_space)s,
					m->ranges[i].start);
		}
	}
	for (i = dom->nr_pci; i--;)
		if (dom->pci[i].h == h)
			pci_release(dom, i);
}

int xen_trap_dispatch(struct mpt_xen_dom *dom, enum mpt_space space, u64 addr,
		      void *data, unsigned int len, bool is_write)
{
	const struct mpt_range *r;
	struct mpt_vdev *vdev = NULL;
	unsigned int bar = 0;
	u64 offset = 0;
	bool program = false;

	mpt_mutex_lock(&dom->lock);
	r = mpt_range_map_lookup(&dom->claimed[space], addr);
	if (r) {
		struct xen_claim *c = r->opaque;

		offset = addr - r->start;
		if (c->h) {
			vdev = c->h->vdev;
			bar = c->bar;
			mpt_vdev_get(vdev);
		} else {
			program = true;
		}
	}
	mpt_mutex_unlock(&dom->lock);
	if (program) {
		mpt_stat_inc(&dom->stats.program);
		if (space == MPT_SPACE_PIO && dom->ops && dom->ops->pio)
			dom->ops->pio(dom->ops_arg, (u16)addr, data, len,
				      is_write);
		else if (space == MPT_SPACE_MMIO && dom->ops && dom->ops->mmio)
			dom->ops->mmio(dom->ops_arg, addr, data, len, is_write);
		return 0;
	}
	if (!vdev)
		return -ENOENT;
	mpt_stat_inc(space == MPT_SPACE_MMIO ? &dom->stats.mmio :
					       &dom->stats.pio);
	/* A failed access was still handled: a read returns all ones. */
	mpt_vdev_bar_access(vdev, bar, offset, data, len, is_write);
	mpt_vdev_put(vdev);
	return 0;
}
