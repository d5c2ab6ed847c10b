// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Execution of a scanned submission.
 *
 * Runs the commands mgpu_scanner.c copied into @mg->cmds, in order,
 * through the table the submission was scanned for.  Rectangles are moved
 * in as few guest-memory calls as their layout allows: a rectangle whose
 * rows are packed (stride == width * 4) is one linear range, otherwise
 * each row is; mgpu_mem.c then cuts ranges into contiguous runs.
 *
 * Completion is the driver's business: STORE_DWORD writes its seqno and
 * INTERRUPT sets IRQ_STATUS.COMPLETE and sends MSI vector 0, after all the
 * work before it is in memory.
 */
#include "mgpu_priv.h"

/* FILL: [hdr, dst, stride, wh, color] */
static void exec_fill(struct mgpu *mg, enum mgpu_as as, const u32 *dw)
{
	u32 w = MGPU_RECT_WIDTH(dw[3]), h = MGPU_RECT_HEIGHT(dw[3]);
	u64 row = (u64)w * 4, r;

	if (!w || !h)
		return;
	if (dw[2] == row) {
		mgpu_mem_fill(mg, as, dw[1], row * h, dw[4]);
		return;
	}
	for (r = 0; r < h; r++)
		mgpu_mem_fill(mg, as, dw[1] + r * dw[2], row, dw[4]);
}

/* BLIT: [hdr, dst, dst stride, src, src stride, wh] */
static void exec_blit(struct mgpu *mg, enum mgpu_as as, const u32 *dw)
{
	u32 w = MGPU_RECT_WIDTH(dw[5]), h = MGPU_RECT_HEIGHT(dw[5]);
	u64 row = (u64)w * 4, r;

	if (!w || !h)
		return;
	if (dw[2] == row && dw[4] == row) {
		mgpu_mem_copy(mg, as, dw[1], dw[3], row * h);
		return;
	}
	for (r = 0; r < h; r++)
		mgpu_mem_copy(mg, as, dw[1] + r * dw[2], dw[3] + r * dw[4],
			      row);
}

/* STORE_DWORD: [hdr, ga, value] */
static void exec_store(struct mgpu *mg, enum mgpu_as as, const u32 *dw)
{
	mgpu_mem_write(mg, as, dw[1], &dw[2], 4);
}

static void exec_cmd(struct mgpu *mg, enum mgpu_as as, const u32 *dw)
{
	switch (MGPU_CMD_OPCODE(dw[0])) {
	case MGPU_OP_FILL:
		exec_fill(mg, as, dw);
		break;
	case MGPU_OP_BLIT:
		exec_blit(mg, as, dw);
		break;
	case MGPU_OP_STORE_DWORD:
		exec_store(mg, as, dw);
		break;
	case MGPU_OP_INTERRUPT:
		mgpu_irq_locked(mg, MGPU_IRQ_COMPLETE);
		break;
	default:
		break;
	}
}

/**
 * mgpu_exec() - run the scanned submission
 * @mg: the instance, lock held
 * @as: the table it was scanned for
 *
 * Stops early if the device enters failsafe on the way (a command
 * rewrote a page table the device then could not shadow).
 */
void mgpu_exec(struct mgpu *mg, enum mgpu_as as)
{
	unsigned int i;

	for (i = 0; i < mg->nr_cmds && !mg->failsafe; i++)
		exec_cmd(mg, as, mg->cmds[i].dw);
	mg->nr_cmds = 0;
}
