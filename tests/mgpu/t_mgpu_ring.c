// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Ring submission and execution: every command, nested batches, seqno and
 * MSI completion, interrupts disabled, ring wrap, empty submissions, the
 * doorbell path (as a hypervisor delivers it and as a trapped write), and
 * the counters.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

/* A 64 KiB surface: GA FB_GA, guest-physically contiguous at FB_GPA. */
#define FB_GA MGX_FREE_GA
#define FB_GPA MGX_FREE_GPA
#define FB_SIZE 0x10000u
/* A surface whose pages are scattered in guest memory (reverse order). */
#define SC_GA (MGX_FREE_GA + 0x20000)
#define SC_GPA (MGX_FREE_GPA + 0x40000)
#define SC_PAGES 4

static u32 px(struct mgx *m, u64 gpa)
{
	return mgx_peek32(m, gpa);
}

static void clear(struct mgx *m, u64 gpa, size_t len)
{
	void *z = calloc(1, len);

	mgx_poke(m, gpa, z, len);
	free(z);
}

static void test_completion(struct mgx *m)
{
	struct mgpu_stats before = mgx_stats(m), after;
	unsigned int msis = mgx_msis(m), n = 0;
	u32 cmds[16], head;
	u64 addr = 0;
	u32 data = 0;

	n += cmd_noop(cmds + n);
	n += cmd_store(cmds + n, MGX_SEQNO_GA, 41);
	n += cmd_store(cmds + n, MGX_SEQNO_GA + 4, 42);
	n += cmd_irq(cmds + n);
	mgx_emit(m, cmds, n);
	mgx_kick(m);
	is_int(px(m, MGX_SEQNO_GPA), 41, "STORE_DWORD wrote the seqno");
	is_int(px(m, MGX_SEQNO_GPA + 4), 42, "and the next one");
	is_int(mgx_msis(m), msis + 1, "INTERRUPT sent one MSI");
	mpt_sim_msi_get(m->g, mgx_msis(m) - 1, &addr, &data);
	ok(addr == MGX_MSI_ADDR && data == MGX_MSI_DATA,
	   "MSI vector 0 as the guest programmed it");
	is_int(mgx_rd(m, MGPU_REG_IRQ_STATUS), MGPU_IRQ_COMPLETE,
	       "IRQ_STATUS.COMPLETE");
	head = mgx_rd(m, MGPU_REG_RING_HEAD);
	is_int(head, m->tail, "RING_HEAD caught up with the tail");
	is_int(mgx_rd(m, MGPU_REG_STATUS), MGPU_STATUS_IDLE, "idle, no error");
	after = mgx_stats(m);
	is_int(after.submissions - before.submissions, 1, "one submission");
	is_int(after.cmds_executed - before.cmds_executed, 4, "four commands");
	is_int(after.msis - before.msis, 1, "one MSI counted");
	is_int(mgx_rd(m, MGPU_REG_STAT_CMDS), after.cmds_executed,
	       "STAT_CMDS agrees");
	mgx_wr(m, MGPU_REG_IRQ_STATUS, MGPU_IRQ_COMPLETE);
}

static void test_irq_disabled(struct mgx *m)
{
	unsigned int msis = mgx_msis(m);
	u32 cmds[4];

	mgx_wr(m, MGPU_REG_CTRL, 0);
	mgx_emit(m, cmds, cmd_irq(cmds));
	mgx_kick(m);
	is_int(mgx_msis(m), msis, "IRQ_ENABLE clear: no MSI");
	is_int(mgx_rd(m, MGPU_REG_IRQ_STATUS), MGPU_IRQ_COMPLETE,
	       "but IRQ_STATUS.COMPLETE is set");
	mgx_wr(m, MGPU_REG_IRQ_STATUS, MGPU_IRQ_COMPLETE);
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_IRQ_ENABLE);
	mgx_emit(m, cmds, cmd_irq(cmds));
	mgx_kick(m);
	is_int(mgx_msis(m), msis + 1, "enabled again: MSI");
	mgx_wr(m, MGPU_REG_IRQ_STATUS, MGPU_IRQ_COMPLETE);
}

static bool rect_is(struct mgx *m, u64 gpa, u32 stride, u32 w, u32 h,
		    u32 color)
{
	u32 x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			if (px(m, gpa + (u64)y * stride + x * 4) != color)
				return false;
	return true;
}

static void test_fill(struct mgx *m)
{
	u32 cmds[16];
	unsigned int n;

	clear(m, FB_GPA, FB_SIZE);
	n = cmd_fill(cmds, FB_GA + 256, 256, 16, 8, 0x00ff8000);
	is_int(mgx_run(m, cmds, n), 0, "FILL with padded rows accepted");
	ok(rect_is(m, FB_GPA + 256, 256, 16, 8, 0x00ff8000), "rows filled");
	is_int(px(m, FB_GPA + 256 + 64), 0, "row padding untouched");
	is_int(px(m, FB_GPA + 252), 0, "byte before untouched");
	is_int(px(m, FB_GPA + 256 + 7 * 256 + 64), 0, "byte after untouched");
	n = cmd_fill(cmds, FB_GA, 4096, 1024, 3, 0x11223344);
	is_int(mgx_run(m, cmds, n), 0, "packed FILL over pages");
	ok(rect_is(m, FB_GPA, 4096, 1024, 3, 0x11223344), "pages filled");
	is_int(px(m, FB_GPA + 3 * 4096), 0, "and no further");
	n = cmd_fill(cmds, FB_GA + 0x5002, 0x1000, 0x400, 1, 0xa1b2c3d4);
	is_int(mgx_run(m, cmds, n), 0, "FILL at a GA that is not 4-aligned");
	is_int(px(m, FB_GPA + 0x5002), 0xa1b2c3d4, "first pixel");
	is_int(px(m, FB_GPA + 0x5ffe), 0xa1b2c3d4, "pixel across the page");
	is_int(px(m, FB_GPA + 0x5000) & 0xffff, 0, "bytes before it untouched");
	n = cmd_fill(cmds, FB_GA, 4, 0, 10, 0xffffffff);
	n += cmd_fill(cmds + n, FB_GA, 40, 10, 0, 0xffffffff);
	is_int(mgx_run(m, cmds, n), 0, "empty rectangles accepted");
	is_int(px(m, FB_GPA), 0x11223344, "and draw nothing");
}

/* GA pages SC_GA + i map to guest pages SC_GPA + (SC_PAGES - 1 - i). */
static void map_scattered(struct mgx *m)
{
	unsigned int i;

	for (i = 0; i < SC_PAGES; i++)
		mgx_ggtt_set(m, (SC_GA >> 12) + i,
			     (SC_GPA + (u64)(SC_PAGES - 1 - i) * 4096) |
				     MGPU_PTE_VALID);
}

static void test_scattered(struct mgx *m)
{
	u32 cmds[8];
	unsigned int n, i;

	map_scattered(m);
	clear(m, SC_GPA, SC_PAGES * 4096);
	n = cmd_fill(cmds, SC_GA + 8, 4096, 1022, 4, 0x0000ff00);
	is_int(mgx_run(m, cmds, n), 0, "FILL over scattered pages");
	for (i = 0; i < SC_PAGES; i++) {
		u64 page = SC_GPA + (u64)(SC_PAGES - 1 - i) * 4096;

		ok(px(m, page + 8) == 0x0000ff00 &&
			   px(m, page + 4092) == 0x0000ff00 &&
			   px(m, page + 4) == 0,
		   "GA page %u landed in its own guest page", i);
	}
}

static void test_blit(struct mgx *m)
{
	u32 src[64], cmds[8], i;
	unsigned int n;
	bool same = true;

	for (i = 0; i < 64; i++)
		src[i] = 0x01010101 * i;
	clear(m, FB_GPA, FB_SIZE);
	mgx_poke(m, FB_GPA, src, sizeof(src));
	n = cmd_blit(cmds, FB_GA + 0x8000, 64, FB_GA, 32, 8, 8);
	is_int(mgx_run(m, cmds, n), 0, "BLIT between strides accepted");
	for (i = 0; i < 64; i++)
		same &= px(m, FB_GPA + 0x8000 + (i / 8) * 64 + (i % 8) * 4) ==
			src[i];
	ok(same, "BLIT copied each row to its place");
	is_int(px(m, FB_GPA + 0x8000 + 32), 0, "destination padding untouched");
	map_scattered(m);
	clear(m, SC_GPA, SC_PAGES * 4096);
	n = cmd_blit(cmds, SC_GA + 4096 - 16, 4096, FB_GA, 4096, 16, 1);
	is_int(mgx_run(m, cmds, n), 0, "packed BLIT across scattered pages");
	ok(px(m, SC_GPA + 3 * 4096 + 4096 - 16) == src[0] &&
		   px(m, SC_GPA + 2 * 4096 + 44) == src[15],
	   "both halves of the row in their pages");
}

static void test_batches(struct mgx *m)
{
	u32 ring[8], a[32], b[16];
	unsigned int n = 0, na = 0, nb = 0;
	u32 a_ga = MGX_BATCH_GA, b_ga = MGX_BATCH_GA + 0x1ff8;

	clear(m, MGX_SEQNO_GPA, 64);
	na += cmd_store(a + na, MGX_SEQNO_GA, 1);
	na += cmd_batch(a + na, b_ga);
	na += cmd_store(a + na, MGX_SEQNO_GA + 8, 3);
	na += cmd_batch_end(a + na);
	nb += cmd_store(b + nb, MGX_SEQNO_GA + 4, 2);
	nb += cmd_store(b + nb, MGX_SEQNO_GA, 10);
	nb += cmd_batch_end(b + nb);
	mgx_poke(m, MGX_BATCH_GPA, a, na * 4);
	/* b straddles a page: its first command crosses the boundary. */
	mgx_poke(m, MGX_BATCH_GPA + 0x1ff8, b, nb * 4);
	n += cmd_batch(ring + n, a_ga);
	n += cmd_store(ring + n, MGX_SEQNO_GA + 12, 4);
	n += cmd_irq(ring + n);
	is_int(mgx_run(m, ring, n), 0, "ring -> batch -> batch accepted");
	is_int(px(m, MGX_SEQNO_GPA + 4), 2, "inner batch ran");
	is_int(px(m, MGX_SEQNO_GPA), 10, "in order: inner after outer's first");
	is_int(px(m, MGX_SEQNO_GPA + 8), 3, "outer batch resumed after inner");
	is_int(px(m, MGX_SEQNO_GPA + 12), 4, "ring resumed after the batch");
}

static void test_wrap(struct mgx *m)
{
	u32 cmds[8];
	unsigned int n, i;

	for (i = 0; m->tail != MGX_RING_SIZE - 8; i++) {
		mgx_emit(m, cmds, cmd_noop(cmds));
		if (i % 512 == 0)
			mgx_kick(m);
	}
	mgx_kick(m);
	n = cmd_store(cmds, MGX_SEQNO_GA + 16, 0x77);
	n += cmd_irq(cmds + n);
	is_int(mgx_run(m, cmds, n), 0, "a command straddling the ring's end");
	is_int(px(m, MGX_SEQNO_GPA + 16), 0x77, "executed whole");
	is_int(mgx_rd(m, MGPU_REG_RING_HEAD), 8, "RING_HEAD wrapped");
}

static void test_empty(struct mgx *m)
{
	unsigned int msis = mgx_msis(m);
	u64 subs = mgx_stats(m).submissions;

	mgx_kick(m);
	is_int(mgx_msis(m), msis, "empty submission: no interrupt");
	is_int(mgx_take_error(m), 0, "and no error");
	is_int(mgx_stats(m).submissions, subs + 1, "but seen");
}

static void test_doorbell(struct mgx *m)
{
	u64 db = mgx_stats(m).doorbells;
	u32 cmds[8], junk = 0xdeadbeef;
	unsigned int n;

	n = cmd_store(cmds, MGX_SEQNO_GA + 20, 0x1234);
	is_int(mgx_run_doorbell(m, cmds, n), 0,
	       "doorbell delivered without its value (ioeventfd style)");
	is_int(px(m, MGX_SEQNO_GPA + 20), 0x1234, "submission executed");
	is_int(mgx_rd(m, MGPU_REG_RING_TAIL), m->tail,
	       "the tail read from TAIL_ADDR is latched in RING_TAIL");
	n = cmd_store(cmds, MGX_SEQNO_GA + 20, 0x5678);
	mgx_emit(m, cmds, n);
	mgx_poke32(m, MGX_TAIL_GPA, m->tail);
	mgx_wr(m, MGPU_REG_DOORBELL, junk);
	is_int(px(m, MGX_SEQNO_GPA + 20), 0x5678,
	       "a trapped doorbell write: the value is ignored");
	is_int(mgx_stats(m).doorbells, db + 2, "two doorbells counted");
	mgx_wr(m, MGPU_REG_TAIL_ADDR, MGX_TAIL_GA + 2);
	is_int(mgx_run_doorbell(m, cmds, 0), MGPU_ERR_RING,
	       "TAIL_ADDR not 4-byte aligned: MGPU_ERR_RING");
	mgx_wr(m, MGPU_REG_TAIL_ADDR, MGX_FREE_GA + 0x3f0000);
	is_int(mgx_run_doorbell(m, cmds, 0), MGPU_ERR_RING,
	       "TAIL_ADDR unmapped: MGPU_ERR_RING");
	mgx_wr(m, MGPU_REG_TAIL_ADDR, MGX_TAIL_GA);
	mgx_poke32(m, MGX_TAIL_GPA, MGX_RING_SIZE);
	is_int(mpt_vdev_doorbell(m->vdev, 0, MGPU_REG_DOORBELL), 0, "rung");
	is_int(mgx_take_error(m), MGPU_ERR_RING,
	       "a tail past the ring in memory: MGPU_ERR_RING");
	mgx_ring_reset(m);
}

static void test_ring_reprogram(struct mgx *m)
{
	u32 cmds[4];

	mgx_emit(m, cmds, cmd_noop(cmds));
	mgx_kick(m);
	ok(mgx_rd(m, MGPU_REG_RING_HEAD) != 0, "ring in use");
	mgx_wr(m, MGPU_REG_RING_SIZE, MGX_RING_SIZE);
	is_int(mgx_rd(m, MGPU_REG_RING_HEAD) | mgx_rd(m, MGPU_REG_RING_TAIL), 0,
	       "programming the ring empties it");
	m->tail = 0;
}

int main(void)
{
	struct mgx m;

	mgx_setup(&m);
	mgx_map(&m, FB_GA, FB_GPA, FB_SIZE);
	test_completion(&m);
	test_irq_disabled(&m);
	test_fill(&m);
	test_scattered(&m);
	test_blit(&m);
	test_batches(&m);
	test_wrap(&m);
	test_empty(&m);
	test_doorbell(&m);
	test_ring_reprogram(&m);
	mgx_teardown(&m);
	return done_testing();
}
