// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * demo: draws a picture with the mgpu and shows it on the display plane.
 *
 * 640x480 XRGB8888: a gradient background of FILL bands, a 64x64 tile
 * drawn off-screen and copied six times with BLIT, overlapping coloured
 * rectangles, "MPT" in rectangles with a drop shadow, and a frame and a
 * row of colour swatches drawn by a batch that calls a second batch
 * (ring -> batch -> batch).  Every operation is also drawn by the CPU
 * into a reference image; the frame the device drew must match it.
 *
 * Prints one summary line and exits 0 when the device's frame matches the
 * reference, 1 when it does not, 2 when the device could not be used.
 * The host then snapshots the plane.
 */
#include "mgpu/mgpu.h"
#include "rt/exit.h"
#include "rt/mem.h"
#include "rt/printf.h"
#include "rt/smp.h"
#include "rt/string.h"

#define W 640
#define H 480
#define STRIDE (W * 4)
#define TILE 64
#define TILE_STRIDE (TILE * 4)
#define VEC_MGPU 0x40

/* A surface the device draws in, and the CPU's reference copy of it. */
struct surface {
	struct mgpu_bo bo;
	uint32_t *ref;
	uint32_t stride; /* bytes */
};

static struct mgpu gpu;
static struct surface fb, tile;
static struct mgpu_bo batch_a, batch_b;
static struct cmdbuf *out; /* where draw_* put their commands */
static uint32_t nr_cmds;

static uint32_t ga_of(const struct surface *s, uint32_t x, uint32_t y)
{
	return s->bo.ga + y * s->stride + x * 4;
}

static uint32_t *ref_of(const struct surface *s, uint32_t x, uint32_t y)
{
	return s->ref + y * (s->stride / 4) + x;
}

static void draw_fill(struct surface *s, uint32_t x, uint32_t y, uint32_t w,
		      uint32_t h, uint32_t color)
{
	uint32_t r;

	cmd_fill(out, ga_of(s, x, y), s->stride, w, h, color);
	nr_cmds++;
	for (r = 0; r < h; r++)
		memset32(ref_of(s, x, y + r), color, w);
}

static void draw_blit(struct surface *d, uint32_t dx, uint32_t dy,
		      struct surface *s, uint32_t sx, uint32_t sy, uint32_t w,
		      uint32_t h)
{
	uint32_t r;

	cmd_blit(out, ga_of(d, dx, dy), d->stride, ga_of(s, sx, sy),
		 s->stride, w, h);
	nr_cmds++;
	for (r = 0; r < h; r++)
		memcpy(ref_of(d, dx, dy + r), ref_of(s, sx, sy + r), w * 4);
}

static uint32_t rgb(uint32_t r, uint32_t g, uint32_t b)
{
	return r << 16 | g << 8 | b;
}

static uint32_t lerp(uint32_t a, uint32_t b, uint32_t i, uint32_t n)
{
	return (a * (n - i) + b * i) / n;
}

static void background(void)
{
	const uint32_t bands = 48, band_h = H / 48;
	uint32_t i;

	for (i = 0; i < bands; i++)
		draw_fill(&fb, 0, i * band_h, W, band_h,
			  rgb(lerp(12, 0, i, bands - 1),
			      lerp(24, 150, i, bands - 1),
			      lerp(90, 190, i, bands - 1)));
}

static void tiles(void)
{
	static const uint32_t rings[] = { 0x202020, 0xff8800, 0xffd000,
					  0xffffff, 0xd02020 };
	uint32_t i;

	for (i = 0; i < 5; i++)
		draw_fill(&tile, i * 6, i * 6, TILE - i * 12, TILE - i * 12,
			  rings[i]);
	for (i = 0; i < 6; i++)
		draw_blit(&fb, 40 + i * 96, 392, &tile, 0, 0, TILE, TILE);
}

static void rectangles(void)
{
	draw_fill(&fb, 400, 40, 160, 100, rgb(220, 40, 60));
	draw_fill(&fb, 450, 90, 150, 100, rgb(40, 200, 90));
	draw_fill(&fb, 420, 150, 120, 110, rgb(60, 90, 230));
}

/* One letter as rectangles in a 100x120 box: {x, y, w, h}. */
struct bar {
	uint8_t x, y, w, h;
};

static const struct bar letter_m[] = {
	{ 0, 0, 20, 120 }, { 80, 0, 20, 120 }, { 20, 0, 20, 40 },
	{ 60, 0, 20, 40 }, { 40, 20, 20, 50 },
};
static const struct bar letter_p[] = {
	{ 0, 0, 20, 120 }, { 0, 0, 80, 20 }, { 60, 0, 20, 70 },
	{ 0, 50, 80, 20 },
};
static const struct bar letter_t[] = {
	{ 0, 0, 100, 20 }, { 40, 0, 20, 120 },
};

static void letter(const struct bar *b, unsigned int n, uint32_t x, uint32_t y,
		   uint32_t color)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		draw_fill(&fb, x + b[i].x, y + b[i].y, b[i].w, b[i].h, color);
}

static void mpt(uint32_t x, uint32_t y, uint32_t color)
{
	letter(letter_m, sizeof(letter_m) / sizeof(letter_m[0]), x, y, color);
	letter(letter_p, sizeof(letter_p) / sizeof(letter_p[0]), x + 120, y,
	       color);
	letter(letter_t, sizeof(letter_t) / sizeof(letter_t[0]), x + 220, y,
	       color);
}

/* Batch A: a frame around the screen, then batch B: colour swatches. */
static void batches(struct cmdbuf *ring)
{
	static const uint32_t swatch[] = { 0xe6194b, 0xf58231, 0xffe119,
					   0x3cb44b, 0x42d4f4, 0x4363d8,
					   0x911eb4, 0xf032e6 };
	struct cmdbuf a, b;
	uint32_t i;

	cmdbuf_init(&a, batch_a.cpu, batch_a.size);
	cmdbuf_init(&b, batch_b.cpu, batch_b.size);
	out = &a;
	draw_fill(&fb, 0, 0, W, 8, 0xe0e0e0);
	draw_fill(&fb, 0, H - 8, W, 8, 0xe0e0e0);
	draw_fill(&fb, 0, 8, 8, H - 16, 0xe0e0e0);
	draw_fill(&fb, W - 8, 8, 8, H - 16, 0xe0e0e0);
	cmd_batch_start(&a, batch_b.ga);
	out = &b;
	for (i = 0; i < 8; i++)
		draw_fill(&fb, 40 + i * 70, 330, 50, 30, swatch[i]);
	cmd_batch_end(&b);
	cmd_batch_end(&a);
	cmd_batch_start(ring, batch_a.ga);
}

static int surface_alloc(struct surface *s, uint32_t w, uint32_t h)
{
	s->stride = w * 4;
	s->ref = page_alloc((w * h * 4 + 4095) / 4096);
	return s->ref ? mgpu_bo_alloc(&gpu, &s->bo, w * h * 4) : -1;
}

static int submit(struct cmdbuf *cb, unsigned int flags)
{
	int r;

	if (cb->overflow)
		return -1;
	r = mgpu_run(&gpu, cb->dw, cb->len, flags | MGPU_SUBMIT_IRQ);
	cb->len = 0;
	return r;
}

static uint32_t mismatches(void)
{
	const uint32_t *px = fb.bo.cpu;
	uint32_t i = 0, bad = 0, n = W * H;

	/* repe cmpsl: cheap even where the host emulates guest code. */
	while ((i += memdiff32(px + i, fb.ref + i, n - i)) < n) {
		bad++;
		i++;
	}
	return bad;
}

int main(void)
{
	static uint32_t ring_cmds[2048];
	struct cmdbuf cb;
	uint32_t bad;
	int r;

	if (pci_scan() < 0 || mgpu_init(&gpu, 0, VEC_MGPU)) {
		printf("demo: no usable mgpu\n");
		return RT_EXIT_BAIL;
	}
	if (surface_alloc(&fb, W, H) || surface_alloc(&tile, TILE, TILE) ||
	    mgpu_bo_alloc(&gpu, &batch_a, 4096) ||
	    mgpu_bo_alloc(&gpu, &batch_b, 4096)) {
		printf("demo: out of memory or graphics addresses\n");
		return RT_EXIT_BAIL;
	}

	cmdbuf_init(&cb, ring_cmds, sizeof(ring_cmds));
	out = &cb;
	background();
	tiles();
	r = submit(&cb, 0); /* by RING_TAIL */
	out = &cb;
	rectangles();
	mpt(46, 66, rgb(10, 20, 40)); /* the shadow */
	mpt(40, 60, 0xffffff);
	r = r ? r : submit(&cb, MGPU_SUBMIT_DOORBELL);
	batches(&cb);
	r = r ? r : submit(&cb, 0);
	if (r) {
		printf("demo: the device did not complete the drawing (%d)\n",
		       r);
		return RT_EXIT_BAIL;
	}

	mgpu_plane_show(&gpu, fb.bo.ga, W, H, STRIDE);
	bad = mismatches();
	printf("demo: %ux%u XRGB8888 plane at GA %#x shown; %u drawing "
	       "commands (device counted %u), %u MSIs; the frame %s\n",
	       W, H, fb.bo.ga, nr_cmds, mgpu_read(&gpu, MGPU_REG_STAT_CMDS),
	       gpu.irqs,
	       bad ? "DIFFERS from the CPU reference" :
		     "matches the CPU reference");
	if (bad)
		printf("demo: %u of %u pixels differ\n", bad, W * H);
	return bad ? RT_EXIT_FAIL : RT_EXIT_OK;
}
