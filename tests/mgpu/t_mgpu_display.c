// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The display plane: snapshots read the framebuffer through the GGTT, pack
 * padded rows, and are refused for a plane that is off or malformed
 * (-ENODATA) or that reaches unmapped memory (-EFAULT).
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

#define FB_GA MGX_FREE_GA
#define FB_GPA MGX_FREE_GPA
#define FB_SIZE 0x40000u
#define W 64
#define H 32

static void plane(struct mgx *m, u32 base, u32 w, u32 h, u32 stride)
{
	mgx_wr(m, MGPU_REG_PLANE_BASE, base);
	mgx_wr(m, MGPU_REG_PLANE_WIDTH, w);
	mgx_wr(m, MGPU_REG_PLANE_HEIGHT, h);
	mgx_wr(m, MGPU_REG_PLANE_STRIDE, stride);
	mgx_wr(m, MGPU_REG_PLANE_FORMAT, MGPU_FORMAT_XRGB8888);
	mgx_wr(m, MGPU_REG_PLANE_ENABLE, 1);
}

static int snap(struct mgx *m, u32 **px, unsigned int *w, unsigned int *h)
{
	return mgpu_snapshot(m->vdev, px, w, h);
}

/* Left half red, right half blue, one white pixel at (5, 7). */
static void draw(struct mgx *m, u32 stride)
{
	u32 c[32];
	unsigned int n = 0;

	n += cmd_fill(c + n, FB_GA, stride, W / 2, H, 0x00ff0000);
	n += cmd_fill(c + n, FB_GA + W / 2 * 4, stride, W / 2, H, 0x000000ff);
	n += cmd_fill(c + n, FB_GA + 7 * stride + 5 * 4, stride, 1, 1,
		      0x00ffffff);
	is_int(mgx_run(m, c, n), 0, "frame drawn with stride %u", stride);
}

static bool frame_ok(const u32 *px)
{
	unsigned int x, y;

	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			u32 want = x == 5 && y == 7 ? 0x00ffffff :
				   x < W / 2	    ? 0x00ff0000 :
						      0x000000ff;

			if (px[y * W + x] != want)
				return false;
		}
	return true;
}

static void test_frames(struct mgx *m)
{
	unsigned int w = 0, h = 0;
	u32 *px = NULL;

	is_int(snap(m, &px, &w, &h), -ENODATA, "plane off: -ENODATA");
	ok(px == NULL, "no buffer");
	draw(m, W * 4);
	plane(m, FB_GA, W, H, W * 4);
	is_int(snap(m, &px, &w, &h), 0, "snapshot of a packed plane");
	ok(w == W && h == H, "its size");
	ok(px && frame_ok(px), "its pixels");
	mpt_free(px);
	draw(m, 1024);
	plane(m, FB_GA, W, H, 1024);
	is_int(snap(m, &px, &w, &h), 0, "snapshot of a padded plane");
	ok(px && frame_ok(px), "rows packed in the snapshot");
	mpt_free(px);
}

static void test_refusals(struct mgx *m)
{
	unsigned int w, h;
	u32 *px = NULL;

	plane(m, FB_GA, W, H, W * 4);
	mgx_wr(m, MGPU_REG_PLANE_FORMAT, 2);
	is_int(snap(m, &px, &w, &h), -ENODATA, "unknown format");
	plane(m, FB_GA, 0, H, W * 4);
	is_int(snap(m, &px, &w, &h), -ENODATA, "no width");
	plane(m, FB_GA, W, 0, W * 4);
	is_int(snap(m, &px, &w, &h), -ENODATA, "no height");
	plane(m, FB_GA, W, H, W * 4 - 4);
	is_int(snap(m, &px, &w, &h), -ENODATA, "stride shorter than a row");
	plane(m, 0x3000000, W, H, W * 4);
	is_int(snap(m, &px, &w, &h), -EFAULT, "unmapped framebuffer");
	plane(m, FB_GA + FB_SIZE - W * 4 * (H - 1), W, H, W * 4);
	is_int(snap(m, &px, &w, &h), -EFAULT, "last row unmapped");
	plane(m, FB_GA, W, H, 0x10000000);
	is_int(snap(m, &px, &w, &h), -EFAULT, "rows past the GGTT");
	plane(m, FB_GA, 0xffffffff / 4, 0xffffffff, 0xffffffff);
	is_int(snap(m, &px, &w, &h), -EFAULT, "absurd sizes");
	ok(px == NULL, "never a buffer on failure");
	mgx_ggtt_set(m, FB_GA >> 12, 0);
	plane(m, FB_GA, W, H, W * 4);
	is_int(snap(m, &px, &w, &h), -EFAULT, "first page invalidated");
	mgx_map(m, FB_GA, FB_GPA, 4096);
	mgx_wr(m, MGPU_REG_PLANE_ENABLE, 0);
}

/* The same plane through the core's mpt_vdev_read_plane(), as a VMM reads it. */
static void test_read_plane(struct mgx *m)
{
	struct mpt_plane pl;
	u32 *px = calloc(W * H, 4);

	mgx_wr(m, MGPU_REG_PLANE_ENABLE, 0);
	is_int(mpt_vdev_read_plane(m->vdev, &pl, NULL, 0), 0, "plane off: 0");
	ok(pl.width == 0 && pl.height == 0 && pl.format == 0, "... width 0");
	draw(m, W * 4);
	plane(m, FB_GA, W, H, W * 4);
	is_int(mpt_vdev_read_plane(m->vdev, &pl, NULL, 0), 0, "size query");
	ok(pl.width == W && pl.height == H && pl.format == MPT_FORMAT_XRGB8888,
	   "... %ux%u XRGB8888", pl.width, pl.height);
	is_int(mpt_vdev_read_plane(m->vdev, &pl, px, W * H - 1), -ENOSPC,
	       "a buffer one pixel short: -ENOSPC");
	is_int(mpt_vdev_read_plane(m->vdev, &pl, px, W * H), 0, "copy");
	ok(frame_ok(px), "... its pixels");
	plane(m, 0x3000000, W, H, W * 4);
	is_int(mpt_vdev_read_plane(m->vdev, &pl, px, W * H), -EFAULT,
	       "unmapped framebuffer: -EFAULT");
	mgx_wr(m, MGPU_REG_PLANE_ENABLE, 0);
	free(px);
}

static u32 bad_width;

static int bad_read_plane(struct mpt_vdev *vdev, struct mpt_plane *plane,
			  u32 *pixels, size_t max)
{
	(void)vdev, (void)pixels, (void)max;
	*plane = (struct mpt_plane){ bad_width, 1, MPT_FORMAT_XRGB8888 };
	return 0;
}

/* The core checks what a device model answers before anyone sizes from it. */
static void test_read_plane_checks(void)
{
	static const struct mpt_vdev_ops bad_ops = { .read_plane =
							     bad_read_plane };
	struct mpt_vdev_type bad_type = tdev_type;
	struct mpt_vdev fake = { .type = &bad_type };
	struct mpt_plane pl;

	bad_type.ops = &bad_ops;
	bad_width = MPT_PLANE_MAX_SIDE + 1;
	is_int(mpt_vdev_read_plane(&fake, &pl, NULL, 0), -EIO,
	       "a model answering a too wide plane: -EIO");
	ok(pl.width == 0, "... and no plane");
	bad_width = MPT_PLANE_MAX_SIDE;
	is_int(mpt_vdev_read_plane(&fake, &pl, NULL, 0), 0,
	       "the widest plane is accepted");
	fake.type = &tdev_type;
	is_int(mpt_vdev_read_plane(&fake, &pl, NULL, 0), -EOPNOTSUPP,
	       "a type without a display: -EOPNOTSUPP");
}

static void test_not_mgpu(void)
{
	struct mpt_vdev fake = { .type = &tdev_type };
	struct mgpu_stats s;
	unsigned int w, h;
	u32 *px = (u32 *)&fake;

	is_int(mgpu_snapshot(&fake, &px, &w, &h), -EINVAL,
	       "snapshot of another device type refused");
	ok(px == NULL, "no buffer");
	mgpu_get_stats(&fake, &s);
	ok(s.submissions == 0 && !mgpu_failsafe(&fake) &&
		   !mgpu_display_ready(&fake),
	   "host API harmless on other types");
}

int main(void)
{
	struct mgx m;

	mgx_setup(&m);
	mgx_map(&m, FB_GA, FB_GPA, FB_SIZE);
	test_frames(&m);
	test_refusals(&m);
	test_read_plane(&m);
	mgx_teardown(&m);
	test_read_plane_checks();
	test_not_mgpu();
	return done_testing();
}
