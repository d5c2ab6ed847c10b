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
	mgx_teardown(&m);
	test_not_mgpu();
	return done_testing();
}
