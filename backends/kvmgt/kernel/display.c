// SPDX-License-Identifier: GPL-2.0-only
/*
 * The display of a mediated device, as VFIO defines it for a VMM: the
 * VMM asks VFIO_DEVICE_QUERY_GFX_PLANE for the primary plane of type
 * "region" and reads the picture from the region it names.  The region is
 * the device-specific one after the PCI regions (MPT_MDEV_DISPLAY_REGION).
 *
 * Each query takes a snapshot through mpt_vdev_read_plane() (the device
 * model composes it from guest memory), and region reads serve that
 * snapshot: the picture a VMM reads is consistent with the size the query
 * answered, however the guest reprograms the plane meanwhile.  QEMU's
 * display queries at every refresh, so a snapshot lives until the next
 * query or the close.
 */
#include <drm/drm_fourcc.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mpt_mdev.h"

#define MPT_MDEV_PLANE_PRIMARY 1 /* DRM_PLANE_TYPE_PRIMARY */

/**
 * struct mpt_mdev_display - the last snapshot of an mdev's plane
 * @lock: guards the snapshot against a concurrent query, read or close
 * @plane: its size; width 0 when the plane was off
 * @pixels: rows packed, @size bytes (page aligned, zero padded)
 * @size: bytes at @pixels, the region's size
 */
struct mpt_mdev_display {
	struct mutex lock;
	struct mpt_plane plane;
	u32 *pixels;
	size_t size;
};

static_assert(MPT_FORMAT_XRGB8888 == DRM_FORMAT_XRGB8888);

/**
 * mpt_mdev_has_display() - tell whether the mdev's device type shows a plane
 * @st: the mdev
 *
 * Context: process context, may sleep (asks the device model).
 */
bool mpt_mdev_has_display(struct mpt_mdev_state *st)
{
	struct mpt_plane pl;

	return mpt_vdev_read_plane(st->vdev, &pl, NULL, 0) != -EOPNOTSUPP;
}

static int display_get(struct mpt_mdev_state *st)
{
	struct mpt_mdev_display *d;

	if (st->display)
		return 0;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_init(&d->lock);
	/* Readers look without st->lock: publish it initialised. */
	smp_store_release(&st->display, d);
	return 0;
}

/* Take a new snapshot; d->lock held.  Retries when the plane grew. */
static int display_refresh(struct mpt_mdev_state *st,
			   struct mpt_mdev_display *d)
{
	unsigned int tries;
	size_t n, size;
	u32 *buf;
	int ret;

	kvfree(d->pixels);
	d->pixels = NULL;
	d->size = 0;
	for (tries = 0; tries < 3; tries++) {
		ret = mpt_vdev_read_plane(st->vdev, &d->plane, NULL, 0);
		if (ret || !d->plane.width)
			return ret;
		n = (size_t)d->plane.width * d->plane.height;
		size = PAGE_ALIGN(n * 4);
		buf = kvzalloc(size, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		ret = mpt_vdev_read_plane(st->vdev, &d->plane, buf, n);
		if (!ret) {
			d->pixels = buf;
			d->size = d->plane.width ?
					  PAGE_ALIGN((size_t)d->plane.width *
						     d->plane.height * 4) :
					  0;
			return 0;
		}
		kvfree(buf);
		if (ret != -ENOSPC)
			return ret;
	}
	return -EAGAIN;
}

static void plane_info_fill(struct vfio_device_gfx_plane_info *info,
			    const struct mpt_mdev_display *d)
{
	info->drm_format = d->plane.width ? DRM_FORMAT_XRGB8888 : 0;
	info->drm_format_mod = DRM_FORMAT_MOD_LINEAR;
	info->width = d->plane.width;
	info->height = d->plane.height;
	info->stride = d->plane.width * 4;
	info->size = d->size;
	info->x_pos = info->y_pos = info->x_hot = info->y_hot = 0;
	info->region_index = MPT_MDEV_DISPLAY_REGION;
}

/**
 * mpt_mdev_query_plane() - VFIO_DEVICE_QUERY_GFX_PLANE
 * @st: the mdev
 * @arg: the user's struct vfio_device_gfx_plane_info
 *
 * PROBE answers whether the region type is supported; a query of the
 * primary plane takes a snapshot.  A plane that is off answers drm_format
 * 0 and size 0, as QEMU expects.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a bad argument, a dma-buf or a cursor plane, or a
 * device type without a display; -EFAULT when the plane points at guest
 * memory that cannot be read; -ENOMEM.
 */
long mpt_mdev_query_plane(struct mpt_mdev_state *st, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_gfx_plane_info,
					  region_index);
	struct vfio_device_gfx_plane_info info;
	struct mpt_mdev_display *d;
	int ret;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || !mpt_mdev_has_display(st))
		return -EINVAL;
	if (info.flags & VFIO_GFX_PLANE_TYPE_PROBE)
		return info.flags == (VFIO_GFX_PLANE_TYPE_PROBE |
				      VFIO_GFX_PLANE_TYPE_REGION) ?
			       0 :
			       -EINVAL;
	if (info.flags != VFIO_GFX_PLANE_TYPE_REGION ||
	    info.drm_plane_type != MPT_MDEV_PLANE_PRIMARY)
		return -EINVAL;
	mutex_lock(&st->lock);
	ret = display_get(st);
	mutex_unlock(&st->lock);
	if (ret)
		return ret;
	d = st->display;
	mutex_lock(&d->lock);
	ret = display_refresh(st, d);
	if (!ret)
		plane_info_fill(&info, d);
	mutex_unlock(&d->lock);
	if (ret)
		return ret;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * mpt_mdev_display_size() - the size of the display region now
 * @st: the mdev
 *
 * Context: process context, may sleep.
 * Return: the bytes of the last snapshot, 0 before the first query.
 */
u64 mpt_mdev_display_size(struct mpt_mdev_state *st)
{
	struct mpt_mdev_display *d = smp_load_acquire(&st->display);
	u64 size;

	if (!d)
		return 0;
	mutex_lock(&d->lock);
	size = d->size;
	mutex_unlock(&d->lock);
	return size;
}

/**
 * mpt_mdev_display_read() - read the display region
 * @st: the mdev
 * @ubuf: the user's buffer
 * @count: bytes asked
 * @off: offset in the region
 *
 * Context: process context, may sleep.
 * Return: bytes read, or -EINVAL past the snapshot, -EFAULT.
 */
ssize_t mpt_mdev_display_read(struct mpt_mdev_state *st, char __user *ubuf,
			      size_t count, u64 off)
{
	struct mpt_mdev_display *d = smp_load_acquire(&st->display);
	ssize_t ret;

	if (!d)
		return -EINVAL;
	mutex_lock(&d->lock);
	if (off >= d->size || count > d->size - off)
		ret = -EINVAL;
	else if (copy_to_user(ubuf, (u8 *)d->pixels + off, count))
		ret = -EFAULT;
	else
		ret = count;
	mutex_unlock(&d->lock);
	return ret;
}

/**
 * mpt_mdev_display_release() - drop the snapshot (close, release)
 * @st: the mdev; no query or read can run any more
 *
 * Context: process context.
 */
void mpt_mdev_display_release(struct mpt_mdev_state *st)
{
	struct mpt_mdev_display *d = st->display;

	if (!d)
		return;
	st->display = NULL;
	kvfree(d->pixels);
	mutex_destroy(&d->lock);
	kfree(d);
}
