// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * What the core does when a backend leaves an optional op out.  Registration
 * puts these in the resolved table (and a statically bound backend may name
 * them in its bind header), so dispatch never tests for NULL.
 */
#include "mpt_core.h"

int mpt_default_enable_page_track(void *handle, u64 gfn)
{
	(void)handle;
	(void)gfn;
	return -EOPNOTSUPP;
}

int mpt_default_disable_page_track(void *handle, u64 gfn)
{
	(void)handle;
	(void)gfn;
	return -EOPNOTSUPP;
}

int mpt_default_gfn_to_pfn(void *handle, u64 gfn, u64 *pfn)
{
	(void)handle;
	(void)gfn;
	(void)pfn;
	return -EOPNOTSUPP;
}

int mpt_default_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr)
{
	(void)handle;
	(void)gfn;
	(void)size;
	(void)dma_addr;
	return -EOPNOTSUPP;
}

void mpt_default_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr)
{
	(void)handle;
	(void)gfn;
	(void)size;
	(void)dma_addr;
}

/* As GVT-g did: without a cheap check, later ops report bad gfns. */
bool mpt_default_is_valid_gfn(void *handle, u64 gfn)
{
	(void)handle;
	(void)gfn;
	return true;
}

/* With VFIO the VMM routes BAR accesses itself: nothing to claim. */
int mpt_default_claim_trap_area(void *handle, const struct mpt_trap_area *area)
{
	(void)handle;
	(void)area;
	return 0;
}

void mpt_default_release_trap_area(void *handle,
				   const struct mpt_trap_area *area)
{
	(void)handle;
	(void)area;
}

int mpt_default_map_frames(void *handle, u64 gfn, u64 pfn, u64 nr)
{
	(void)handle;
	(void)gfn;
	(void)pfn;
	(void)nr;
	return -EOPNOTSUPP;
}

void mpt_default_unmap_frames(void *handle, u64 gfn, u64 nr)
{
	(void)handle;
	(void)gfn;
	(void)nr;
}
