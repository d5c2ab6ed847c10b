// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The conformance target for the Xen backend (backends/xengt), run in dom0
 * of a Xen host (the Xen tier's mpt_conformance test).
 *
 * Each guest is a real domain the target builds itself with libxenctrl:
 * an HVM domain with HAP and an emulated LAPIC (what a PVH guest is), one
 * vCPU that is never started, and RAM populated frame by frame exactly
 * where the suite's layout says, holes left unpopulated; the backend
 * serves it through an ioreq server of its own (mpt_xen_dom_open()).  The
 * attach argument is a struct mpt_xen_pci_slot with MPT_XEN_PCI_ANY_DEV,
 * so each instance gets the next free PCI device.
 *
 * The guest's CPU does not run, so the target plays no guest stores and
 * no guest MMIO (guest_write and guest_mmio are NULL: the suite skips the
 * cases that need them, and the Xen tier's guest tests cover those paths
 * with real guests); guest_read maps the frames itself, independently of
 * the backend's map cache.  MSIs are only checked to be accepted by Xen.
 */
#define __XEN_TOOLS__ 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conformance.h"

/* The backend's own ops table (mpt_xen_ops) and test hooks. */
#include "backends/xengt/xen_priv.h"

#include <xenctrl.h>

#define MAX_GUESTS 4
#define PAGING_POOL_MB 8

struct xen_guest {
	u32 domid;
	struct mpt_xen_dom *dom;
	struct mpt_xen_pci_slot slot;
	struct mpt_conf_layout layout;
	struct mpt_conf_region regions[CONF_NR_REGIONS];
};

struct xen_target {
	struct mpt_backend *be;
	xc_interface *xch;
	xenforeignmemory_handle *fm;
	struct xen_guest *guests[MAX_GUESTS];
};

static struct xen_target xen_target_state;

static struct xen_guest *guest_of(void *ctx, void *guest)
{
	struct xen_target *t = ctx;
	unsigned int i;

	for (i = 0; i < MAX_GUESTS; i++)
		if (t->guests[i] && &t->guests[i]->slot == guest)
			return t->guests[i];
	return NULL;
}

static int xen_setup(void **ctx, struct mpt_backend **be,
		     const struct mpt_backend_ops **ops)
{
	struct xen_target *t = &xen_target_state;
	int ret;

	t->xch = xc_interface_open(NULL, NULL, 0);
	t->fm = xenforeignmemory_open(NULL, 0);
	if (!t->xch || !t->fm) {
		fprintf(stderr, "xen target: cannot open libxenctrl or foreign"
			" memory: not dom0 of a running Xen?\n");
		return -ENOENT;
	}
	ret = mpt_xen_register(NULL, &t->be);
	if (ret)
		return ret;
	*ctx = t;
	*be = t->be;
	*ops = &mpt_xen_ops;
	return 0;
}

static int xen_teardown(void *ctx)
{
	struct xen_target *t = ctx;

	xenforeignmemory_close(t->fm);
	xc_interface_close(t->xch);
	return mpt_backend_unregister(t->be);
}

/* Populate @nr frames from @gfn, one extent of 4 KiB each. */
static int populate(xc_interface *xch, u32 domid, u64 gfn, u64 nr)
{
	xen_pfn_t *pfns = calloc(nr, sizeof(*pfns));
	u64 i;
	int ret;

	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		pfns[i] = gfn + i;
	ret = xc_domain_populate_physmap_exact(xch, domid, nr, 0, 0, pfns);
	free(pfns);
	return ret ? -errno : 0;
}

/* An HVM domain with HAP and a LAPIC (PVH), paused, RAM as @layout says. */
static int make_domain(struct xen_target *t, struct xen_guest *g,
		       const struct mpt_conf_layout *layout)
{
	struct xen_domctl_createdomain cfg = {
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
		.max_vcpus = 1,
		.max_evtchn_port = -1,
		.max_grant_frames = 32,
		.max_maptrack_frames = 128,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
		.arch = { .emulation_flags = XEN_X86_EMU_LAPIC },
	};
	u64 mb = PAGING_POOL_MB;
	unsigned int i;
	const char *step = "paging pool";
	u64 pages = 0;
	int ret;

	g->domid = 0;
	if (xc_domain_create(t->xch, &g->domid, &cfg)) {
		fprintf(stderr, "xen target: xc_domain_create: %s\n",
			strerror(errno));
		return -errno;
	}
	for (i = 0; i < layout->nr; i++)
		pages += layout->regions[i].size >> MPT_PAGE_SHIFT;
	/* HAP's page-table pool, then the RAM, 4 KiB at a time. */
	ret = xc_set_paging_mempool_size(t->xch, g->domid, (u64)mb << 20);
	if (!ret) {
		step = "max memory";
		ret = xc_domain_setmaxmem(t->xch, g->domid,
					  (pages + 1024) * (MPT_PAGE_SIZE / 1024));
	}
	for (i = 0; !ret && i < layout->nr; i++) {
		step = "populate";
		ret = populate(t->xch, g->domid,
			       layout->regions[i].gpa >> MPT_PAGE_SHIFT,
			       layout->regions[i].size >> MPT_PAGE_SHIFT);
	}
	if (ret) {
		fprintf(stderr, "xen target: domain %u: %s: %s\n", g->domid,
			step, strerror(errno));
		xc_domain_destroy(t->xch, g->domid);
		return -EIO;
	}
	return 0;
}

static void *xen_guest_create(void *ctx, const struct mpt_conf_layout *layout)
{
	struct xen_target *t = ctx;
	struct xen_guest *g;
	unsigned int i, slot;
	int ret;

	if (layout->nr > CONF_NR_REGIONS)
		return NULL;
	for (slot = 0; slot < MAX_GUESTS && t->guests[slot]; slot++)
		;
	if (slot == MAX_GUESTS)
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	for (i = 0; i < layout->nr; i++)
		g->regions[i] = layout->regions[i];
	g->layout.regions = g->regions;
	g->layout.nr = layout->nr;
	if (make_domain(t, g, layout)) {
		free(g);
		return NULL;
	}
	ret = mpt_xen_dom_open((u16)g->domid, NULL, NULL, &g->dom);
	if (ret) {
		fprintf(stderr, "xen target: domain %u: mpt_xen_dom_open: %d\n",
			g->domid, ret);
		xc_domain_destroy(t->xch, g->domid);
		free(g);
		return NULL;
	}
	g->slot = (struct mpt_xen_pci_slot){ g->dom, 0, MPT_XEN_PCI_ANY_DEV, 0 };
	t->guests[slot] = g;
	return &g->slot;
}

static void xen_guest_destroy(void *ctx, void *guest)
{
	struct xen_target *t = ctx;
	struct xen_guest *g = guest_of(ctx, guest);
	unsigned int i;

	if (!g)
		return;
	for (i = 0; i < MAX_GUESTS; i++)
		if (t->guests[i] == g)
			t->guests[i] = NULL;
	mpt_xen_dom_close(g->dom);
	xc_domain_destroy(t->xch, g->domid);
	free(g);
}

static bool in_ram(const struct xen_guest *g, u64 gfn)
{
	u64 gpa = MPT_GFN_TO_GPA(gfn);
	unsigned int i;

	for (i = 0; i < g->layout.nr; i++)
		if (gpa >= g->regions[i].gpa &&
		    gpa - g->regions[i].gpa < g->regions[i].size)
			return true;
	return false;
}

/* The guest's RAM as its CPU would see it: a mapping of our own. */
static int xen_guest_read(void *ctx, void *guest, u64 gpa, void *buf,
			  size_t len)
{
	struct xen_target *t = ctx;
	struct xen_guest *g = guest_of(ctx, guest);
	u8 *p = buf;

	while (len) {
		xen_pfn_t gfn = MPT_GPA_TO_GFN(gpa);
		size_t off = gpa & ~MPT_PAGE_MASK, n = MPT_PAGE_SIZE - off;
		int err = 0;
		u8 *va;

		if (n > len)
			n = len;
		if (!in_ram(g, gfn))
			return -EFAULT;
		va = xenforeignmemory_map(t->fm, g->domid, PROT_READ, 1, &gfn,
					  &err);
		if (!va || err) {
			if (va)
				xenforeignmemory_unmap(t->fm, va, 1);
			return -EFAULT;
		}
		memcpy(p, va + off, n);
		xenforeignmemory_unmap(t->fm, va, 1);
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}

static unsigned int xen_violations(void *ctx, void *guest)
{
	return xen_test_violations(guest_of(ctx, guest)->dom);
}

static const struct mpt_conf_target xen_conf_target = {
	.name = "xen",
	.setup = xen_setup,
	.teardown = xen_teardown,
	.guest_create = xen_guest_create,
	.guest_destroy = xen_guest_destroy,
	.guest_read = xen_guest_read,
	.violations = xen_violations,
};

int main(int argc, char **argv)
{
	if (access("/dev/xen/privcmd", F_OK)) {
		printf("1..0 # SKIP not in dom0 of a running Xen\n");
		return 0;
	}
	return mpt_conf_main(&xen_conf_target, argc, argv);
}
