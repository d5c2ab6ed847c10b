// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Guest memory of the sim backend: gpa access, frame translation, DMA
 * mapping with pin counts, and pass-through frames.
 */
#include "sim_priv.h"

static struct sim_region *region_of(struct mpt_sim_guest *g, u64 gpa)
{
	unsigned int i;

	for (i = 0; i < g->nr_regions; i++)
		if (gpa - g->regions[i].gpa < g->regions[i].size)
			return &g->regions[i];
	return NULL;
}

/* True if every byte of [gpa, gpa + len) is RAM, across regions. */
bool sim_all_ram(struct mpt_sim_guest *g, u64 gpa, u64 len)
{
	while (len) {
		struct sim_region *r = region_of(g, gpa);
		u64 n;

		if (!r)
			return false;
		n = MPT_MIN(len, r->gpa + r->size - gpa);
		gpa += n;
		len -= n;
	}
	return true;
}

/*
 * Adjacent regions share their host allocation, so RAM without holes is
 * contiguous on the host too.
 */
u8 *sim_hva(struct mpt_sim_guest *g, u64 gpa, u64 len)
{
	struct sim_region *r = region_of(g, gpa);

	if (!r || !sim_all_ram(g, gpa, len))
		return NULL;
	return r->mem + (gpa - r->gpa);
}

/* Copy between guest RAM and @buf; the range was checked to be RAM. */
void sim_copy_ram(struct mpt_sim_guest *g, u64 gpa, u8 *buf, size_t len,
		  bool to_guest)
{
	while (len) {
		struct sim_region *r = region_of(g, gpa);
		size_t n = (size_t)MPT_MIN((u64)len, r->gpa + r->size - gpa);
		u8 *hva = r->mem + (gpa - r->gpa);

		memcpy(to_guest ? hva : buf, to_guest ? buf : hva, n);
		gpa += n;
		buf += n;
		len -= n;
	}
}

/*
 * read_gpa/write_gpa: KVM uses vfio_dma_rw() (kernel) or the VMM's mapping
 * of guest RAM (userspace); Xen foreign mappings.  The sim copies from its
 * region buffers, refusing the whole access if any byte is a hole.
 */
static int gpa_rw(void *handle, u64 gpa, void *buf, size_t len, bool write)
{
	struct mpt_sim_guest *g = ((struct sim_handle *)handle)->guest;
	int ret;

	mpt_mutex_lock(&g->lock);
	ret = sim_fault(g, write ? MPT_SIM_WRITE_GPA : MPT_SIM_READ_GPA);
	if (!ret && !sim_all_ram(g, gpa, len))
		ret = -EFAULT;
	if (!ret)
		sim_copy_ram(g, gpa, buf, len, write);
	mpt_mutex_unlock(&g->lock);
	return ret;
}

int mpt_sim_read_gpa(void *handle, u64 gpa, void *buf, size_t len)
{
	return gpa_rw(handle, gpa, buf, len, false);
}

int mpt_sim_write_gpa(void *handle, u64 gpa, const void *buf, size_t len)
{
	return gpa_rw(handle, gpa, (void *)buf, len, true);
}

int mpt_sim_guest_read(struct mpt_sim_guest *g, u64 gpa, void *buf, size_t len)
{
	int ret = 0;

	mpt_mutex_lock(&g->lock);
	if (!sim_all_ram(g, gpa, len))
		ret = -EFAULT;
	else
		sim_copy_ram(g, gpa, buf, len, false);
	mpt_mutex_unlock(&g->lock);
	return ret;
}
MPT_EXPORT(mpt_sim_guest_read);

/* gfn_to_pfn: the sim's "host frame" is the page of its buffer address. */
int mpt_sim_gfn_to_pfn(void *handle, u64 gfn, u64 *pfn)
{
	struct mpt_sim_guest *g = ((struct sim_handle *)handle)->guest;
	u64 gpa;
	u8 *hva;
	int ret;

	mpt_mutex_lock(&g->lock);
	ret = sim_fault(g, MPT_SIM_GFN_TO_PFN);
	hva = ret || !sim_gfn_gpa(gfn, &gpa) ? NULL :
					      sim_hva(g, gpa, MPT_PAGE_SIZE);
	if (!ret && !hva)
		ret = -EFAULT;
	if (!ret)
		*pfn = (u64)(uintptr_t)hva >> MPT_PAGE_SHIFT;
	mpt_mutex_unlock(&g->lock);
	return ret;
}

/*
 * is_valid_gfn: KVM checks memslot visibility; the sim its regions, which
 * never change, so no lock is needed where sleeping is forbidden.
 */
bool mpt_sim_is_valid_gfn(void *handle, u64 gfn)
{
	struct mpt_sim_guest *g = ((struct sim_handle *)handle)->guest;
	u64 gpa;

	return !sim_fault(g, MPT_SIM_IS_VALID_GFN) && sim_gfn_gpa(gfn, &gpa) &&
	       region_of(g, gpa);
}

static void count_pins(struct sim_handle *h, u64 gfn, u64 size, bool pin)
{
	struct mpt_sim_guest *g = h->guest;
	u64 i;

	for (i = 0; i < size >> MPT_PAGE_SHIFT; i++) {
		if (pin) {
			sim_counts_add(&g->pins, gfn + i);
			sim_counts_add(&h->pins, gfn + i);
		} else if (sim_counts_sub(&g->pins, gfn + i) < 0 ||
			   sim_counts_sub(&h->pins, gfn + i) < 0) {
			sim_violation(g, "dma_unmap of a page never mapped");
		}
	}
}

/*
 * dma_map: VFIO pins with vfio_pin_pages() and maps through the IOMMU; Xen
 * uses the machine frame.  The sim's bus address is its buffer address, so
 * a test can "DMA" by dereferencing it; the range must lie in one region.
 */
int mpt_sim_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;
	u64 gpa;
	u8 *hva;
	int ret;

	mpt_mutex_lock(&g->lock);
	ret = sim_fault(g, MPT_SIM_DMA_MAP);
	hva = ret || !sim_gfn_gpa(gfn, &gpa) ? NULL : sim_hva(g, gpa, size);
	if (!ret && !hva)
		ret = -EFAULT;
	if (!ret) {
		count_pins(h, gfn, size, true);
		*dma_addr = (u64)(uintptr_t)hva;
	}
	mpt_mutex_unlock(&g->lock);
	return ret;
}

void mpt_sim_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;

	mpt_mutex_lock(&g->lock);
	if ((u64)(uintptr_t)sim_hva(g, MPT_GFN_TO_GPA(gfn), size) != dma_addr)
		sim_violation(g, "dma_unmap with an address map never gave");
	count_pins(h, gfn, size, false);
	mpt_mutex_unlock(&g->lock);
}

unsigned int mpt_sim_pin_count(struct mpt_sim_guest *g, u64 gfn)
{
	unsigned int n;

	mpt_mutex_lock(&g->lock);
	n = sim_counts_get(&g->pins, gfn);
	mpt_mutex_unlock(&g->lock);
	return n;
}
MPT_EXPORT(mpt_sim_pin_count);

/*
 * map_frames: Xen maps machine frames into the guest with
 * XEN_DOMCTL_memory_mapping.  The sim only counts them: it has no host
 * frames to hand out.
 */
int mpt_sim_map_frames(void *handle, u64 gfn, u64 pfn, u64 nr)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;
	int ret;

	(void)gfn;
	(void)pfn;
	mpt_mutex_lock(&g->lock);
	ret = sim_fault(g, MPT_SIM_MAP_FRAMES);
	if (!ret) {
		h->frames += nr;
		g->frames_mapped += nr;
	}
	mpt_mutex_unlock(&g->lock);
	return ret;
}

void mpt_sim_unmap_frames(void *handle, u64 gfn, u64 nr)
{
	struct sim_handle *h = handle;
	struct mpt_sim_guest *g = h->guest;

	(void)gfn;
	mpt_mutex_lock(&g->lock);
	if (nr > h->frames) {
		sim_violation(g, "unmap_frames of frames never mapped");
		nr = h->frames;
	}
	h->frames -= nr;
	g->frames_mapped -= nr;
	mpt_mutex_unlock(&g->lock);
}

u64 mpt_sim_frames_mapped(struct mpt_sim_guest *g)
{
	u64 n;

	mpt_mutex_lock(&g->lock);
	n = g->frames_mapped;
	mpt_mutex_unlock(&g->lock);
	return n;
}
MPT_EXPORT(mpt_sim_frames_mapped);
