// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The sim backend: guests, attach/detach, interrupts, fault injection and
 * the ops table.
 *
 * Porting: copy backends/sim/, rename mpt_sim_ to mpt_<yours>_, and replace
 * each op's body with your hypervisor's mechanism; the comments say which.
 */
#include "sim_priv.h"

/* Every x86 MSI targets the local APIC window; others are refused. */
#define MSI_WINDOW_BASE 0xfee00000ULL
#define MSI_WINDOW_SIZE 0x100000ULL

int sim_fault(struct mpt_sim_guest *g, enum mpt_sim_op op)
{
	struct sim_fault *f = &g->faults[op];
	int left = mpt_atomic_read(&f->countdown), seen;

	mpt_atomic_inc_return(&f->calls);
	while (left > 0) {
		seen = mpt_atomic_cmpxchg(&f->countdown, left, left - 1);
		if (seen == left)
			return left == 1 ? f->err : 0;
		left = seen;
	}
	return 0;
}

void sim_violation(struct mpt_sim_guest *g, const char *what)
{
	g->violations++;
	mpt_err("sim: contract violation: %s", what);
}

static bool layout_ok(const struct mpt_sim_region *r, unsigned int nr)
{
	unsigned int i;

	if (!r || !nr || nr > MPT_SIM_MAX_REGIONS)
		return false;
	for (i = 0; i < nr; i++) {
		if (!r[i].size || ((r[i].gpa | r[i].size) & ~MPT_PAGE_MASK) ||
		    r[i].gpa + r[i].size < r[i].gpa)
			return false;
		if (i && r[i].gpa < r[i - 1].gpa + r[i - 1].size)
			return false;
	}
	return true;
}

/* Bytes from region @i to the end of the run of regions adjacent to it. */
static u64 run_size(const struct mpt_sim_region *r, unsigned int nr,
		    unsigned int i)
{
	u64 start = r[i].gpa, end = r[i].gpa + r[i].size;

	while (++i < nr && r[i].gpa == end)
		end += r[i].size;
	return end - start;
}

static int alloc_regions(struct mpt_sim_guest *g,
			 const struct mpt_sim_region *r, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct sim_region *s = &g->regions[i];

		s->gpa = r[i].gpa;
		s->size = r[i].size;
		g->nr_regions++;
		if (i && r[i].gpa == r[i - 1].gpa + r[i - 1].size) {
			s->mem = g->regions[i - 1].mem + r[i - 1].size;
			continue;
		}
		s->mem = mpt_zalloc(run_size(r, nr, i));
		if (!s->mem)
			return -ENOMEM;
		s->owns_mem = true;
	}
	return 0;
}

struct mpt_sim_guest *mpt_sim_guest_create(const struct mpt_sim_region *r,
					   unsigned int nr)
{
	struct mpt_sim_guest *g;

	if (!layout_ok(r, nr))
		return NULL;
	g = mpt_zalloc(sizeof(*g));
	if (!g)
		return NULL;
	mpt_mutex_init(&g->lock);
	mpt_spin_init(&g->msi_lock);
	if (alloc_regions(g, r, nr)) {
		mpt_sim_guest_destroy(g);
		return NULL;
	}
	return g;
}
MPT_EXPORT(mpt_sim_guest_create);

void mpt_sim_guest_destroy(struct mpt_sim_guest *g)
{
	unsigned int i;

	if (!g)
		return;
	for (i = 0; i < SIM_MAX_HANDLES; i++)
		if (g->handles[i])
			sim_violation(g, "guest destroyed with instances attached");
	for (i = 0; i < g->nr_regions; i++)
		if (g->regions[i].owns_mem)
			mpt_free(g->regions[i].mem);
	sim_counts_free(&g->tracks);
	sim_counts_free(&g->pins);
	mpt_range_map_destroy(&g->claimed[0]);
	mpt_range_map_destroy(&g->claimed[1]);
	mpt_spin_destroy(&g->msi_lock);
	mpt_mutex_destroy(&g->lock);
	mpt_free(g);
}
MPT_EXPORT(mpt_sim_guest_destroy);

/*
 * attach: KVM takes the struct kvm from the vfio_device; Xen creates an
 * ioreq server for the domid.  The sim records the instance on the guest.
 */
int mpt_sim_attach(struct mpt_backend *backend, void *guest,
		   struct mpt_vdev *vdev, void **handle)
{
	struct mpt_sim_guest *g = guest;
	struct sim_handle *h;
	unsigned int i;
	int ret;

	(void)backend;
	if (!g)
		return -EINVAL;
	mpt_mutex_lock(&g->lock);
	ret = sim_fault(g, MPT_SIM_ATTACH);
	for (i = 0; !ret && i < SIM_MAX_HANDLES && g->handles[i]; i++)
		;
	if (!ret && i == SIM_MAX_HANDLES)
		ret = -EBUSY;
	h = ret ? NULL : mpt_zalloc(sizeof(*h));
	if (!ret && !h)
		ret = -ENOMEM;
	if (!ret) {
		h->guest = g;
		h->vdev = vdev;
		g->handles[i] = h;
		*handle = h;
	}
	mpt_mutex_unlock(&g->lock);
	return ret;
}

/* detach: the contract says everything was released before. */
void mpt_sim_detach(void *handle)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;
	unsigned int i;

	mpt_mutex_lock(&g->lock);
	if (h->tracks.nr || h->pins.nr || h->claims || h->frames)
		sim_violation(g, "detach with tracks, pins or claims left");
	for (i = 0; i < SIM_MAX_HANDLES; i++)
		if (g->handles[i] == h)
			g->handles[i] = NULL;
	mpt_mutex_unlock(&g->lock);
	sim_counts_free(&h->tracks);
	sim_counts_free(&h->pins);
	mpt_free(h);
}

/*
 * inject_msi: KVM signals the irqfd eventfd, Xen calls
 * xendevicemodel_inject_msi().  The sim logs it.  Must not sleep: only the
 * spinlock and the lock-free fault counters are used.
 */
int mpt_sim_inject_msi(void *handle, u64 addr, u32 data)
{
	struct mpt_sim_guest *g = ((struct sim_handle *)handle)->guest;
	int ret = sim_fault(g, MPT_SIM_INJECT_MSI);
	unsigned int slot;

	if (ret)
		return ret;
	if (addr - MSI_WINDOW_BASE >= MSI_WINDOW_SIZE)
		return -EINVAL;
	mpt_spin_lock(&g->msi_lock);
	slot = g->msi_nr++ % SIM_MSI_LOG;
	g->msi_log[slot].addr = addr;
	g->msi_log[slot].data = data;
	mpt_spin_unlock(&g->msi_lock);
	return 0;
}

unsigned int mpt_sim_msi_count(struct mpt_sim_guest *g)
{
	unsigned int n;

	mpt_spin_lock(&g->msi_lock);
	n = g->msi_nr;
	mpt_spin_unlock(&g->msi_lock);
	return n;
}
MPT_EXPORT(mpt_sim_msi_count);

int mpt_sim_msi_get(struct mpt_sim_guest *g, unsigned int i, u64 *addr,
		    u32 *data)
{
	int ret = -ENOENT;

	mpt_spin_lock(&g->msi_lock);
	/* Only the newest SIM_MSI_LOG entries are kept. */
	if (i < g->msi_nr && g->msi_nr - i <= SIM_MSI_LOG) {
		*addr = g->msi_log[i % SIM_MSI_LOG].addr;
		*data = g->msi_log[i % SIM_MSI_LOG].data;
		ret = 0;
	}
	mpt_spin_unlock(&g->msi_lock);
	return ret;
}
MPT_EXPORT(mpt_sim_msi_get);

void mpt_sim_fail_nth(struct mpt_sim_guest *g, enum mpt_sim_op op,
		      unsigned int nth, int err)
{
	if (op >= MPT_SIM_NR_OPS)
		return;
	g->faults[op].err = err;
	mpt_atomic_set(&g->faults[op].countdown, (int)nth);
}
MPT_EXPORT(mpt_sim_fail_nth);

unsigned int mpt_sim_op_calls(struct mpt_sim_guest *g, enum mpt_sim_op op)
{
	if (op >= MPT_SIM_NR_OPS)
		return 0;
	return (unsigned int)mpt_atomic_read(&g->faults[op].calls);
}
MPT_EXPORT(mpt_sim_op_calls);

unsigned int mpt_sim_violations(struct mpt_sim_guest *g)
{
	unsigned int n;

	mpt_mutex_lock(&g->lock);
	n = g->violations;
	mpt_mutex_unlock(&g->lock);
	return n;
}
MPT_EXPORT(mpt_sim_violations);

const struct mpt_backend_ops mpt_sim_ops = {
	.abi_version = MPT_BACKEND_ABI_VERSION,
	.size = sizeof(struct mpt_backend_ops),
	.name = "sim",
	.attach = mpt_sim_attach,
	.detach = mpt_sim_detach,
	.inject_msi = mpt_sim_inject_msi,
	.read_gpa = mpt_sim_read_gpa,
	.write_gpa = mpt_sim_write_gpa,
	.enable_page_track = mpt_sim_enable_page_track,
	.disable_page_track = mpt_sim_disable_page_track,
	.gfn_to_pfn = mpt_sim_gfn_to_pfn,
	.dma_map = mpt_sim_dma_map,
	.dma_unmap = mpt_sim_dma_unmap,
	.is_valid_gfn = mpt_sim_is_valid_gfn,
	.claim_trap_area = mpt_sim_claim_trap_area,
	.release_trap_area = mpt_sim_release_trap_area,
	.map_frames = mpt_sim_map_frames,
	.unmap_frames = mpt_sim_unmap_frames,
	.owner = MPT_THIS_MODULE,
};
MPT_EXPORT(mpt_sim_ops);

int mpt_sim_register(const char *name, struct mpt_backend **out)
{
	return mpt_backend_register(&mpt_sim_ops, name, NULL, out);
}
MPT_EXPORT(mpt_sim_register);
