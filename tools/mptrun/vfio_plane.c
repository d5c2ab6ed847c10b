// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * --snapshot of a --vfio device: its primary plane, as a VFIO display
 * gives it.  VFIO_DEVICE_QUERY_GFX_PLANE first probes for region planes,
 * then asks for the primary plane (DRM_PLANE_TYPE_PRIMARY): the device
 * answers its format (only XRGB8888 is taken), width, height, stride,
 * size and the index of a region holding the pixels; a width of 0 means
 * no plane is shown.  The pixels are read from that region (its offset
 * from VFIO_DEVICE_GET_REGION_INFO) and written by the same PNG writer as
 * the userspace model's snapshot, so that the same pixels make the same
 * file.
 */
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mptrun.h"

#define DRM_PLANE_TYPE_PRIMARY 1
#define DRM_FORMAT_XRGB8888 0x34325258u /* 'X' 'R' '2' '4' */
#define MAX_DIM 16384

static int query_plane(struct vfio_dev *d,
		       struct vfio_device_gfx_plane_info *p)
{
	memset(p, 0, sizeof(*p));
	p->argsz = sizeof(*p);
	p->flags = VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION;
	if (ioctl(d->fd, VFIO_DEVICE_QUERY_GFX_PLANE, p) < 0) {
		fprintf(stderr, "mptrun: --snapshot: --vfio %s has no region display: %s\n",
			d->sysfsdev, strerror(errno));
		return -ENODEV;
	}
	memset(p, 0, sizeof(*p));
	p->argsz = sizeof(*p);
	p->flags = VFIO_GFX_PLANE_TYPE_REGION;
	p->drm_plane_type = DRM_PLANE_TYPE_PRIMARY;
	if (ioctl(d->fd, VFIO_DEVICE_QUERY_GFX_PLANE, p) < 0) {
		fprintf(stderr, "mptrun: --snapshot: --vfio %s: VFIO_DEVICE_QUERY_GFX_PLANE: %s\n",
			d->sysfsdev, strerror(errno));
		return -EIO;
	}
	return 0;
}

/* The plane's geometry must fit its own size and the region. */
static int check_plane(struct vfio_dev *d,
		       const struct vfio_device_gfx_plane_info *p,
		       const struct vfio_region_info *ri)
{
	u64 need;

	if (!p->width || !p->height) {
		fprintf(stderr, "mptrun: --snapshot: the display has no frame\n");
		return -ENODATA;
	}
	if (p->drm_format != DRM_FORMAT_XRGB8888) {
		fprintf(stderr, "mptrun: --snapshot: --vfio %s: format %#x, not XRGB8888\n",
			d->sysfsdev, p->drm_format);
		return -EINVAL;
	}
	need = (u64)p->stride * (p->height - 1) + (u64)p->width * 4;
	if (p->width > MAX_DIM || p->height > MAX_DIM ||
	    p->stride < (u64)p->width * 4 || need > p->size ||
	    need > ri->size) {
		fprintf(stderr, "mptrun: --snapshot: --vfio %s: bad plane %ux%u stride %u size %u (region %llu bytes)\n",
			d->sysfsdev, p->width, p->height, p->stride, p->size,
			(unsigned long long)ri->size);
		return -EINVAL;
	}
	return 0;
}

int mptrun_vfio_snapshot(struct vfio_dev *d, const char *path)
{
	struct vfio_device_gfx_plane_info p;
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	unsigned int y;
	u32 *px;
	int ret;

	ret = query_plane(d, &p);
	if (ret)
		return ret;
	ri.index = p.region_index;
	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0) {
		fprintf(stderr, "mptrun: --snapshot: --vfio %s: region %u: %s\n",
			d->sysfsdev, p.region_index, strerror(errno));
		return -EIO;
	}
	ret = check_plane(d, &p, &ri);
	if (ret)
		return ret;
	px = malloc((size_t)p.width * p.height * 4);
	if (!px)
		return -ENOMEM;
	for (y = 0; y < p.height; y++) {
		size_t row = (size_t)p.width * 4;
		off_t pos = (off_t)(ri.offset + (u64)y * p.stride);

		if (pread(d->fd, px + (size_t)y * p.width, row, pos) !=
		    (ssize_t)row) {
			fprintf(stderr, "mptrun: --snapshot: --vfio %s: reading row %u failed\n",
				d->sysfsdev, y);
			free(px);
			return -EIO;
		}
	}
	ret = mptrun_write_png(path, px, p.width, p.height);
	if (ret)
		fprintf(stderr, "mptrun: --snapshot: cannot write %s\n", path);
	free(px);
	return ret;
}
