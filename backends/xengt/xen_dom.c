// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The Xen backend: domains (one ioreq server each), attach/detach,
 * deprivileging, statistics and the ops table.
 *
 * Opening a domain follows the sequence Xen's device models use: the
 * device-model, foreign-memory and event-channel handles; an ioreq server
 * without a buffered ring (every request is answered, so write-tracking
 * sees stores in order); its request page mapped as a resource.  The
 * server is enabled and the vCPUs' event channels bound only at start, so
 * a program can claim its ranges and attach instances first.
 */
#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen_priv.h"

#include <xentoolcore.h>

void xen_violation(struct mpt_xen_dom *dom, const char *what)
{
	dom->violations++;
	mpt_err("xen: contract violation: %s", what);
}

/* What a failed open step means for the caller. */
static int open_error(const char *what, u16 domid, int err)
{
	mpt_err("xen: domain %u: %s: %s", domid, what, strerror(err));
	if (err == ESRCH || err == EINVAL)
		return -ESRCH;
	if (err == ENOENT || err == ENODEV || err == ENXIO)
		return -ENOENT;
	return err ? -err : -EIO;
}

static int open_handles(struct mpt_xen_dom *dom)
{
	dom->dm = xendevicemodel_open(NULL, 0);
	dom->fm = xenforeignmemory_open(NULL, 0);
	dom->xce = xenevtchn_open(NULL, 0);
	if (!dom->dm || !dom->fm || !dom->xce) {
		mpt_err("xen: cannot open Xen's device-model interfaces (%s):"
			" is this dom0 of a running Xen, with xen-privcmd and"
			" xen-evtchn loaded?", strerror(errno));
		return -ENOENT;
	}
	return 0;
}

static int make_server(struct mpt_xen_dom *dom)
{
	unsigned int n = 0;
	void *addr = NULL;

	if (xendevicemodel_nr_vcpus(dom->dm, dom->domid, &n))
		return open_error("no such domain (vCPU count)", dom->domid,
				  errno);
	if (!n || n > XEN_MAX_VCPUS) {
		mpt_err("xen: domain %u: %u vCPUs, at most %u supported",
			dom->domid, n, XEN_MAX_VCPUS);
		return -EOPNOTSUPP;
	}
	dom->nr_vcpus = n;
	if (xendevicemodel_create_ioreq_server(dom->dm, dom->domid,
					       HVM_IOREQSRV_BUFIOREQ_OFF,
					       &dom->server)) {
		int e = errno;

		if (e == ENOSPC || e == EBUSY) {
			mpt_err("xen: domain %u: no ioreq server left", dom->domid);
			return -ENOSPC;
		}
		if (e == EOPNOTSUPP || e == EINVAL) {
			mpt_err("xen: domain %u cannot have an ioreq server (PV?)",
				dom->domid);
			return -EOPNOTSUPP;
		}
		return open_error("create_ioreq_server", dom->domid, e);
	}
	dom->server_made = true;
	dom->res = xenforeignmemory_map_resource(
		dom->fm, dom->domid, XENMEM_resource_ioreq_server, dom->server,
		XENMEM_resource_ioreq_server_frame_ioreq(0), 1, &addr,
		PROT_READ | PROT_WRITE, 0);
	if (!dom->res)
		return open_error("map the ioreq page", dom->domid, errno);
	dom->iopage = addr;
	return 0;
}

static void close_handles(struct mpt_xen_dom *dom)
{
	if (dom->res)
		xenforeignmemory_unmap_resource(dom->fm, dom->res);
	if (dom->server_made)
		xendevicemodel_destroy_ioreq_server(dom->dm, dom->domid,
						    dom->server);
	if (dom->xce)
		xenevtchn_close(dom->xce);
	if (dom->fm)
		xenforeignmemory_close(dom->fm);
	if (dom->dm)
		xendevicemodel_close(dom->dm);
}

int mpt_xen_dom_open(u16 domid, const struct mpt_xen_io_ops *ops, void *arg,
		     struct mpt_xen_dom **out)
{
	struct mpt_xen_dom *dom;
	int ret;

	if (!out)
		return -EINVAL;
	if (access("/dev/xen/privcmd", F_OK) && access("/proc/xen/privcmd", F_OK)) {
		mpt_err("xen: no /dev/xen/privcmd: Xen is not running here, or"
			" this is not dom0 (or xen-privcmd is not loaded)");
		return -ENOENT;
	}
	dom = mpt_zalloc(sizeof(*dom));
	if (!dom)
		return -ENOMEM;
	dom->magic = XEN_DOM_MAGIC;
	dom->domid = domid;
	dom->ops = ops;
	dom->ops_arg = arg;
	dom->stop_pipe[0] = dom->stop_pipe[1] = -1;
	mpt_mutex_init(&dom->lock);
	mpt_mutex_init(&dom->cache_lock);
	ret = open_handles(dom);
	if (!ret)
		ret = make_server(dom);
	if (ret) {
		close_handles(dom);
		mpt_mutex_destroy(&dom->cache_lock);
		mpt_mutex_destroy(&dom->lock);
		mpt_free(dom);
		return ret;
	}
	*out = dom;
	return 0;
}
MPT_EXPORT(mpt_xen_dom_open);

static int claim_program(struct mpt_xen_dom *dom, enum mpt_space space,
			 u64 start, u64 len)
{
	struct xen_claim *c;
	struct mpt_range r = { .start = start, .len = len };
	int ret;

	c = mpt_zalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	r.opaque = c;
	mpt_mutex_lock(&dom->lock);
	ret = mpt_range_map_insert(&dom->claimed[space], &r);
	if (ret == -EEXIST)
		ret = -EBUSY;
	if (!ret && xendevicemodel_map_io_range_to_ioreq_server(
			    dom->dm, dom->domid, dom->server,
			    space == MPT_SPACE_MMIO, start, start + len - 1)) {
		ret = -errno;
		mpt_range_map_remove(&dom->claimed[space], start);
	}
	mpt_mutex_unlock(&dom->lock);
	if (ret)
		mpt_free(c);
	return ret;
}

int mpt_xen_dom_claim_pio(struct mpt_xen_dom *dom, u16 port, u32 len)
{
	if (!len || port + len > 0x10000)
		return -EINVAL;
	return claim_program(dom, MPT_SPACE_PIO, port, len);
}
MPT_EXPORT(mpt_xen_dom_claim_pio);

int mpt_xen_dom_claim_mmio(struct mpt_xen_dom *dom, u64 gpa, u64 len)
{
	if (!len || gpa + len < gpa)
		return -EINVAL;
	return claim_program(dom, MPT_SPACE_MMIO, gpa, len);
}
MPT_EXPORT(mpt_xen_dom_claim_mmio);

int mpt_xen_dom_claim_pci(struct mpt_xen_dom *dom, unsigned int bus,
			  unsigned int dev, unsigned int fn)
{
	int ret;

	if (bus > 255 || dev > 31 || fn > 7)
		return -EINVAL;
	mpt_mutex_lock(&dom->lock);
	ret = xen_pci_claim(dom, bus << 8 | dev << 3 | fn, NULL);
	mpt_mutex_unlock(&dom->lock);
	return ret;
}
MPT_EXPORT(mpt_xen_dom_claim_pci);

int mpt_xen_dom_start(struct mpt_xen_dom *dom)
{
	if (dom->running)
		return -EALREADY;
	return xen_ioreq_start(dom);
}
MPT_EXPORT(mpt_xen_dom_start);

void mpt_xen_dom_stop(struct mpt_xen_dom *dom)
{
	if (dom->running)
		xen_ioreq_stop(dom);
}
MPT_EXPORT(mpt_xen_dom_stop);

int mpt_xen_dom_deprivilege(struct mpt_xen_dom *dom, u32 uid, u32 gid)
{
	if (!uid || !gid)
		return -EINVAL;
	/*
	 * Every handle libxen* opened (ours and any other of the process)
	 * may from now on only act on this domain.
	 */
	if (xentoolcore_restrict_all(dom->domid)) {
		int e = errno;

		mpt_err("xen: cannot restrict the Xen handles to domain %u: %s",
			dom->domid, strerror(e));
		return e ? -e : -EPERM;
	}
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		int e = errno;

		mpt_err("xen: cannot drop root (uid %u gid %u): %s", uid, gid,
			strerror(e));
		return e ? -e : -EPERM;
	}
	if (setuid(0) == 0) {
		mpt_err("xen: root could be regained after dropping it");
		return -EPERM;
	}
	mpt_info("xen: domain %u: deprivileged (uid %u, gid %u)", dom->domid,
		 uid, gid);
	return 0;
}
MPT_EXPORT(mpt_xen_dom_deprivilege);

static void free_claims(struct mpt_range_map *m)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		mpt_free(m->ranges[i].opaque);
	mpt_range_map_destroy(m);
}

void mpt_xen_dom_close(struct mpt_xen_dom *dom)
{
	unsigned int i;

	if (!dom)
		return;
	for (i = 0; i < XEN_MAX_HANDLES; i++)
		if (dom->handles[i])
			xen_violation(dom, "domain closed with instances attached");
	mpt_xen_dom_stop(dom);
	xen_cache_fini(dom);
	close_handles(dom);
	free_claims(&dom->claimed[0]);
	free_claims(&dom->claimed[1]);
	dom->magic = 0;
	mpt_mutex_destroy(&dom->cache_lock);
	mpt_mutex_destroy(&dom->lock);
	mpt_free(dom);
}
MPT_EXPORT(mpt_xen_dom_close);

/*
 * The first function @bus:N.@fn, N from 1, not routed yet, or
 * XEN_NO_BDF.  Lock held.
 */
static unsigned int free_bdf(struct mpt_xen_dom *dom, unsigned int bus,
			     unsigned int fn)
{
	unsigned int dev, i, bdf;

	for (dev = 1; dev < 32; dev++) {
		bdf = bus << 8 | dev << 3 | fn;
		for (i = 0; i < dom->nr_pci && dom->pci[i].bdf != bdf; i++)
			;
		if (i == dom->nr_pci)
			return bdf;
	}
	return XEN_NO_BDF;
}

unsigned int xen_test_violations(struct mpt_xen_dom *dom)
{
	unsigned int n;

	mpt_mutex_lock(&dom->lock);
	n = dom->violations;
	mpt_mutex_unlock(&dom->lock);
	return n;
}

/* attach: the guest is a PCI slot of a domain this process serves. */
int mpt_xen_attach(struct mpt_backend *backend, void *guest,
		   struct mpt_vdev *vdev, void **handle)
{
	struct mpt_xen_pci_slot *slot = guest;
	struct mpt_xen_dom *dom = slot ? slot->dom : NULL;
	struct xen_handle *h;
	unsigned int i;
	int ret = -EBUSY;

	(void)backend;
	if (!dom || dom->magic != XEN_DOM_MAGIC || slot->bus > 255 ||
	    (slot->dev > 31 && slot->dev != MPT_XEN_PCI_ANY_DEV) ||
	    slot->fn > 7)
		return -EINVAL;
	h = mpt_zalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->dom = dom;
	h->vdev = vdev;
	mpt_mutex_lock(&dom->lock);
	h->bdf = slot->dev == MPT_XEN_PCI_ANY_DEV ?
			 free_bdf(dom, slot->bus, slot->fn) :
			 slot->bus << 8 | slot->dev << 3 | slot->fn;
	for (i = 0; i < XEN_MAX_HANDLES && h->bdf != XEN_NO_BDF; i++) {
		if (!dom->handles[i]) {
			ret = xen_pci_claim(dom, h->bdf, h);
			if (!ret)
				dom->handles[i] = h;
			break;
		}
	}
	mpt_mutex_unlock(&dom->lock);
	if (ret) {
		mpt_free(h);
		return ret;
	}
	*handle = h;
	return 0;
}

/*
 * detach: the core released everything before.  What is left anyway is
 * counted as a breach and released, so the domain stays consistent.
 */
void mpt_xen_detach(void *handle)
{
	struct xen_handle *h = handle;
	struct mpt_xen_dom *dom = h->dom;
	unsigned int i;

	mpt_mutex_lock(&dom->lock);
	if (h->tracks.nr || h->claims)
		xen_violation(dom, "detach with tracks or claims left");
	xen_track_drop_all(h);
	xen_trap_drop_all(h);
	for (i = 0; i < XEN_MAX_HANDLES; i++)
		if (dom->handles[i] == h)
			dom->handles[i] = NULL;
	mpt_mutex_unlock(&dom->lock);
	mpt_free(h);
}

/*
 * inject_msi: XEN_DMOP_inject_msi, one hypercall that does not block.
 * Only the x86 MSI window is accepted: Xen would take any address.
 */
int mpt_xen_inject_msi(void *handle, u64 addr, u32 data)
{
	struct xen_handle *h = handle;
	struct mpt_xen_dom *dom = h->dom;

	if ((addr & ~0xfffffULL) != 0xfee00000ULL) {
		mpt_stat_inc(&dom->stats.msi_errors);
		return -EINVAL;
	}
	if (xendevicemodel_inject_msi(dom->dm, dom->domid, addr, data)) {
		mpt_stat_inc(&dom->stats.msi_errors);
		return -EIO;
	}
	mpt_stat_inc(&dom->stats.msis);
	return 0;
}

unsigned int mpt_xen_dom_vcpus(struct mpt_xen_dom *dom)
{
	return dom->nr_vcpus;
}
MPT_EXPORT(mpt_xen_dom_vcpus);

void mpt_xen_get_stats(struct mpt_xen_dom *dom, struct mpt_xen_stats *s)
{
	const u64 *from = (const u64 *)&dom->stats;
	u64 *to = (u64 *)s;
	unsigned int i;

	for (i = 0; i < sizeof(*s) / sizeof(u64); i++)
		to[i] = mpt_stat_read(&from[i]);
}
MPT_EXPORT(mpt_xen_get_stats);

const struct mpt_backend_ops mpt_xen_ops = {
	.abi_version = MPT_BACKEND_ABI_VERSION,
	.size = sizeof(struct mpt_backend_ops),
	.name = "xen",
	.attach = mpt_xen_attach,
	.detach = mpt_xen_detach,
	.inject_msi = mpt_xen_inject_msi,
	.read_gpa = mpt_xen_read_gpa,
	.write_gpa = mpt_xen_write_gpa,
	.enable_page_track = mpt_xen_enable_page_track,
	.disable_page_track = mpt_xen_disable_page_track,
	.gfn_to_pfn = mpt_xen_gfn_to_pfn,
	.dma_map = mpt_xen_dma_map,
	.dma_unmap = mpt_xen_dma_unmap,
	.claim_trap_area = mpt_xen_claim_trap_area,
	.release_trap_area = mpt_xen_release_trap_area,
};

int mpt_xen_register(const char *name, struct mpt_backend **out)
{
	return mpt_backend_register(&mpt_xen_ops, name, NULL, out);
}
MPT_EXPORT(mpt_xen_register);
