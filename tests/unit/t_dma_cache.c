// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The DMA translation cache: one backend map per (gfn, size), references,
 * guest invalidation, and nothing left pinned after detach.
 */
#include "fixture.h"
#include "tap.h"

static void test_map_unmap(void)
{
	struct mpt_vdev_stats st;
	struct fx fx;
	u64 a, b, c;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	ok(mpt_dma_map(fx.vdev, 0x10, MPT_DMA_SIZE_4K, &a) == 0, "map 4K");
	is_int(mpt_sim_pin_count(fx.g, 0x10), 1, "page pinned");
	ok(mpt_dma_map(fx.vdev, 0x10, MPT_DMA_SIZE_4K, &b) == 0 && a == b,
	   "second map: same address");
	is_int(mpt_sim_op_calls(fx.g, MPT_SIM_DMA_MAP), 1,
	       "served from the cache");
	is_int(mpt_sim_pin_count(fx.g, 0x10), 1, "pinned once");
	ok(mpt_dma_pin(fx.vdev, a) == 0, "pin takes a third reference");
	ok(mpt_dma_unmap(fx.vdev, a) == 0 && mpt_dma_unmap(fx.vdev, a) == 0,
	   "two unmaps");
	is_int(mpt_sim_pin_count(fx.g, 0x10), 1, "still pinned");
	ok(mpt_dma_unmap(fx.vdev, a) == 0, "last unmap");
	is_int(mpt_sim_pin_count(fx.g, 0x10), 0, "unpinned");
	is_int(mpt_dma_unmap(fx.vdev, a), -ENOENT, "unmap once too often");
	is_int(mpt_dma_pin(fx.vdev, a), -ENOENT, "pin of nothing");

	ok(mpt_dma_map(fx.vdev, 0x200, MPT_DMA_SIZE_2M, &c) == 0, "map 2M");
	is_int(mpt_sim_pin_count(fx.g, 0x3ff), 1, "its last page pinned");
	ok(mpt_dma_map(fx.vdev, 0x200, MPT_DMA_SIZE_4K, &a) == 0,
	   "4K at the same gfn is its own mapping");
	is_int(mpt_sim_pin_count(fx.g, 0x200), 2, "first page pinned twice");
	ok(mpt_dma_map(fx.vdev, 0x30, MPT_DMA_SIZE_64K, &b) == 0, "map 64K");
	mpt_vdev_get_stats(fx.vdev, &st);
	ok(st.dma_maps == 4 && st.dma_hits == 1, "maps and hits counted");
	fx_teardown(&fx);
}

static void test_bad_requests(void)
{
	struct fx fx;
	u64 a;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	is_int(mpt_dma_map(fx.vdev, 0x10, 8192, &a), -EINVAL, "8 KiB size");
	is_int(mpt_dma_map(fx.vdev, 0x11, MPT_DMA_SIZE_64K, &a), -EINVAL,
	       "64K at an unaligned gfn");
	is_int(mpt_dma_map(fx.vdev, 0x100, MPT_DMA_SIZE_2M, NULL), -EINVAL,
	       "no output pointer");
	is_int(mpt_dma_map(fx.vdev, ~0ULL & ~0x1ffULL, MPT_DMA_SIZE_2M, &a),
	       -EINVAL, "gfn beyond the address space");
	is_int(mpt_dma_map(fx.vdev, MPT_GPA_TO_GFN(FX_HOLE_GPA),
			   MPT_DMA_SIZE_4K, &a),
	       -EFAULT, "page in the hole");
	is_int(mpt_dma_map(fx.vdev, MPT_GPA_TO_GFN(FX_RAM0_SIZE) - 0x200,
			   MPT_DMA_SIZE_2M, &a), 0, "last 2M before the hole");
	ok(mpt_dma_unmap(fx.vdev, a) == 0, "unmapped");
	mpt_sim_fail_nth(fx.g, MPT_SIM_DMA_MAP, 1, -ENOMEM);
	is_int(mpt_dma_map(fx.vdev, 0x10, MPT_DMA_SIZE_4K, &a), -ENOMEM,
	       "backend failure passed on");
	ok(mpt_dma_map(fx.vdev, 0x10, MPT_DMA_SIZE_4K, &a) == 0,
	   "and nothing cached: next map asks again");
	ok(mpt_dma_unmap(fx.vdev, a) == 0, "unmap");
	fx_teardown(&fx);
}

static void test_invalidate_and_detach(void)
{
	struct mpt_vdev_stats st;
	struct fx fx;
	u64 a, b, c, i;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	ok(mpt_dma_map(fx.vdev, 0x10, MPT_DMA_SIZE_4K, &a) == 0 &&
		   mpt_dma_map(fx.vdev, 0x10, MPT_DMA_SIZE_4K, &a) == 0 &&
		   mpt_dma_map(fx.vdev, 0x20, MPT_DMA_SIZE_64K, &b) == 0 &&
		   mpt_dma_map(fx.vdev, 0x400, MPT_DMA_SIZE_4K, &c) == 0,
	   "three mappings, one held twice");
	is_int(mpt_sim_guest_dma_unmap(fx.g, 0x2f, 2), 1,
	       "guest unmaps a range overlapping the 64K mapping");
	is_int(mpt_sim_pin_count(fx.g, 0x20), 0, "64K mapping unpinned");
	is_int(mpt_dma_unmap(fx.vdev, b), -ENOENT, "its address is stale");
	is_int(mpt_sim_guest_dma_unmap(fx.g, 0, 0x20), 1,
	       "invalidation ignores references");
	is_int(mpt_sim_pin_count(fx.g, 0x10), 0, "held mapping unpinned");
	for (i = 0, c = 0; i < 1000; i++)
		c += mpt_dma_map(fx.vdev, 0x2000 + i, MPT_DMA_SIZE_4K, &a) != 0;
	is_int(c, 0, "1000 more mappings");
	is_int(mpt_sim_pin_count(fx.g, 0x23e7), 1, "the last one pinned");
	ok(mpt_vdev_detach(fx.vdev) == 0, "detach with mappings held");
	is_int(mpt_sim_pin_count(fx.g, 0x400) + mpt_sim_pin_count(fx.g, 0x2000),
	       0, "nothing left pinned");
	mpt_vdev_get_stats(fx.vdev, &st);
	is_int(st.dma_leaked, 1001, "held mappings counted as leaked");
	is_int(st.dma_invalidated, 2, "invalidations counted");
	is_int(mpt_dma_map(fx.vdev, 0x10, MPT_DMA_SIZE_4K, &a), -ENODEV,
	       "no mapping while detached");
	fx_teardown(&fx);
}

int main(void)
{
	test_map_unmap();
	test_invalidate_and_detach();
	test_bad_requests();
	return done_testing();
}
