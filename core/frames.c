// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Pass-through frame mappings (apertures mapped straight to host frames).
 *
 * The core remembers each mapping so that detach can undo the ones a device
 * model left behind: a guest must never keep access to host frames after
 * its device is gone.
 */
#include "mpt_core.h"

void mpt_frames_init(struct mpt_instance *inst)
{
	mpt_mutex_init(&inst->frames.lock);
}

static bool frames_ok(u64 gfn, u64 nr)
{
	return nr && gfn + nr > gfn &&
	       gfn + nr <= (1ULL << (64 - MPT_PAGE_SHIFT));
}

static int remember(struct mpt_frames *f, u64 gfn, u64 nr)
{
	int ret = mpt_array_reserve((void **)&f->v, f->nr, &f->cap,
				    sizeof(*f->v), 4);

	if (ret)
		return ret;
	f->v[f->nr].gfn = gfn;
	f->v[f->nr].nr = nr;
	f->nr++;
	return 0;
}

int mpt_map_frames(struct mpt_vdev *vdev, u64 gfn, u64 pfn, u64 nr)
{
	struct mpt_instance *inst = to_inst(vdev);
	int ret;

	if (!frames_ok(gfn, nr) || !frames_ok(pfn, nr))
		return -EINVAL;
	mpt_mutex_lock(&inst->frames.lock);
	ret = inst_attached(inst) ? 0 : -ENODEV;
	if (!ret)
		ret = remember(&inst->frames, gfn, nr);
	if (!ret) {
		ret = mpt_bk_call(inst, map_frames, gfn, pfn, nr);
		if (ret)
			inst->frames.nr--;
	}
	mpt_mutex_unlock(&inst->frames.lock);
	return ret;
}
MPT_EXPORT(mpt_map_frames);

int mpt_unmap_frames(struct mpt_vdev *vdev, u64 gfn, u64 nr)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct mpt_frames *f = &inst->frames;
	unsigned int i;
	int ret = -ENOENT;

	mpt_mutex_lock(&f->lock);
	for (i = 0; i < f->nr; i++) {
		if (f->v[i].gfn == gfn && f->v[i].nr == nr) {
			mpt_bk_call(inst, unmap_frames, gfn, nr);
			f->v[i] = f->v[--f->nr];
			ret = 0;
			break;
		}
	}
	mpt_mutex_unlock(&f->lock);
	return ret;
}
MPT_EXPORT(mpt_unmap_frames);

void mpt_frames_release_all(struct mpt_instance *inst)
{
	struct mpt_frames *f = &inst->frames;
	unsigned int left;

	mpt_mutex_lock(&f->lock);
	left = f->nr;
	while (f->nr) {
		f->nr--;
		mpt_bk_call(inst, unmap_frames, f->v[f->nr].gfn,
			    f->v[f->nr].nr);
	}
	mpt_mutex_unlock(&f->lock);
	if (left)
		mpt_warn("%s/%u: %u frame mappings still in place at detach, unmapped",
			 inst->vdev.type->name, inst->vdev.id, left);
}

void mpt_frames_destroy(struct mpt_instance *inst)
{
	mpt_free(inst->frames.v);
	mpt_mutex_destroy(&inst->frames.lock);
}
