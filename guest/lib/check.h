/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Helpers the mgpu test programs share: pixel checks in guest memory,
 * expecting a refusal, a liveness probe.
 */
#ifndef GUEST_LIB_CHECK_H
#define GUEST_LIB_CHECK_H

#include <stdint.h>

#include "mgpu/mgpu.h"

/* Pixel (@x, @y) of a surface of @stride bytes in @bo. */
static inline volatile uint32_t *px(const struct mgpu_bo *bo, uint32_t stride,
				    uint32_t x, uint32_t y)
{
	return (volatile uint32_t *)((uint8_t *)bo->cpu + y * stride) + x;
}

/*
 * Count the pixels of the rectangle that are not @expect; the first one
 * is shown as a TAP comment labelled @what.
 */
uint32_t px_check(const struct mgpu_bo *bo, uint32_t stride, uint32_t x,
		  uint32_t y, uint32_t w, uint32_t h, uint32_t expect,
		  const char *what);

/* Fill a rectangle by CPU. */
void px_fill(const struct mgpu_bo *bo, uint32_t stride, uint32_t x,
	     uint32_t y, uint32_t w, uint32_t h, uint32_t v);

/*
 * expect_refused() - submit @n dwords by RING_TAIL (no seqno) and report
 * one TAP test: the device refused them with MGPU_ERR_@err, set
 * STATUS.ERROR and IRQ_STATUS.ERROR and counted the refusal; then the
 * error is acknowledged (W1C).  Return: whether it passed.
 */
int expect_refused(struct mgpu *g, const uint32_t *dw, uint32_t n,
		   uint32_t err, const char *what);

/* Acknowledge every interrupt condition (W1C IRQ_STATUS). */
void mgpu_ack(struct mgpu *g);

/*
 * mgpu_alive() - one FILL of a fresh colour into @bo (a page or more,
 * mapped) and a seqno, checked in memory.  Return: 1 if it worked.
 */
int mgpu_alive(struct mgpu *g, const struct mgpu_bo *bo);

const char *mgpu_err_name(uint32_t err);

#endif /* GUEST_LIB_CHECK_H */
