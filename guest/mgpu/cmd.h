/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Building mgpu command streams: into a ring submission, a batch buffer
 * or a test's raw array, with the encodings of mgpu_hw.h.
 */
#ifndef GUEST_MGPU_CMD_H
#define GUEST_MGPU_CMD_H

#include <stdint.h>

#include <mgpu_hw.h>

struct cmdbuf {
	uint32_t *dw;
	uint32_t len; /* dwords written */
	uint32_t cap; /* dwords available */
	int overflow; /* a command did not fit (and was dropped) */
};

static inline void cmdbuf_init(struct cmdbuf *cb, void *mem, uint32_t bytes)
{
	cb->dw = mem;
	cb->len = 0;
	cb->cap = bytes / 4;
	cb->overflow = 0;
}

/* Append @n dwords as they are (malformed commands included). */
void cmd_raw(struct cmdbuf *cb, const uint32_t *dw, uint32_t n);

void cmd_noop(struct cmdbuf *cb);
void cmd_fill(struct cmdbuf *cb, uint32_t dst, uint32_t stride, uint32_t w,
	      uint32_t h, uint32_t color);
void cmd_blit(struct cmdbuf *cb, uint32_t dst, uint32_t dst_stride,
	      uint32_t src, uint32_t src_stride, uint32_t w, uint32_t h);
void cmd_batch_start(struct cmdbuf *cb, uint32_t ga);
void cmd_batch_end(struct cmdbuf *cb);
void cmd_store(struct cmdbuf *cb, uint32_t ga, uint32_t value);
void cmd_interrupt(struct cmdbuf *cb);
void cmd_lri(struct cmdbuf *cb, uint32_t reg, uint32_t value);

#endif /* GUEST_MGPU_CMD_H */
