// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * FILL bandwidth sanity: a 1920x1080 XRGB8888 frame filled through the
 * whole path (RING_TAIL write, scan, execution through the GGTT, sim gpa
 * writes) against memset() of the same guest memory.  The sim's gpa access
 * is a memcpy, so the device should get close to memset; the numbers are
 * reported, not asserted (timing on a shared machine is no test).  The
 * results are checked pixel by pixel.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

#define FW 1920
#define FH 1080
#define FB_GA MGX_FREE_GA
#define FB_GPA MGX_FREE_GPA
#define PAD_STRIDE 8192
#define FB_BYTES ((u64)PAD_STRIDE * FH)
#define FB2_GA (FB_GA + 0x1000000)
#define FB2_GPA (FB_GPA + 0x1000000)
#define ROUNDS 15

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double best_memset(u8 *hva, size_t len)
{
	double best = 1e9;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		double t0 = now(), t;

		memset(hva, i, len);
		__asm__ volatile("" : : "r"(hva) : "memory");
		t = now() - t0;
		best = t < best ? t : best;
	}
	return best;
}

static double best_run(struct mgx *m, const u32 *c, unsigned int n)
{
	double best = 1e9;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		double t0, t;

		mgx_emit(m, c, n);
		t0 = now();
		mgx_kick(m);
		t = now() - t0;
		best = t < best ? t : best;
		if (mgx_take_error(m))
			return -1;
	}
	return best;
}

static bool all_pixels(struct mgx *m, u64 gpa, u32 stride, u32 color)
{
	u32 *row = malloc((size_t)FW * 4);
	bool same = true;
	u32 x, y;

	for (y = 0; y < FH && same; y++) {
		mgx_peek(m, gpa + (u64)y * stride, row, (size_t)FW * 4);
		for (x = 0; x < FW; x++)
			same &= row[x] == color;
	}
	free(row);
	return same;
}

static void report(const char *what, double t, double base, u64 bytes)
{
	diag("%-28s %8.3f ms %9.0f MB/s  %.2f x memset", what, t * 1e3,
	     bytes / t / 1e6, base / t);
}

int main(void)
{
	struct mgx m;
	u64 gfn, dma, bytes = (u64)FW * FH * 4;
	double base, t;
	u32 c[8], *px = NULL;
	unsigned int n, w = 0, h = 0;
	u8 *hva;

	mgx_setup(&m);
	mgx_map(&m, FB_GA, FB_GPA, FB_BYTES);
	mgx_map(&m, FB2_GA, FB2_GPA, FB_BYTES);
	ok(mgpu_debug_ggtt_shadow(m.vdev, FB_GA >> 12, &gfn, &dma),
	   "framebuffer mapped");
	/* The sim's bus address is the host address of guest RAM. */
	hva = (u8 *)(uintptr_t)dma;
	base = best_memset(hva, bytes);

	n = cmd_fill(c, FB_GA, FW * 4, FW, FH, 0x00336699);
	t = best_run(&m, c, n);
	ok(t > 0, "packed 1920x1080 FILL accepted");
	ok(all_pixels(&m, FB_GPA, FW * 4, 0x00336699), "every pixel filled");
	diag("memset of the frame          %8.3f ms %9.0f MB/s", base * 1e3,
	     bytes / base / 1e6);
	report("FILL packed (stride 7680)", t, base, bytes);

	n = cmd_fill(c, FB_GA, PAD_STRIDE, FW, FH, 0x00abcdef);
	t = best_run(&m, c, n);
	ok(t > 0 && all_pixels(&m, FB_GPA, PAD_STRIDE, 0x00abcdef),
	   "padded FILL (stride 8192)");
	report("FILL padded (stride 8192)", t, base, bytes);

	n = cmd_fill(c, FB_GA, FW * 4, FW, FH, 0x00123456);
	best_run(&m, c, n);
	n = cmd_blit(c, FB2_GA, FW * 4, FB_GA, FW * 4, FW, FH);
	t = best_run(&m, c, n);
	ok(t > 0 && all_pixels(&m, FB2_GPA, FW * 4, 0x00123456),
	   "packed BLIT of the frame");
	report("BLIT packed", t, base, bytes);

	mgx_wr(&m, MGPU_REG_PLANE_BASE, FB2_GA);
	mgx_wr(&m, MGPU_REG_PLANE_WIDTH, FW);
	mgx_wr(&m, MGPU_REG_PLANE_HEIGHT, FH);
	mgx_wr(&m, MGPU_REG_PLANE_STRIDE, FW * 4);
	mgx_wr(&m, MGPU_REG_PLANE_ENABLE, 1);
	t = now();
	is_int(mgpu_snapshot(m.vdev, &px, &w, &h), 0, "snapshot of the frame");
	t = now() - t;
	ok(px && w == FW && h == FH && px[0] == 0x00123456 &&
		   px[FW * FH - 1] == 0x00123456,
	   "snapshot pixels");
	report("snapshot (read + alloc)", t, base, bytes);
	mpt_free(px);
	mgx_teardown(&m);
	return done_testing();
}
