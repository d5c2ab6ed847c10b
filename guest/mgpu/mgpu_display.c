// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The display plane.
 */
#include "mgpu/mgpu.h"

void mgpu_plane_show(const struct mgpu *g, uint32_t ga, uint32_t width,
		     uint32_t height, uint32_t stride)
{
	mgpu_write(g, MGPU_REG_PLANE_ENABLE, 0);
	mgpu_write(g, MGPU_REG_PLANE_BASE, ga);
	mgpu_write(g, MGPU_REG_PLANE_WIDTH, width);
	mgpu_write(g, MGPU_REG_PLANE_HEIGHT, height);
	mgpu_write(g, MGPU_REG_PLANE_STRIDE, stride);
	mgpu_write(g, MGPU_REG_PLANE_FORMAT, MGPU_FORMAT_XRGB8888);
	mgpu_write(g, MGPU_REG_PLANE_ENABLE, 1);
	mgpu_notify_display_ready(g, 1);
}
