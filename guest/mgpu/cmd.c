// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Command encoders.  A command that does not fit is dropped whole and
 * flagged, so a stream is never cut in the middle of a command.
 */
#include "mgpu/cmd.h"

void cmd_raw(struct cmdbuf *cb, const uint32_t *dw, uint32_t n)
{
	uint32_t i;

	if (n > cb->cap - cb->len) {
		cb->overflow = 1;
		return;
	}
	for (i = 0; i < n; i++)
		cb->dw[cb->len++] = dw[i];
}

void cmd_noop(struct cmdbuf *cb)
{
	const uint32_t c[] = { MGPU_CMD(MGPU_OP_NOOP, MGPU_LEN_NOOP) };

	cmd_raw(cb, c, MGPU_LEN_NOOP);
}

void cmd_fill(struct cmdbuf *cb, uint32_t dst, uint32_t stride, uint32_t w,
	      uint32_t h, uint32_t color)
{
	const uint32_t c[] = { MGPU_CMD(MGPU_OP_FILL, MGPU_LEN_FILL), dst,
			       stride, (w & 0xffff) | h << 16, color };

	cmd_raw(cb, c, MGPU_LEN_FILL);
}

void cmd_blit(struct cmdbuf *cb, uint32_t dst, uint32_t dst_stride,
	      uint32_t src, uint32_t src_stride, uint32_t w, uint32_t h)
{
	const uint32_t c[] = { MGPU_CMD(MGPU_OP_BLIT, MGPU_LEN_BLIT),
			       dst,
			       dst_stride,
			       src,
			       src_stride,
			       (w & 0xffff) | h << 16 };

	cmd_raw(cb, c, MGPU_LEN_BLIT);
}

void cmd_batch_start(struct cmdbuf *cb, uint32_t ga)
{
	const uint32_t c[] = {
		MGPU_CMD(MGPU_OP_BATCH_START, MGPU_LEN_BATCH_START), ga
	};

	cmd_raw(cb, c, MGPU_LEN_BATCH_START);
}

void cmd_batch_end(struct cmdbuf *cb)
{
	const uint32_t c[] = { MGPU_CMD(MGPU_OP_BATCH_END,
					MGPU_LEN_BATCH_END) };

	cmd_raw(cb, c, MGPU_LEN_BATCH_END);
}

void cmd_store(struct cmdbuf *cb, uint32_t ga, uint32_t value)
{
	const uint32_t c[] = {
		MGPU_CMD(MGPU_OP_STORE_DWORD, MGPU_LEN_STORE_DWORD), ga, value
	};

	cmd_raw(cb, c, MGPU_LEN_STORE_DWORD);
}

void cmd_interrupt(struct cmdbuf *cb)
{
	const uint32_t c[] = { MGPU_CMD(MGPU_OP_INTERRUPT,
					MGPU_LEN_INTERRUPT) };

	cmd_raw(cb, c, MGPU_LEN_INTERRUPT);
}

void cmd_lri(struct cmdbuf *cb, uint32_t reg, uint32_t value)
{
	const uint32_t c[] = { MGPU_CMD(MGPU_OP_LRI, MGPU_LEN_LRI), reg,
			       value };

	cmd_raw(cb, c, MGPU_LEN_LRI);
}
