// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The picture an instance scans out, for a VMM's display.
 *
 * The device model computes it (read_plane); the core checks the answer
 * before anyone sizes a buffer or a VFIO region from it, because a bad
 * width from a device model would otherwise become an out-of-bounds copy
 * in a backend.
 */
#include "mpt_core.h"

static bool plane_sane(const struct mpt_vdev *vdev,
		       const struct mpt_plane *plane)
{
	if (!plane->width)
		return true;
	if (plane->format == MPT_FORMAT_XRGB8888 && plane->height &&
	    plane->width <= MPT_PLANE_MAX_SIDE &&
	    plane->height <= MPT_PLANE_MAX_SIDE)
		return true;
	mpt_err("%s%u: read_plane answered %ux%u, format %#x",
		vdev->type->name, vdev->id, plane->width, plane->height,
		plane->format);
	return false;
}

int mpt_vdev_read_plane(struct mpt_vdev *vdev, struct mpt_plane *plane,
			u32 *pixels, size_t max)
{
	int ret;

	*plane = (struct mpt_plane){ 0 };
	if (!vdev->type->ops->read_plane)
		return -EOPNOTSUPP;
	ret = vdev->type->ops->read_plane(vdev, plane, pixels, max);
	if (ret)
		return ret;
	if (!plane_sane(vdev, plane)) {
		*plane = (struct mpt_plane){ 0 };
		return -EIO;
	}
	if (!plane->width)
		plane->height = plane->format = 0;
	return 0;
}
MPT_EXPORT(mpt_vdev_read_plane);
