// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The scanner refuses a whole submission for each kind of violation, with
 * the right error code, nothing executed (a marker STORE before the bad
 * command never lands), the error reported in ERROR, STATUS and IRQ_STATUS
 * with an interrupt, RING_HEAD moved past it (but not for MGPU_ERR_RING),
 * and the refusal counted.  Runaway batches stop at the budgets.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

#define MARK_GPA MGX_SEQNO_GPA
#define MARK_GA MGX_SEQNO_GA
#define FB_GA MGX_FREE_GA
#define FB_GPA MGX_FREE_GPA
#define FB_SIZE 0x10000u
#define UNMAPPED_GA 0x3000000u
/* A long batch area for the command budget: 80 pages of NOOPs. */
#define LONG_GA 0x800000u
#define LONG_GPA 0x2000000ULL
#define LONG_PAGES 80

/* Where the marker STORE lands (it moves when a PPGTT is bound). */
static u64 mark_gpa = MARK_GPA;

static void expect(struct mgx *m, const u32 *bad, unsigned int nbad, int err,
		   const char *what)
{
	struct mgpu_stats before = mgx_stats(m);
	u32 cmds[64], rejected = mgx_rd(m, MGPU_REG_STAT_REJECTED);
	unsigned int msis = mgx_msis(m), n;
	u32 head = mgx_rd(m, MGPU_REG_RING_HEAD), status;

	mgx_poke32(m, mark_gpa, 0);
	n = cmd_store(cmds, MARK_GA, 0xbad);
	memcpy(cmds + n, bad, nbad * 4);
	mgx_emit(m, cmds, n + nbad);
	mgx_kick(m);
	status = mgx_rd(m, MGPU_REG_STATUS);
	is_int(mgx_take_error(m), err, "%s: refused with error %d", what, err);
	is_int(mgx_peek32(m, mark_gpa), 0, "%s: nothing executed", what);
	ok(status & MGPU_STATUS_ERROR, "%s: STATUS.ERROR", what);
	is_int(mgx_rd(m, MGPU_REG_STATUS) & MGPU_STATUS_ERROR, 0,
	       "%s: acknowledging IRQ_STATUS.ERROR clears it", what);
	is_int(mgx_msis(m), msis + 1, "%s: interrupt sent", what);
	is_int(mgx_rd(m, MGPU_REG_RING_HEAD),
	       err == MGPU_ERR_RING ? head : m->tail,
	       "%s: RING_HEAD %s", what,
	       err == MGPU_ERR_RING ? "unchanged" : "past the submission");
	is_int(mgx_rd(m, MGPU_REG_STAT_REJECTED), rejected + 1,
	       "%s: STAT_REJECTED", what);
	is_int(mgx_stats(m).cmds_rejected, before.cmds_rejected + 1,
	       "%s: counted", what);
	is_int(mgx_stats(m).cmds_executed, before.cmds_executed,
	       "%s: no command counted as executed", what);
}

static void test_opcode(struct mgx *m)
{
	u32 c[8];

	c[0] = MGPU_CMD(0x55, 1);
	expect(m, c, 1, MGPU_ERR_OPCODE, "unknown opcode");
	c[0] = 0;
	expect(m, c, 1, MGPU_ERR_OPCODE, "opcode 0, length 0");
	c[0] = MGPU_CMD(MGPU_OP_NOOP, 2);
	c[1] = 0;
	expect(m, c, 2, MGPU_ERR_OPCODE, "NOOP with length 2");
	cmd_fill(c, FB_GA, 64, 16, 1, 0);
	c[0] = MGPU_CMD(MGPU_OP_FILL, 4);
	expect(m, c, 4, MGPU_ERR_OPCODE, "FILL with length 4");
	cmd_fill(c, FB_GA, 64, 16, 1, 0);
	expect(m, c, 3, MGPU_ERR_OPCODE, "FILL cut by the tail");
	cmd_batch_end(c);
	expect(m, c, 1, MGPU_ERR_OPCODE, "BATCH_END in the ring");
	c[0] = MGPU_CMD(0x99, 1);
	mgx_poke32(m, MGX_BATCH_GPA, c[0]);
	cmd_batch(c, MGX_BATCH_GA);
	expect(m, c, 2, MGPU_ERR_OPCODE, "unknown opcode in a batch");
}

static void test_address(struct mgx *m)
{
	u32 c[16], b[8];
	unsigned int n;

	cmd_fill(c, UNMAPPED_GA, 64, 16, 1, 0);
	expect(m, c, 5, MGPU_ERR_ADDRESS, "FILL to unmapped memory");
	cmd_fill(c, FB_GA + FB_SIZE - 64 * 3, 64, 16, 4, 0);
	expect(m, c, 5, MGPU_ERR_ADDRESS, "FILL whose last row is unmapped");
	cmd_fill(c, FB_GA + FB_SIZE - 32, 64, 16, 1, 0);
	expect(m, c, 5, MGPU_ERR_ADDRESS, "FILL whose row runs off the map");
	cmd_fill(c, FB_GA, 0x10000000, 1, 2, 0);
	expect(m, c, 5, MGPU_ERR_ADDRESS, "FILL with a stride past the GGTT");
	cmd_fill(c, 0xfffffff0, 64, 16, 1, 0);
	expect(m, c, 5, MGPU_ERR_ADDRESS, "FILL at the top of the GA space");
	cmd_blit(c, FB_GA, 64, UNMAPPED_GA, 64, 16, 1);
	expect(m, c, 6, MGPU_ERR_ADDRESS, "BLIT from unmapped memory");
	cmd_blit(c, UNMAPPED_GA, 64, FB_GA, 64, 16, 1);
	expect(m, c, 6, MGPU_ERR_ADDRESS, "BLIT to unmapped memory");
	cmd_store(c, FB_GA + 2, 0);
	expect(m, c, 3, MGPU_ERR_ADDRESS, "STORE_DWORD not 4-byte aligned");
	cmd_store(c, UNMAPPED_GA, 0);
	expect(m, c, 3, MGPU_ERR_ADDRESS, "STORE_DWORD to unmapped memory");
	cmd_store(c, (u32)MGPU_GGTT_SPAN, 0);
	expect(m, c, 3, MGPU_ERR_ADDRESS, "STORE_DWORD past the GGTT");
	cmd_batch(c, UNMAPPED_GA);
	expect(m, c, 2, MGPU_ERR_ADDRESS, "batch in unmapped memory");
	cmd_batch(c, MGX_BATCH_GA + 2);
	expect(m, c, 2, MGPU_ERR_ADDRESS, "batch not 4-byte aligned");
	/* A batch without BATCH_END running off its last mapped page. */
	n = 0;
	while (n < 4)
		n += cmd_noop(b + n);
	mgx_poke(m, MGX_BATCH_GPA + MGX_BATCH_PAGES * 4096 - 16, b, 16);
	cmd_batch(c, MGX_BATCH_GA + MGX_BATCH_PAGES * 4096 - 16);
	expect(m, c, 2, MGPU_ERR_ADDRESS, "batch running into unmapped memory");
	/* A command whose dwords cross into an unmapped page. */
	cmd_store(b, MARK_GA, 1);
	mgx_poke(m, MGX_BATCH_GPA + MGX_BATCH_PAGES * 4096 - 8, b, 8);
	cmd_batch(c, MGX_BATCH_GA + MGX_BATCH_PAGES * 4096 - 8);
	expect(m, c, 2, MGPU_ERR_ADDRESS, "batch command cut by unmapped page");
}

static void test_depth(struct mgx *m)
{
	u32 c[4], b[4];
	unsigned int n;

	/* Three batches, each calling the next: one level too deep. */
	n = cmd_batch(b, MGX_BATCH_GA + 0x1000);
	mgx_poke(m, MGX_BATCH_GPA, b, n * 4);
	n = cmd_batch(b, MGX_BATCH_GA + 0x2000);
	mgx_poke(m, MGX_BATCH_GPA + 0x1000, b, n * 4);
	n = cmd_batch_end(b);
	mgx_poke(m, MGX_BATCH_GPA + 0x2000, b, n * 4);
	n = cmd_batch(c, MGX_BATCH_GA);
	expect(m, c, n, MGPU_ERR_DEPTH, "batches nested three deep");
	/* A batch that calls itself. */
	n = cmd_batch(b, MGX_BATCH_GA + 0x3000);
	mgx_poke(m, MGX_BATCH_GPA + 0x3000, b, n * 4);
	n = cmd_batch(c, MGX_BATCH_GA + 0x3000);
	expect(m, c, n, MGPU_ERR_DEPTH, "a batch looping on itself");
}

static void fill_long_batch(struct mgx *m, unsigned int noops, bool end)
{
	size_t len = LONG_PAGES * 4096;
	u32 *b = calloc(1, len);
	unsigned int i;

	for (i = 0; i < len / 4; i++)
		b[i] = MGPU_CMD(MGPU_OP_NOOP, 1);
	if (end)
		b[noops] = MGPU_CMD(MGPU_OP_BATCH_END, 1);
	mgx_poke(m, LONG_GPA, b, len);
	free(b);
}

static void test_budget_cmds(struct mgx *m)
{
	u32 c[4];
	unsigned int n = cmd_batch(c, LONG_GA);

	mgx_map(m, LONG_GA, LONG_GPA, LONG_PAGES * 4096);
	/* BATCH_START, MGPU_MAX_CMDS - 2 NOOPs, BATCH_END. */
	fill_long_batch(m, MGPU_MAX_CMDS - 2, true);
	is_int(mgx_run(m, c, n), 0, "exactly MGPU_MAX_CMDS commands accepted");
	/* expect() adds its marker STORE: one command too many. */
	expect(m, c, n, MGPU_ERR_BUDGET, "one command over MGPU_MAX_CMDS");
	fill_long_batch(m, 0, false);
	expect(m, c, n, MGPU_ERR_BUDGET, "a batch that never ends");
}

/*
 * Pixels: a PPGTT whose 1 GiB all maps one page, so that a FILL of
 * MGPU_MAX_PIXELS is mapped.
 */
#define PX_PD 0x3000000ULL
#define PX_PT (PX_PD + 0x1000)
#define PX_PAGE (PX_PD + 0x2000)

static void map_everything_once(struct mgx *m)
{
	u64 *t = calloc(512, 8);
	unsigned int i;

	for (i = 0; i < 512; i++)
		t[i] = PX_PAGE | MGPU_PTE_VALID;
	mgx_poke(m, PX_PT, t, 4096);
	for (i = 0; i < 512; i++)
		t[i] = PX_PT | MGPU_PTE_VALID;
	mgx_poke(m, PX_PD, t, 4096);
	free(t);
	mgx_wr(m, MGPU_REG_CTX_PD, (u32)PX_PD);
}

static void test_budget_pixels(struct mgx *m)
{
	u32 c[16];
	unsigned int n;

	map_everything_once(m);
	mark_gpa = PX_PAGE + (MARK_GA & 0xfff);
	n = cmd_fill(c, 0, 8192 * 4, 8192, 8192, 0x01020304);
	is_int(mgx_run(m, c, n), 0, "MGPU_MAX_PIXELS in one FILL accepted");
	is_int(mgx_peek32(m, PX_PAGE + 0xffc), 0x01020304, "and executed");
	n += cmd_fill(c + n, 0, 4, 1, 1, 0);
	expect(m, c, n, MGPU_ERR_BUDGET, "one pixel over MGPU_MAX_PIXELS");
	n = cmd_blit(c, 0, 0x40000, 0x1000, 0x40000, 0xffff, 0xffff);
	expect(m, c, n, MGPU_ERR_BUDGET, "a huge BLIT");
	n = cmd_fill(c, 0, 0x40000, 0xffff, 0xffff, 0);
	expect(m, c, n, MGPU_ERR_BUDGET, "a huge FILL");
	mgx_wr(m, MGPU_REG_CTX_PD, 0);
	mark_gpa = MARK_GPA;
}

static void test_rect(struct mgx *m)
{
	u32 c[8];

	cmd_fill(c, FB_GA, 60, 16, 1, 0);
	expect(m, c, 5, MGPU_ERR_RECT, "FILL row longer than its stride");
	cmd_blit(c, FB_GA, 64, FB_GA + 0x8000, 32, 16, 2);
	expect(m, c, 6, MGPU_ERR_RECT, "BLIT source row longer than stride");
	cmd_blit(c, FB_GA, 32, FB_GA + 0x8000, 64, 16, 2);
	expect(m, c, 6, MGPU_ERR_RECT, "BLIT target row longer than stride");
	cmd_fill(c, FB_GA, 0, 0xffff, 0, 0);
	expect(m, c, 5, MGPU_ERR_RECT, "even with no rows");
	cmd_fill(c, FB_GA, 64, 16, 2, 0x12345678);
	is_int(mgx_run(m, c, 5), 0, "stride == width * 4 is fine");
}

static void test_privileged(struct mgx *m)
{
	u32 c[4];

	cmd_lri(c, MGPU_REG_CTRL, 0);
	expect(m, c, 3, MGPU_ERR_PRIVILEGED, "LOAD_REGISTER_IMM");
	ok(mgpu_failsafe(m->vdev), "privileged command: failsafe");
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	mgx_enable(m);
	mgx_map(m, MGX_RING_GA, MGX_RING_GPA, MGX_RING_SIZE);
	mgx_map(m, MGX_SEQNO_GA, MGX_SEQNO_GPA, 4096);
	mgx_map(m, MGX_TAIL_GA, MGX_TAIL_GPA, 4096);
	mgx_map(m, MGX_BATCH_GA, MGX_BATCH_GPA, MGX_BATCH_PAGES * 4096);
	mgx_map(m, FB_GA, FB_GPA, FB_SIZE);
	mgx_ring_reset(m);
	ok(!mgpu_failsafe(m->vdev), "reset leaves failsafe");
}

static void test_ring(struct mgx *m)
{
	u32 c[4];
	unsigned int n = cmd_noop(c);

	mgx_wr(m, MGPU_REG_RING_SIZE, 0x3000);
	m->tail = 0;
	expect(m, c, n, MGPU_ERR_RING, "RING_SIZE not a power of two");
	mgx_wr(m, MGPU_REG_RING_SIZE, 0x800);
	m->tail = 0;
	expect(m, c, n, MGPU_ERR_RING, "RING_SIZE below 4 KiB");
	mgx_wr(m, MGPU_REG_RING_SIZE, 0x20000);
	m->tail = 0;
	expect(m, c, n, MGPU_ERR_RING, "RING_SIZE above 64 KiB");
	mgx_ring_reset(m);
	mgx_wr(m, MGPU_REG_RING_BASE, MGX_RING_GA + 0x10);
	m->tail = 0x10;
	expect(m, c, n, MGPU_ERR_RING, "RING_BASE not page aligned");
	mgx_ring_reset(m);
	mgx_wr(m, MGPU_REG_RING_BASE, UNMAPPED_GA);
	m->tail = 0;
	expect(m, c, n, MGPU_ERR_RING, "ring not mapped");
	mgx_ring_reset(m);
	mgx_ggtt_set(m, (MGX_RING_GA >> 12) + 3, 0);
	expect(m, c, n, MGPU_ERR_RING, "last ring page not mapped");
	mgx_map(m, MGX_RING_GA, MGX_RING_GPA, MGX_RING_SIZE);
	mgx_ring_reset(m);
	mgx_wr(m, MGPU_REG_RING_TAIL, MGX_RING_SIZE);
	is_int(mgx_take_error(m), MGPU_ERR_RING, "tail past the ring");
	mgx_wr(m, MGPU_REG_RING_TAIL, 6);
	is_int(mgx_take_error(m), MGPU_ERR_RING, "tail not 4-byte aligned");
	is_int(mgx_rd(m, MGPU_REG_RING_HEAD), 0, "RING_HEAD kept");
	mgx_ring_reset(m);
}

int main(void)
{
	struct mgx m;

	mgx_setup(&m);
	mgx_map(&m, FB_GA, FB_GPA, FB_SIZE);
	test_opcode(&m);
	test_address(&m);
	test_depth(&m);
	test_budget_cmds(&m);
	test_budget_pixels(&m);
	test_rect(&m);
	test_privileged(&m);
	test_ring(&m);
	mgx_teardown(&m);
	return done_testing();
}
