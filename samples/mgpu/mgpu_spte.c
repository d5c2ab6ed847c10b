// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Shadow page-table entries, shared by the GGTT and the PPGTT.
 *
 * A guest entry is shadowed by what the device really uses: the guest page
 * it names, pinned for DMA (mpt_dma_map(), as GVT-g maps every shadow
 * entry for the physical GPU), or the scratch page when the entry is not
 * valid, names something that is not guest RAM, or cannot be pinned.  The
 * device reads zeroes from the scratch page and its writes there are lost,
 * so a bad entry can never make it reach memory the guest does not own.
 */
#include "mgpu_priv.h"

/* The page a guest entry maps, or MGPU_GFN_SCRATCH. */
static u64 entry_gfn(struct mgpu *mg, u64 entry)
{
	u64 gfn = MPT_GPA_TO_GFN(entry & MGPU_PTE_ADDR_MASK);

	if (!(entry & MGPU_PTE_VALID) || !mpt_is_valid_gfn(&mg->vdev, gfn))
		return MGPU_GFN_SCRATCH;
	return gfn;
}

static void spte_unpin(struct mgpu *mg, struct mgpu_spte *e)
{
	if (e->gfn != MGPU_GFN_SCRATCH)
		mpt_dma_unmap(&mg->vdev, e->dma);
	e->gfn = MGPU_GFN_SCRATCH;
	e->dma = 0;
}

/**
 * mgpu_spte_clear() - point a shadow entry at scratch, unpinning its page
 * @mg: the instance, lock held
 * @e: the entry
 */
void mgpu_spte_clear(struct mgpu *mg, struct mgpu_spte *e)
{
	if (e->gfn == MGPU_GFN_SCRATCH)
		return;
	spte_unpin(mg, e);
	mpt_stat_inc(&mg->stats.shadow_updates);
}

/**
 * mgpu_spte_set() - shadow a guest entry
 * @mg: the instance, lock held
 * @e: the shadow entry
 * @entry: the guest's entry
 *
 * Pins the new page before unpinning the old one, and leaves the entry
 * alone when it maps the same page.  A page that cannot be pinned is
 * logged and replaced by scratch, as GVT-g does.
 */
void mgpu_spte_set(struct mgpu *mg, struct mgpu_spte *e, u64 entry)
{
	u64 gfn = entry_gfn(mg, entry), dma = 0;
	int ret;

	if (gfn == e->gfn)
		return;
	if (gfn != MGPU_GFN_SCRATCH) {
		ret = mpt_dma_map(&mg->vdev, gfn, MPT_DMA_SIZE_4K, &dma);
		if (ret) {
			mpt_warn("mgpu%u: cannot pin gfn 0x%llx (%d): scratch",
				 mg->vdev.id, (unsigned long long)gfn, ret);
			gfn = MGPU_GFN_SCRATCH;
			dma = 0;
		}
	}
	if (gfn == e->gfn)
		return;
	spte_unpin(mg, e);
	e->gfn = gfn;
	e->dma = dma;
	mpt_stat_inc(&mg->stats.shadow_updates);
}

/**
 * mgpu_spte_forget() - drop a shadow entry whose pin the core revoked
 * @e: the entry
 * @gfn: first page of the range the guest took away
 * @nr: pages in the range
 *
 * The core already unmapped the pages (mpt_dma_invalidate()), so nothing is
 * unpinned here; the entry just stops using the bus address.
 */
void mgpu_spte_forget(struct mgpu_spte *e, u64 gfn, u64 nr)
{
	if (e->gfn == MGPU_GFN_SCRATCH || e->gfn - gfn >= nr)
		return;
	e->gfn = MGPU_GFN_SCRATCH;
	e->dma = 0;
}
