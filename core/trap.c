// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Trap dispatch: guest accesses to a BAR go to the device model's handler
 * for the sub-range they hit.
 *
 * Each BAR has a range map that is frozen while the instance is ACTIVE, so
 * dispatch takes no lock.  Defined behaviour for awkward accesses:
 * - an access is split where a handler's range ends and where the next one
 *   begins, each part going to the range it lies in;
 * - a part in no range is unclaimed: a read returns all ones, a write is
 *   dropped;
 * - sizes and alignment a handler did not ask for are refused the same way,
 *   unless the handler asked the core to split them (MPT_TRAP_SPLIT).
 */
#include "mpt_core.h"

static u64 bar_size(const struct mpt_vdev *vdev, unsigned int bar)
{
	const struct mpt_bar_desc *b = &vdev->type->pci->bars[bar];

	return b->type == MPT_BAR_NONE ? 0 : b->size;
}

static bool trap_registration_open(struct mpt_instance *inst)
{
	enum mpt_vdev_state s = inst_state(inst);

	return s == MPT_VDEV_CREATED || s == MPT_VDEV_ATTACHED ||
	       s == MPT_VDEV_DETACHED;
}

int mpt_trap_register(struct mpt_vdev *vdev, unsigned int bar, u64 offset,
		      u64 len, mpt_trap_fn fn, void *opaque,
		      unsigned int flags)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct mpt_range r = { .start = offset, .len = len, .opaque = opaque,
			       .flags = flags, .data = (void *)fn };
	u64 size;

	if (bar >= MPT_PCI_NR_BARS || !fn || (flags & ~MPT_TRAP_FLAGS_ALL))
		return -EINVAL;
	size = bar_size(vdev, bar);
	if (!len || offset >= size || len > size - offset) {
		mpt_err("%s: trap [0x%llx, +0x%llx) outside BAR%u of 0x%llx bytes",
			vdev->type->name, (unsigned long long)offset,
			(unsigned long long)len, bar, (unsigned long long)size);
		return -EINVAL;
	}
	if (!trap_registration_open(inst))
		return -EBUSY;
	return mpt_range_map_insert(&inst->bar_traps[bar], &r);
}
MPT_EXPORT(mpt_trap_register);

void mpt_traps_destroy(struct mpt_instance *inst)
{
	unsigned int i;

	for (i = 0; i < MPT_PCI_NR_BARS; i++)
		mpt_range_map_destroy(&inst->bar_traps[i]);
}

static void fail_read(void *data, unsigned int len, bool is_write)
{
	if (!is_write)
		memset(data, 0xff, len);
}

/* Sizes are powers of two, so a size's flag bit is the size itself. */
static bool size_ok(u32 flags, unsigned int len, u64 offset)
{
	u32 sizes = flags & MPT_TRAP_SIZE_ANY;

	if (!sizes)
		return true;
	if (!(sizes & len) || (len & (len - 1)))
		return false;
	return !(flags & MPT_TRAP_ALIGNED) || !(offset & (len - 1));
}

static int call_handler(struct mpt_instance *inst, const struct mpt_range *r,
			u64 offset, u8 *data, unsigned int len, bool is_write)
{
	int ret = mpt_upcall_trap((mpt_trap_fn)r->data, &inst->vdev, offset,
				  data, len, is_write, r->opaque);

	mpt_stat_inc(&inst->stats.mmio_traps);
	if (mpt_unlikely(ret)) {
		mpt_stat_inc(&inst->stats.handler_errors);
		fail_read(data, len, is_write);
	}
	return ret;
}

/* Largest accepted, naturally aligned piece at @offset, or 0. */
static unsigned int split_size(u32 flags, u64 offset, unsigned int len)
{
	unsigned int s;

	for (s = 8; s; s >>= 1)
		if (s <= len && !(offset & (s - 1)) && (flags & s))
			return s;
	return 0;
}

static int dispatch_piece(struct mpt_instance *inst, const struct mpt_range *r,
			  u64 offset, u8 *data, unsigned int len, bool is_write)
{
	unsigned int s;
	int ret = 0;

	if (mpt_likely(size_ok(r->flags, len, offset)))
		return call_handler(inst, r, offset, data, len, is_write);
	if (!(r->flags & MPT_TRAP_SPLIT))
		goto bad;
	while (len) {
		s = split_size(r->flags, offset, len);
		if (!s)
			goto bad;
		ret = call_handler(inst, r, offset, data, s, is_write);
		offset += s;
		data += s;
		len -= s;
		if (ret) {
			/* Pieces after a failed one are not issued. */
			fail_read(data, len, is_write);
			return ret;
		}
	}
	return 0;
bad:
	mpt_stat_inc(&inst->stats.bad_accesses);
	fail_read(data, len, is_write);
	return -EINVAL;
}

/* An unclaimed part: up to the next range, or the whole rest. */
static unsigned int unclaimed(struct mpt_instance *inst, unsigned int bar,
			      u64 offset, u8 *data, unsigned int len,
			      bool is_write)
{
	const struct mpt_range *next =
		mpt_range_map_next(&inst->bar_traps[bar], offset);
	unsigned int piece = len;

	if (next && next->start - offset < len)
		piece = (unsigned int)(next->start - offset);
	mpt_stat_inc(&inst->stats.unclaimed);
	fail_read(data, piece, is_write);
	return piece;
}

static int dispatch(struct mpt_instance *inst, unsigned int bar, u64 offset,
		    u8 *data, unsigned int len, bool is_write)
{
	const struct mpt_range *r;
	unsigned int piece;
	int ret, first = 0;

	while (len) {
		r = mpt_range_map_lookup(&inst->bar_traps[bar], offset);
		if (r) {
			piece = (unsigned int)MPT_MIN(
				(u64)len, r->start + r->len - offset);
			ret = dispatch_piece(inst, r, offset, data, piece,
					     is_write);
		} else {
			piece = unclaimed(inst, bar, offset, data, len,
					  is_write);
			ret = -ENXIO;
		}
		if (ret && !first)
			first = ret;
		offset += piece;
		data += piece;
		len -= piece;
	}
	return first;
}

int mpt_vdev_bar_access(struct mpt_vdev *vdev, unsigned int bar, u64 offset,
			void *data, unsigned int len, bool is_write)
{
	struct mpt_instance *inst = to_inst(vdev);
	u64 size;
	int ret;

	if (mpt_unlikely(bar >= MPT_PCI_NR_BARS || !len || len > 8))
		goto bad;
	size = bar_size(vdev, bar);
	if (mpt_unlikely(offset >= size || len > size - offset))
		goto bad;
	if (mpt_unlikely(!mpt_inst_enter(inst))) {
		fail_read(data, len, is_write);
		return -ENODEV;
	}
	ret = dispatch(inst, bar, offset, data, len, is_write);
	mpt_inst_leave(inst);
	return ret;
bad:
	mpt_stat_inc(&inst->stats.bad_accesses);
	if (len <= 8)
		fail_read(data, len, is_write);
	return -EINVAL;
}
MPT_EXPORT(mpt_vdev_bar_access);

/* Largest naturally aligned power of two up to 8 that fits at @offset. */
static unsigned int chunk_size(u64 offset, size_t len)
{
	unsigned int s = 8;

	while (s > len || (offset & (s - 1)))
		s >>= 1;
	return s;
}

int mpt_vdev_bar_rw(struct mpt_vdev *vdev, unsigned int bar, u64 offset,
		    void *data, size_t len, bool is_write)
{
	u8 *p = data;
	int ret, first = 0;

	/* Every piece is dispatched, as a CPU would issue every access. */
	while (len) {
		unsigned int s = chunk_size(offset, len);

		ret = mpt_vdev_bar_access(vdev, bar, offset, p, s, is_write);
		if (ret && !first)
			first = ret;
		offset += s;
		p += s;
		len -= s;
	}
	return first;
}
MPT_EXPORT(mpt_vdev_bar_rw);

int mpt_vdev_for_each_doorbell(struct mpt_vdev *vdev, unsigned int bar,
			       mpt_doorbell_fn fn, void *arg)
{
	struct mpt_range_map *map;
	unsigned int i;
	int n = 0;

	if (bar >= MPT_PCI_NR_BARS)
		return -EINVAL;
	map = &to_inst(vdev)->bar_traps[bar];
	for (i = 0; i < map->nr; i++) {
		const struct mpt_range *r = &map->ranges[i];

		if (!(r->flags & MPT_TRAP_DOORBELL) || r->len > 8)
			continue;
		fn(arg, r->start, (unsigned int)r->len);
		n++;
	}
	return n;
}
MPT_EXPORT(mpt_vdev_for_each_doorbell);

int mpt_vdev_doorbell(struct mpt_vdev *vdev, unsigned int bar, u64 offset)
{
	struct mpt_instance *inst = to_inst(vdev);
	const struct mpt_range *r;
	u64 zero = 0;

	if (bar >= MPT_PCI_NR_BARS)
		return -EINVAL;
	r = mpt_range_map_lookup(&inst->bar_traps[bar], offset);
	if (!r || r->start != offset || !(r->flags & MPT_TRAP_DOORBELL) ||
	    r->len > 8)
		return -ENXIO;
	return mpt_vdev_bar_access(vdev, bar, offset, &zero,
				   (unsigned int)r->len, true);
}
MPT_EXPORT(mpt_vdev_doorbell);
