// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The display plane, snapshots of it, and the guest's display messages.
 *
 * The plane registers (PLANE_BASE, a GA through the GGTT, WIDTH, HEIGHT,
 * STRIDE, FORMAT, ENABLE) are plain storage; they are checked when the
 * display engine scans out, which for mgpu is when the host takes a
 * snapshot.  A plane is shown when it is enabled, XRGB8888, not empty, and
 * its stride holds a row; the snapshot then reads its rows through the
 * GGTT as the display engine would, and fails if any byte is unmapped.
 */
#include "mgpu_priv.h"

struct plane {
	u32 base;
	u32 width;
	u32 height;
	u32 stride;
};

/**
 * mgpu_display_reg_write() - a guest write to a plane register
 * @mg: the instance, lock held
 * @offset: one of the MGPU_REG_PLANE_* registers
 * @val: the value; PLANE_ENABLE keeps bit 0 only
 */
void mgpu_display_reg_write(struct mgpu *mg, u32 offset, u32 val)
{
	MGPU_REG(mg, offset) = offset == MGPU_REG_PLANE_ENABLE ? val & 1 : val;
}

static int plane_get(struct mgpu *mg, struct plane *pl)
{
	pl->base = MGPU_REG(mg, MGPU_REG_PLANE_BASE);
	pl->width = MGPU_REG(mg, MGPU_REG_PLANE_WIDTH);
	pl->height = MGPU_REG(mg, MGPU_REG_PLANE_HEIGHT);
	pl->stride = MGPU_REG(mg, MGPU_REG_PLANE_STRIDE);
	if (!MGPU_REG(mg, MGPU_REG_PLANE_ENABLE) ||
	    MGPU_REG(mg, MGPU_REG_PLANE_FORMAT) != MGPU_FORMAT_XRGB8888 ||
	    !pl->width || !pl->height || (u64)pl->width * 4 > pl->stride)
		return -ENODATA;
	/* Past the GGTT nothing is mapped; this also bounds the size. */
	if (pl->base + (u64)(pl->height - 1) * pl->stride +
		    (u64)pl->width * 4 > MGPU_GGTT_SPAN)
		return -EFAULT;
	return 0;
}

static int plane_read(struct mgpu *mg, const struct plane *pl, u32 *pixels)
{
	u64 row = (u64)pl->width * 4, r;

	if (!mgpu_mem_rect_mapped(mg, MGPU_AS_GGTT, pl->base, pl->stride,
				  pl->width, pl->height))
		return -EFAULT;
	if (pl->stride == row)
		return mgpu_mem_read(mg, MGPU_AS_GGTT, pl->base, pixels,
				     row * pl->height);
	for (r = 0; r < pl->height; r++)
		if (mgpu_mem_read(mg, MGPU_AS_GGTT, pl->base + r * pl->stride,
				  pixels + r * pl->width, row))
			return -EFAULT;
	return 0;
}

int mgpu_snapshot(struct mpt_vdev *vdev, u32 **pixels, unsigned int *width,
		  unsigned int *height)
{
	struct mpt_plane pl;
	unsigned int tries;
	size_t n;
	u32 *buf;
	int ret;

	*pixels = NULL;
	if (!mgpu_is_mgpu(vdev))
		return -EINVAL;
	/* Size, then copy; the guest may resize the plane in between. */
	for (tries = 0; tries < 3; tries++) {
		ret = mgpu_read_plane(vdev, &pl, NULL, 0);
		if (ret || !pl.width)
			return ret ? ret : -ENODATA;
		n = (size_t)pl.width * pl.height;
		buf = mpt_zalloc_array(n, 4);
		if (!buf)
			return -ENOMEM;
		ret = mgpu_read_plane(vdev, &pl, buf, n);
		if (!ret && pl.width) {
			*pixels = buf;
			*width = pl.width;
			*height = pl.height;
			return 0;
		}
		mpt_free(buf);
		if (ret != -ENOSPC)
			return ret ? ret : -ENODATA;
	}
	return -EAGAIN;
}
MPT_EXPORT(mgpu_snapshot);

/**
 * mgpu_read_plane() - the device type's read_plane op
 * @vdev: the instance
 * @plane: set to the plane; width 0 when no plane is shown
 * @pixels: NULL, or where to copy the picture
 * @max: room at @pixels, in pixels
 *
 * Return: 0, -ENOSPC when the picture does not fit, -EFAULT when the plane
 * reaches past the GGTT or into unmapped entries.
 */
int mgpu_read_plane(struct mpt_vdev *vdev, struct mpt_plane *plane,
		    u32 *pixels, size_t max)
{
	struct mgpu *mg = to_mgpu(vdev);
	struct plane pl;
	int ret;

	mpt_mutex_lock(&mg->lock);
	ret = plane_get(mg, &pl);
	if (ret == -ENODATA) {
		/* Off, empty or in a format the engine does not show. */
		*plane = (struct mpt_plane){ 0 };
		ret = 0;
	} else if (!ret) {
		*plane = (struct mpt_plane){ pl.width, pl.height,
					     MPT_FORMAT_XRGB8888 };
		if (pixels && (u64)pl.width * pl.height > max)
			ret = -ENOSPC;
		else if (pixels)
			ret = plane_read(mg, &pl, pixels);
	}
	mpt_mutex_unlock(&mg->lock);
	return ret;
}

/**
 * mgpu_display_notify() - a guest-to-host message from the info page
 * @vdev: the instance
 * @msg: MGPU_G2V_*
 * @payload: its arguments, copied by the core
 *
 * MGPU_G2V_DISPLAY_READY records whether the guest's plane is on (see
 * mgpu_display_ready()).  Unknown messages are ignored, so that newer
 * guests run on older devices.
 */
void mgpu_display_notify(struct mpt_vdev *vdev, u32 msg, const u32 *payload)
{
	struct mgpu *mg = to_mgpu(vdev);

	mpt_mutex_lock(&mg->lock);
	mgpu_failsafe_poll(mg);
	if (msg == MGPU_G2V_DISPLAY_READY) {
		MPT_WRITE_ONCE(mg->display_ready, payload[0] != 0);
		mpt_info("mgpu%u: guest display ready, plane %s", vdev->id,
			 payload[0] ? "on" : "off");
	} else {
		mpt_dbg("mgpu%u: unknown guest message %u ignored", vdev->id,
			msg);
	}
	mpt_mutex_unlock(&mg->lock);
}
