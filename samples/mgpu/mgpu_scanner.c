// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The command scanner: a whole submission is validated before any of it
 * runs, as GVT-g's command parser does.
 *
 * It walks the copied ring and, through BATCH_START, batch buffers in
 * guest memory, read a page at a time through the active table into the
 * device's own buffers.  Each command is checked:
 *
 *   MGPU_ERR_OPCODE      unknown opcode, length not its opcode's, a command
 *                        cut by the end of the submission, BATCH_END in
 *                        the ring
 *   MGPU_ERR_ADDRESS     a byte a FILL, BLIT or STORE_DWORD touches, or a
 *                        batch dword, not mapped by a valid entry; a
 *                        STORE_DWORD or batch address not 4-byte aligned
 *   MGPU_ERR_DEPTH       a batch nested deeper than MGPU_MAX_BATCH_DEPTH
 *   MGPU_ERR_BUDGET      more than MGPU_MAX_CMDS commands (every command
 *                        counts, NOOP and batch markers included) or
 *                        MGPU_MAX_PIXELS pixels (FILL and BLIT rectangles)
 *   MGPU_ERR_RECT        a rectangle row (width * 4) longer than its stride
 *   MGPU_ERR_PRIVILEGED  LOAD_REGISTER_IMM
 *
 * The first violation in submission order is reported.  Within a command
 * the checks run in the order RECT, BUDGET, ADDRESS, so that the budget
 * bounds the address checks.  A batch that never ends runs into the
 * command budget, one that calls itself into the depth limit.
 *
 * The commands that do work are copied into @mg->cmds, the only thing
 * execution reads: batches come out flattened, and nothing the guest
 * changes in its memory after the scan can reach the device.
 */
#include "mgpu_priv.h"

struct scan {
	struct mgpu *mg;
	enum mgpu_as as;
	const u32 *ring;
	u32 ring_pos;
	u32 ring_end;
	unsigned int depth;
	u32 nr_cmds;
	u64 pixels;
};

/* Length in dwords of @op, and whether execution needs it. */
static bool op_desc(u32 op, unsigned int *len, bool *emit)
{
	*emit = false;
	switch (op) {
	case MGPU_OP_NOOP:
		*len = MGPU_LEN_NOOP;
		return true;
	case MGPU_OP_BATCH_START:
		*len = MGPU_LEN_BATCH_START;
		return true;
	case MGPU_OP_BATCH_END:
		*len = MGPU_LEN_BATCH_END;
		return true;
	case MGPU_OP_LRI:
		*len = MGPU_LEN_LRI;
		return true;
	case MGPU_OP_FILL:
		*len = MGPU_LEN_FILL;
		break;
	case MGPU_OP_BLIT:
		*len = MGPU_LEN_BLIT;
		break;
	case MGPU_OP_STORE_DWORD:
		*len = MGPU_LEN_STORE_DWORD;
		break;
	case MGPU_OP_INTERRUPT:
		*len = MGPU_LEN_INTERRUPT;
		break;
	default:
		return false;
	}
	*emit = true;
	return true;
}

static int batch_fetch(struct scan *s, struct mgpu_scan_level *l, u32 *dw)
{
	u64 page = l->ga & MPT_PAGE_MASK;

	if (page != l->page_ga) {
		if (!mgpu_mem_mapped(s->mg, s->as, page, MPT_PAGE_SIZE) ||
		    mgpu_mem_read(s->mg, s->as, page, l->page, MPT_PAGE_SIZE))
			return MGPU_ERR_ADDRESS;
		l->page_ga = page;
	}
	*dw = l->page[(l->ga & ~MPT_PAGE_MASK) / 4];
	l->ga += 4;
	return 0;
}

static int fetch(struct scan *s, u32 *dw)
{
	if (s->depth)
		return batch_fetch(s, &s->mg->scan[s->depth - 1], dw);
	if (s->ring_pos == s->ring_end)
		return MGPU_ERR_OPCODE;
	*dw = s->ring[s->ring_pos++];
	return 0;
}

static int push(struct scan *s, u32 ga)
{
	struct mgpu_scan_level *l;

	if (s->depth == MGPU_MAX_BATCH_DEPTH)
		return MGPU_ERR_DEPTH;
	if (ga & 3)
		return MGPU_ERR_ADDRESS;
	l = &s->mg->scan[s->depth++];
	l->ga = ga;
	l->page_ga = ~0ULL;
	return 0;
}

static int pop(struct scan *s)
{
	if (!s->depth)
		return MGPU_ERR_OPCODE;
	s->depth--;
	return 0;
}

static bool rect_fits(u32 stride, u32 wh)
{
	return (u64)MGPU_RECT_WIDTH(wh) * 4 <= stride;
}

static int budget(struct scan *s, u32 wh)
{
	s->pixels += (u64)MGPU_RECT_WIDTH(wh) * MGPU_RECT_HEIGHT(wh);
	return s->pixels > MGPU_MAX_PIXELS ? MGPU_ERR_BUDGET : 0;
}

static bool rect_mapped(struct scan *s, u32 ga, u32 stride, u32 wh)
{
	return mgpu_mem_rect_mapped(s->mg, s->as, ga, stride,
				    MGPU_RECT_WIDTH(wh), MGPU_RECT_HEIGHT(wh));
}

/* FILL: [hdr, dst, stride, wh, color] */
static int check_fill(struct scan *s, const u32 *dw)
{
	if (!rect_fits(dw[2], dw[3]))
		return MGPU_ERR_RECT;
	if (budget(s, dw[3]))
		return MGPU_ERR_BUDGET;
	if (!rect_mapped(s, dw[1], dw[2], dw[3]))
		return MGPU_ERR_ADDRESS;
	return 0;
}

/* BLIT: [hdr, dst, dst stride, src, src stride, wh] */
static int check_blit(struct scan *s, const u32 *dw)
{
	if (!rect_fits(dw[2], dw[5]) || !rect_fits(dw[4], dw[5]))
		return MGPU_ERR_RECT;
	if (budget(s, dw[5]))
		return MGPU_ERR_BUDGET;
	if (!rect_mapped(s, dw[1], dw[2], dw[5]) ||
	    !rect_mapped(s, dw[3], dw[4], dw[5]))
		return MGPU_ERR_ADDRESS;
	return 0;
}

/* STORE_DWORD: [hdr, ga, value] */
static int check_store(struct scan *s, const u32 *dw)
{
	if ((dw[1] & 3) || !mgpu_mem_mapped(s->mg, s->as, dw[1], 4))
		return MGPU_ERR_ADDRESS;
	return 0;
}

static int check_cmd(struct scan *s, const u32 *dw)
{
	switch (MGPU_CMD_OPCODE(dw[0])) {
	case MGPU_OP_FILL:
		return check_fill(s, dw);
	case MGPU_OP_BLIT:
		return check_blit(s, dw);
	case MGPU_OP_STORE_DWORD:
		return check_store(s, dw);
	case MGPU_OP_BATCH_START:
		return push(s, dw[1]);
	case MGPU_OP_BATCH_END:
		return pop(s);
	case MGPU_OP_LRI:
		return MGPU_ERR_PRIVILEGED;
	default:
		return 0;
	}
}

static int scan_cmd(struct scan *s)
{
	struct mgpu *mg = s->mg;
	u32 dw[MGPU_CMD_MAX_DW];
	unsigned int len, i;
	bool emit;
	int err;

	err = fetch(s, &dw[0]);
	if (err)
		return err;
	if (++s->nr_cmds > MGPU_MAX_CMDS)
		return MGPU_ERR_BUDGET;
	if (!op_desc(MGPU_CMD_OPCODE(dw[0]), &len, &emit) ||
	    MGPU_CMD_LENGTH(dw[0]) != len)
		return MGPU_ERR_OPCODE;
	for (i = 1; i < len; i++) {
		err = fetch(s, &dw[i]);
		if (err)
			return err;
	}
	err = check_cmd(s, dw);
	if (!err && emit)
		memcpy(mg->cmds[mg->nr_cmds++].dw, dw, len * 4);
	return err;
}

/**
 * mgpu_scan() - validate a submission and copy out its commands
 * @mg: the instance, lock held
 * @as: the table command addresses go through
 * @ring: the submission's ring dwords
 * @nr_dw: their number
 * @nr_cmds: set to the number of commands scanned (batches included)
 *
 * Return: 0 with @mg->cmds and @mg->nr_cmds ready to execute, or the
 * MGPU_ERR_* of the first violation (then @mg->nr_cmds is 0).
 */
int mgpu_scan(struct mgpu *mg, enum mgpu_as as, const u32 *ring, u32 nr_dw,
	      u32 *nr_cmds)
{
	struct scan s = { .mg = mg, .as = as, .ring = ring, .ring_end = nr_dw };
	int err = 0;

	mg->nr_cmds = 0;
	while (!err && (s.depth || s.ring_pos < s.ring_end))
		err = scan_cmd(&s);
	*nr_cmds = s.nr_cmds;
	if (err)
		mg->nr_cmds = 0;
	return err;
}
