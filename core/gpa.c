// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Guest memory: the device model's reads and writes of guest-physical
 * memory and its questions about guest frames, passed to the backend after
 * the checks every backend would otherwise repeat.
 */
#include "mpt_core.h"

static bool range_wraps(u64 gpa, size_t len)
{
	return len && gpa + (len - 1) < gpa;
}

int mpt_gpa_read(struct mpt_vdev *vdev, u64 gpa, void *buf, size_t len)
{
	struct mpt_instance *inst = to_inst(vdev);

	if (mpt_unlikely(!inst_attached(inst)))
		return -ENODEV;
	if (mpt_unlikely(range_wraps(gpa, len)))
		return -EINVAL;
	return mpt_bk_call(inst, read_gpa, gpa, buf, len);
}
MPT_EXPORT(mpt_gpa_read);

int mpt_gpa_write(struct mpt_vdev *vdev, u64 gpa, const void *buf, size_t len)
{
	struct mpt_instance *inst = to_inst(vdev);

	if (mpt_unlikely(!inst_attached(inst)))
		return -ENODEV;
	if (mpt_unlikely(range_wraps(gpa, len)))
		return -EINVAL;
	return mpt_bk_call(inst, write_gpa, gpa, buf, len);
}
MPT_EXPORT(mpt_gpa_write);

/* A gfn the 64-bit guest-physical address space can hold. */
static bool gfn_in_space(u64 gfn)
{
	return gfn < (1ULL << (64 - MPT_PAGE_SHIFT));
}

int mpt_gfn_to_pfn(struct mpt_vdev *vdev, u64 gfn, u64 *pfn)
{
	struct mpt_instance *inst = to_inst(vdev);

	if (!inst_attached(inst))
		return -ENODEV;
	if (!gfn_in_space(gfn))
		return -EFAULT;
	return mpt_bk_call(inst, gfn_to_pfn, gfn, pfn);
}
MPT_EXPORT(mpt_gfn_to_pfn);

bool mpt_is_valid_gfn(struct mpt_vdev *vdev, u64 gfn)
{
	struct mpt_instance *inst = to_inst(vdev);

	return inst_attached(inst) && gfn_in_space(gfn) &&
	       mpt_bk_call(inst, is_valid_gfn, gfn);
}
MPT_EXPORT(mpt_is_valid_gfn);
