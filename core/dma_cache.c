// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The DMA translation cache: (gfn, size) -> bus address, refcounted.
 *
 * A device model maps the same guest pages again and again (every shadow
 * entry pointing at a page); pinning and IOMMU-mapping each time would be
 * slow, so mappings are cached and refcounted, found by gfn on map and by
 * bus address on pin and unmap, both in O(1).  The backend sees exactly one
 * map and one unmap per cached entry.
 */
#include "mpt_core.h"

struct dma_entry {
	struct mpt_hnode by_gfn; /* key: gfn */
	struct mpt_hnode by_addr; /* key: bus address */
	u64 size;
	unsigned int refs;
};

void mpt_dma_init(struct mpt_instance *inst)
{
	mpt_mutex_init(&inst->dma.lock);
}

static int ensure_tables(struct mpt_dma_cache *c)
{
	if (c->by_gfn.buckets)
		return 0;
	if (mpt_htable_init(&c->by_gfn, 6))
		return -ENOMEM;
	if (mpt_htable_init(&c->by_addr, 6)) {
		mpt_htable_destroy(&c->by_gfn);
		return -ENOMEM;
	}
	return 0;
}

static bool valid_size(u64 gfn, u64 size)
{
	if (size != MPT_DMA_SIZE_4K && size != MPT_DMA_SIZE_64K &&
	    size != MPT_DMA_SIZE_2M)
		return false;
	return !(gfn & ((size >> MPT_PAGE_SHIFT) - 1)) &&
	       gfn < (1ULL << (64 - MPT_PAGE_SHIFT)) - (size >> MPT_PAGE_SHIFT);
}

static struct dma_entry *find_gfn(struct mpt_dma_cache *c, u64 gfn, u64 size)
{
	struct mpt_hnode *n;

	for (n = mpt_htable_find(&c->by_gfn, gfn); n; n = mpt_htable_next(n)) {
		struct dma_entry *e =
			mpt_container_of(n, struct dma_entry, by_gfn);

		if (e->size == size)
			return e;
	}
	return NULL;
}

static struct dma_entry *find_addr(struct mpt_dma_cache *c, u64 addr)
{
	struct mpt_hnode *n = mpt_htable_find(&c->by_addr, addr);

	return n ? mpt_container_of(n, struct dma_entry, by_addr) : NULL;
}

static int map_new(struct mpt_instance *inst, u64 gfn, u64 size, u64 *addr)
{
	struct dma_entry *e;
	int ret = ensure_tables(&inst->dma);

	if (ret)
		return ret;
	e = mpt_zalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	ret = mpt_bk_call(inst, dma_map, gfn, size, addr);
	if (ret) {
		mpt_free(e);
		return ret;
	}
	e->size = size;
	e->refs = 1;
	mpt_htable_add(&inst->dma.by_gfn, &e->by_gfn, gfn);
	mpt_htable_add(&inst->dma.by_addr, &e->by_addr, *addr);
	mpt_stat_inc(&inst->stats.dma_maps);
	return 0;
}

int mpt_dma_map(struct mpt_vdev *vdev, u64 gfn, u64 size, u64 *dma_addr)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct dma_entry *e;
	int ret = 0;

	if (!dma_addr || !valid_size(gfn, size))
		return -EINVAL;
	mpt_mutex_lock(&inst->dma.lock);
	e = find_gfn(&inst->dma, gfn, size);
	if (!inst_attached(inst)) {
		ret = -ENODEV;
	} else if (e) {
		e->refs++;
		*dma_addr = e->by_addr.key;
		mpt_stat_inc(&inst->stats.dma_hits);
	} else {
		ret = map_new(inst, gfn, size, dma_addr);
	}
	mpt_mutex_unlock(&inst->dma.lock);
	return ret;
}
MPT_EXPORT(mpt_dma_map);

int mpt_dma_pin(struct mpt_vdev *vdev, u64 dma_addr)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct dma_entry *e;

	mpt_mutex_lock(&inst->dma.lock);
	e = find_addr(&inst->dma, dma_addr);
	if (e)
		e->refs++;
	mpt_mutex_unlock(&inst->dma.lock);
	return e ? 0 : -ENOENT;
}
MPT_EXPORT(mpt_dma_pin);

static void drop_entry(struct mpt_instance *inst, struct dma_entry *e)
{
	mpt_bk_call(inst, dma_unmap, e->by_gfn.key, e->size, e->by_addr.key);
	mpt_htable_del(&inst->dma.by_gfn, &e->by_gfn);
	mpt_htable_del(&inst->dma.by_addr, &e->by_addr);
	mpt_free(e);
	mpt_stat_inc(&inst->stats.dma_unmaps);
}

int mpt_dma_unmap(struct mpt_vdev *vdev, u64 dma_addr)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct dma_entry *e;

	mpt_mutex_lock(&inst->dma.lock);
	e = find_addr(&inst->dma, dma_addr);
	if (e && !--e->refs)
		drop_entry(inst, e);
	mpt_mutex_unlock(&inst->dma.lock);
	return e ? 0 : -ENOENT;
}
MPT_EXPORT(mpt_dma_unmap);

static bool overlaps(const struct dma_entry *e, u64 gfn, u64 nr)
{
	u64 start = e->by_gfn.key, pages = e->size >> MPT_PAGE_SHIFT;

	return start < gfn + nr && gfn < start + pages;
}

int mpt_dma_invalidate(struct mpt_vdev *vdev, u64 gfn, u64 nr)
{
	struct mpt_instance *inst = to_inst(vdev);
	const struct mpt_vdev_ops *ops = vdev->type->ops;
	struct mpt_hnode *n, *tmp;
	unsigned int i;
	int count = 0;

	if (gfn + nr < gfn)
		nr = ~0ULL - gfn;
	mpt_mutex_lock(&inst->dma.lock);
	mpt_htable_for_each_safe(&inst->dma.by_gfn, i, n, tmp) {
		struct dma_entry *e =
			mpt_container_of(n, struct dma_entry, by_gfn);

		if (!overlaps(e, gfn, nr))
			continue;
		drop_entry(inst, e);
		mpt_stat_inc(&inst->stats.dma_invalidated);
		count++;
	}
	mpt_mutex_unlock(&inst->dma.lock);
	if (count && ops->dma_invalidated)
		ops->dma_invalidated(vdev, gfn, nr);
	return count;
}
MPT_EXPORT(mpt_dma_invalidate);

/* Detach: nothing may stay pinned in a guest we no longer serve. */
void mpt_dma_release_all(struct mpt_instance *inst)
{
	struct mpt_hnode *n, *tmp;
	unsigned int i, leaked = 0;

	mpt_mutex_lock(&inst->dma.lock);
	mpt_htable_for_each_safe(&inst->dma.by_gfn, i, n, tmp) {
		drop_entry(inst, mpt_container_of(n, struct dma_entry, by_gfn));
		mpt_stat_inc(&inst->stats.dma_leaked);
		leaked++;
	}
	mpt_mutex_unlock(&inst->dma.lock);
	if (leaked)
		mpt_warn("%s/%u: %u DMA mappings still held at detach, unmapped",
			 inst->vdev.type->name, inst->vdev.id, leaked);
}

void mpt_dma_destroy(struct mpt_instance *inst)
{
	mpt_htable_destroy(&inst->dma.by_gfn);
	mpt_htable_destroy(&inst->dma.by_addr);
	mpt_mutex_destroy(&inst->dma.lock);
}
