// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Shared checks of the mgpu test programs.
 */
#include "lib/check.h"
#include "rt/cpu.h"
#include "rt/tap.h"

uint32_t px_check(const struct mgpu_bo *bo, uint32_t stride, uint32_t x,
		  uint32_t y, uint32_t w, uint32_t h, uint32_t expect,
		  const char *what)
{
	uint32_t i, j, bad = 0;

	for (j = 0; j < h; j++)
		for (i = 0; i < w; i++) {
			uint32_t v = *px(bo, stride, x + i, y + j);

			if (v == expect)
				continue;
			if (!bad++)
				tap_diag("%s: pixel (%u,%u) is %08x, not %08x",
					 what, x + i, y + j, v, expect);
		}
	return bad;
}

void px_fill(const struct mgpu_bo *bo, uint32_t stride, uint32_t x,
	     uint32_t y, uint32_t w, uint32_t h, uint32_t v)
{
	uint32_t i, j;

	for (j = 0; j < h; j++)
		for (i = 0; i < w; i++)
			*px(bo, stride, x + i, y + j) = v;
}

const char *mgpu_err_name(uint32_t err)
{
	static const char *const names[] = {
		"NONE", "OPCODE", "ADDRESS", "DEPTH",
		"BUDGET", "PRIVILEGED", "RING", "RECT",
	};

	return err < sizeof(names) / sizeof(names[0]) ? names[err] : "?";
}

void mgpu_ack(struct mgpu *g)
{
	mgpu_write(g, MGPU_REG_IRQ_STATUS, MGPU_IRQ_COMPLETE | MGPU_IRQ_ERROR);
}

int expect_refused(struct mgpu *g, const uint32_t *dw, uint32_t n,
		   uint32_t err, const char *what)
{
	uint32_t rejected = mgpu_read(g, MGPU_REG_STAT_REJECTED);
	uint32_t cmds = mgpu_read(g, MGPU_REG_STAT_CMDS);
	int was_enabled = irq_enabled();
	uint32_t got, status, irq;
	int64_t r;
	int pass;

	/* The MSI handler acknowledges IRQ_STATUS, which clears
	 * STATUS.ERROR: hold it off until the registers are read. */
	irq_disable();
	mgpu_ack(g);
	r = mgpu_submit(g, dw, n, MGPU_SUBMIT_NO_SEQNO);
	got = mgpu_read(g, MGPU_REG_ERROR);
	status = mgpu_read(g, MGPU_REG_STATUS);
	irq = mgpu_read(g, MGPU_REG_IRQ_STATUS);
	pass = r == 0 && got == err && (status & MGPU_STATUS_ERROR) &&
	       (irq & MGPU_IRQ_ERROR) &&
	       mgpu_read(g, MGPU_REG_STAT_REJECTED) == rejected + 1 &&
	       mgpu_read(g, MGPU_REG_STAT_CMDS) == cmds;
	tap_ok(pass, "%s: refused with %s", what, mgpu_err_name(err));
	if (!pass)
		tap_diag("  submit %lld, ERROR %s, STATUS %#x, IRQ %#x, "
			 "rejected %u -> %u, commands %u -> %u",
			 (long long)r, mgpu_err_name(got), status, irq,
			 rejected, mgpu_read(g, MGPU_REG_STAT_REJECTED), cmds,
			 mgpu_read(g, MGPU_REG_STAT_CMDS));
	mgpu_ack(g);
	if (was_enabled)
		irq_enable();
	return pass;
}

int mgpu_alive(struct mgpu *g, const struct mgpu_bo *bo)
{
	static uint32_t salt = 0x10203;
	uint32_t color = (salt = salt * 1103515245u + 12345u) & 0xffffff;
	uint32_t cmds[MGPU_LEN_FILL];
	struct cmdbuf cb;

	cmdbuf_init(&cb, cmds, sizeof(cmds));
	cmd_fill(&cb, bo->ga, 256, 64, 4, color);
	if (mgpu_run(g, cb.dw, cb.len, MGPU_SUBMIT_IRQ))
		return 0;
	return !px_check(bo, 256, 0, 0, 64, 4, color, "liveness fill");
}
