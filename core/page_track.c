// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Guest page write-tracking: gfn -> handlers, in a hash table.
 *
 * The backend is asked to track a page when its first handler arrives and
 * to stop when the last one goes, so several parts of a device model (or
 * several shadow tables sharing a page) can track the same gfn.  Delivery
 * copies the page's handlers under the lock and calls them after dropping
 * it, so handlers may add and remove tracks, their own included.
 */
#include "mpt_core.h"

struct track_handler {
	mpt_page_track_fn fn;
	void *opaque;
};

struct track_page {
	struct mpt_hnode node; /* key: gfn */
	unsigned int nr;
	struct track_handler h[MPT_PAGE_TRACK_MAX_HANDLERS];
};

void mpt_tracks_init(struct mpt_instance *inst)
{
	mpt_mutex_init(&inst->tracks.lock);
}

static struct track_page *find_page(struct mpt_instance *inst, u64 gfn)
{
	struct mpt_hnode *n = mpt_htable_find(&inst->tracks.pages, gfn);

	return n ? mpt_container_of(n, struct track_page, node) : NULL;
}

static int find_handler(const struct track_page *p, mpt_page_track_fn fn,
			void *opaque)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++)
		if (p->h[i].fn == fn && p->h[i].opaque == opaque)
			return (int)i;
	return -1;
}

/* First handler of a page: allocate it and ask the backend to track. */
static int track_new_page(struct mpt_instance *inst, u64 gfn,
			  mpt_page_track_fn fn, void *opaque)
{
	struct track_page *p;
	int ret;

	if (!inst->tracks.pages.buckets &&
	    mpt_htable_init(&inst->tracks.pages, 6))
		return -ENOMEM;
	p = mpt_zalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	ret = mpt_bk_call(inst, enable_page_track, gfn);
	if (ret) {
		mpt_free(p);
		return ret;
	}
	p->h[0] = (struct track_handler){ fn, opaque };
	p->nr = 1;
	mpt_htable_add(&inst->tracks.pages, &p->node, gfn);
	return 0;
}

int mpt_page_track_add(struct mpt_vdev *vdev, u64 gfn, mpt_page_track_fn fn,
		       void *opaque)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct track_page *p;
	int ret = 0;

	if (!fn || gfn >= (1ULL << (64 - MPT_PAGE_SHIFT)))
		return -EINVAL;
	mpt_mutex_lock(&inst->tracks.lock);
	p = find_page(inst, gfn);
	if (!inst_attached(inst))
		ret = -ENODEV;
	else if (!p)
		ret = track_new_page(inst, gfn, fn, opaque);
	else if (find_handler(p, fn, opaque) >= 0)
		ret = -EEXIST;
	else if (p->nr == MPT_PAGE_TRACK_MAX_HANDLERS)
		ret = -ENOSPC;
	else
		p->h[p->nr++] = (struct track_handler){ fn, opaque };
	mpt_mutex_unlock(&inst->tracks.lock);
	return ret;
}
MPT_EXPORT(mpt_page_track_add);

static void drop_page(struct mpt_instance *inst, struct track_page *p)
{
	int ret = mpt_bk_call(inst, disable_page_track, p->node.key);

	/* Harmless for the core: later writes there find no handler. */
	if (ret)
		mpt_warn("%s/%u: backend could not stop tracking gfn 0x%llx: %d",
			 inst->vdev.type->name, inst->vdev.id,
			 (unsigned long long)p->node.key, ret);
	mpt_htable_del(&inst->tracks.pages, &p->node);
	mpt_free(p);
}

int mpt_page_track_remove(struct mpt_vdev *vdev, u64 gfn,
			  mpt_page_track_fn fn, void *opaque)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct track_page *p;
	int i, ret = 0;

	mpt_mutex_lock(&inst->tracks.lock);
	p = find_page(inst, gfn);
	i = p ? find_handler(p, fn, opaque) : -1;
	if (i < 0) {
		ret = -ENOENT;
	} else {
		p->h[i] = p->h[--p->nr];
		if (!p->nr)
			drop_page(inst, p);
	}
	mpt_mutex_unlock(&inst->tracks.lock);
	return ret;
}
MPT_EXPORT(mpt_page_track_remove);

bool mpt_page_track_is_tracked(struct mpt_vdev *vdev, u64 gfn)
{
	struct mpt_instance *inst = to_inst(vdev);
	bool ret;

	mpt_mutex_lock(&inst->tracks.lock);
	ret = find_page(inst, gfn) != NULL;
	mpt_mutex_unlock(&inst->tracks.lock);
	return ret;
}
MPT_EXPORT(mpt_page_track_is_tracked);

/* Deliver a write that stays within one page; returns handlers called. */
static int deliver_page(struct mpt_instance *inst, u64 gpa, const u8 *data,
			unsigned int len)
{
	struct track_handler h[MPT_PAGE_TRACK_MAX_HANDLERS];
	struct track_page *p;
	unsigned int n = 0, i;

	mpt_mutex_lock(&inst->tracks.lock);
	p = find_page(inst, MPT_GPA_TO_GFN(gpa));
	if (p) {
		n = p->nr;
		memcpy(h, p->h, n * sizeof(h[0]));
	}
	mpt_mutex_unlock(&inst->tracks.lock);
	if (!n)
		mpt_stat_inc(&inst->stats.page_track_misses);
	for (i = 0; i < n; i++) {
		mpt_upcall_page_track(h[i].fn, &inst->vdev, gpa, data, len,
				      h[i].opaque);
		mpt_stat_inc(&inst->stats.page_track_writes);
	}
	return (int)n;
}

int mpt_page_track_write(struct mpt_vdev *vdev, u64 gpa, const void *data,
			 size_t len)
{
	struct mpt_instance *inst = to_inst(vdev);
	const u8 *p = data;
	int total = 0;

	if (mpt_unlikely(!mpt_inst_enter(inst)))
		return -ENODEV;
	while (len) {
		u64 left = MPT_PAGE_SIZE - (gpa & ~MPT_PAGE_MASK);
		unsigned int piece = (unsigned int)MPT_MIN((u64)len, left);

		total += deliver_page(inst, gpa, p, piece);
		gpa += piece;
		p += piece;
		len -= piece;
	}
	mpt_inst_leave(inst);
	return total;
}
MPT_EXPORT(mpt_page_track_write);

void mpt_tracks_release_all(struct mpt_instance *inst)
{
	struct mpt_hnode *n, *tmp;
	unsigned int i;

	mpt_mutex_lock(&inst->tracks.lock);
	mpt_htable_for_each_safe(&inst->tracks.pages, i, n, tmp)
		drop_page(inst, mpt_container_of(n, struct track_page, node));
	mpt_mutex_unlock(&inst->tracks.lock);
}

void mpt_tracks_destroy(struct mpt_instance *inst)
{
	mpt_htable_destroy(&inst->tracks.pages);
	mpt_mutex_destroy(&inst->tracks.lock);
}
