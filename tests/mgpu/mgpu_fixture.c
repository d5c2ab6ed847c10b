// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* The mgpu test world; see mgpu_fixture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

static void bail(const char *what, int ret)
{
	printf("Bail out! %s: %d\n", what, ret);
	exit(2);
}

void mgx_setup_bare(struct mgx *m)
{
	static const struct mpt_sim_region layout[] = {
		{ 0, MGX_RAM0_SIZE },
		{ MGX_RAM1_GPA, MGX_RAM1_SIZE },
	};
	int ret;

	memset(m, 0, sizeof(*m));
	fx_log_capture();
	ret = mpt_sim_register(NULL, &m->be);
	ret = ret ?: mgpu_register();
	if (ret)
		bail("registration", ret);
	m->g = mpt_sim_guest_create(layout, 2);
	if (!m->g)
		bail("guest", -ENOMEM);
}

static void cfg_write(struct mgx *m, unsigned int off, unsigned int len,
		      u32 val)
{
	int ret = mpt_vdev_cfg_access(m->vdev, off, &val, len, true);

	if (ret)
		bail("config write", ret);
}

static u32 cfg_read(struct mgx *m, unsigned int off, unsigned int len)
{
	u32 v = 0;

	mpt_vdev_cfg_access(m->vdev, off, &v, len, false);
	return v;
}

static unsigned int msi_cap(struct mgx *m)
{
	unsigned int cap = cfg_read(m, MPT_PCI_CAPABILITY_LIST, 1);
	int n;

	for (n = 0; cap && n < 48; n++) {
		if (cfg_read(m, cap, 1) == MPT_PCI_CAP_ID_MSI)
			return cap;
		cap = cfg_read(m, cap + 1, 1);
	}
	bail("no MSI capability", 0);
	return 0;
}

void mgx_enable(struct mgx *m)
{
	unsigned int cap;

	cfg_write(m, MPT_PCI_BAR0, 4, (u32)MGX_BAR0_GPA);
	cfg_write(m, MPT_PCI_COMMAND, 2,
		  MPT_PCI_COMMAND_MEMORY | MPT_PCI_COMMAND_MASTER);
	cap = msi_cap(m);
	cfg_write(m, cap + 4, 4, MGX_MSI_ADDR);
	cfg_write(m, cap + 8, 4, 0);
	cfg_write(m, cap + 12, 2, MGX_MSI_DATA);
	cfg_write(m, cap + 2, 2, MPT_PCI_MSI_FLAGS_ENABLE);
}

int mgx_instance(struct mgx *m)
{
	int ret;

	ret = mpt_vdev_create(MGPU_TYPE_NAME, NULL, &m->vdev);
	if (ret)
		return ret;
	ret = mpt_vdev_attach(m->vdev, m->g);
	ret = ret ?: mpt_vdev_activate(m->vdev);
	if (ret)
		bail("attach/activate", ret);
	mgx_enable(m);
	return 0;
}

void mgx_ring_reset(struct mgx *m)
{
	mgx_wr(m, MGPU_REG_RING_BASE, MGX_RING_GA);
	mgx_wr(m, MGPU_REG_RING_SIZE, MGX_RING_SIZE);
	mgx_wr(m, MGPU_REG_TAIL_ADDR, MGX_TAIL_GA);
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_IRQ_ENABLE);
	m->tail = 0;
}

void mgx_setup(struct mgx *m)
{
	int ret;

	mgx_setup_bare(m);
	ret = mgx_instance(m);
	if (ret)
		bail("instance", ret);
	mgx_map(m, MGX_RING_GA, MGX_RING_GPA, MGX_RING_SIZE);
	mgx_map(m, MGX_TAIL_GA, MGX_TAIL_GPA, MPT_PAGE_SIZE);
	mgx_map(m, MGX_SEQNO_GA, MGX_SEQNO_GPA, MPT_PAGE_SIZE);
	mgx_map(m, MGX_BATCH_GA, MGX_BATCH_GPA,
		MGX_BATCH_PAGES * MPT_PAGE_SIZE);
	mgx_ring_reset(m);
}

void mgx_teardown_bare(struct mgx *m)
{
	is_int(mpt_sim_violations(m->g), 0, "no backend contract violation");
	mpt_sim_guest_destroy(m->g);
	ok(mgpu_unregister() == 0, "mgpu unregisters");
	ok(mpt_backend_unregister(m->be) == 0, "backend unregisters");
	fx_log_release();
}

void mgx_teardown(struct mgx *m)
{
	struct mpt_vdev_stats s;

	mpt_vdev_detach(m->vdev);
	mpt_vdev_get_stats(m->vdev, &s);
	is_int(s.dma_leaked, 0, "mgpu gave back every DMA mapping");
	is_int(mpt_vdev_destroy(m->vdev), 0, "instance destroyed");
	mgx_teardown_bare(m);
}

int mgx_access(struct mgx *m, u64 off, void *data, unsigned int len,
	       bool is_write)
{
	return mpt_sim_guest_access(m->g, MPT_SPACE_MMIO, MGX_BAR0_GPA + off,
				    data, len, is_write);
}

u32 mgx_rd(struct mgx *m, u32 off)
{
	u32 v = 0;

	mgx_access(m, off, &v, 4, false);
	return v;
}

void mgx_wr(struct mgx *m, u32 off, u32 val)
{
	mgx_access(m, off, &val, 4, true);
}

void mgx_ggtt_set(struct mgx *m, u32 idx, u64 entry)
{
	mgx_access(m, MGPU_GGTT_OFFSET + (u64)idx * 8, &entry, 8, true);
}

u64 mgx_ggtt_get(struct mgx *m, u32 idx)
{
	u64 v = 0;

	mgx_access(m, MGPU_GGTT_OFFSET + (u64)idx * 8, &v, 8, false);
	return v;
}

void mgx_map(struct mgx *m, u64 ga, u64 gpa, u64 len)
{
	u64 off;

	for (off = 0; off < len; off += MPT_PAGE_SIZE)
		mgx_ggtt_set(m, (u32)((ga + off) >> MPT_PAGE_SHIFT),
			     (gpa + off) | MGPU_PTE_VALID);
}

void mgx_poke(struct mgx *m, u64 gpa, const void *data, size_t len)
{
	int ret = mpt_sim_guest_write(m->g, gpa, data, len);

	if (ret)
		bail("guest write", ret);
}

void mgx_peek(struct mgx *m, u64 gpa, void *buf, size_t len)
{
	int ret = mpt_sim_guest_read(m->g, gpa, buf, len);

	if (ret)
		bail("guest read", ret);
}

void mgx_poke32(struct mgx *m, u64 gpa, u32 v)
{
	mgx_poke(m, gpa, &v, 4);
}

u32 mgx_peek32(struct mgx *m, u64 gpa)
{
	u32 v;

	mgx_peek(m, gpa, &v, 4);
	return v;
}

void mgx_poke64(struct mgx *m, u64 gpa, u64 v)
{
	mgx_poke(m, gpa, &v, 8);
}

void mgx_emit(struct mgx *m, const u32 *dw, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		mgx_poke32(m, MGX_RING_GPA + m->tail, dw[i]);
		m->tail = (m->tail + 4) & (MGX_RING_SIZE - 1);
	}
}

void mgx_kick(struct mgx *m)
{
	mgx_wr(m, MGPU_REG_RING_TAIL, m->tail);
}

int mgx_take_error(struct mgx *m)
{
	u32 irq = mgx_rd(m, MGPU_REG_IRQ_STATUS);
	int err = irq & MGPU_IRQ_ERROR ? (int)mgx_rd(m, MGPU_REG_ERROR) : 0;

	mgx_wr(m, MGPU_REG_IRQ_STATUS, irq);
	return err;
}

int mgx_run(struct mgx *m, const u32 *dw, unsigned int n)
{
	mgx_emit(m, dw, n);
	mgx_kick(m);
	return mgx_take_error(m);
}

int mgx_run_doorbell(struct mgx *m, const u32 *dw, unsigned int n)
{
	int ret;

	mgx_emit(m, dw, n);
	mgx_poke32(m, MGX_TAIL_GPA, m->tail);
	ret = mpt_vdev_doorbell(m->vdev, 0, MGPU_REG_DOORBELL);
	if (ret)
		diag("doorbell delivery failed: %d", ret);
	return mgx_take_error(m);
}

unsigned int mgx_msis(struct mgx *m)
{
	return mpt_sim_msi_count(m->g);
}

struct mgpu_stats mgx_stats(struct mgx *m)
{
	struct mgpu_stats s;

	mgpu_get_stats(m->vdev, &s);
	return s;
}

struct mpt_vdev_stats mgx_core_stats(struct mgx *m)
{
	struct mpt_vdev_stats s;

	mpt_vdev_get_stats(m->vdev, &s);
	return s;
}

unsigned int cmd_noop(u32 *p)
{
	p[0] = MGPU_CMD(MGPU_OP_NOOP, MGPU_LEN_NOOP);
	return MGPU_LEN_NOOP;
}

unsigned int cmd_fill(u32 *p, u32 dst, u32 stride, u32 w, u32 h, u32 color)
{
	p[0] = MGPU_CMD(MGPU_OP_FILL, MGPU_LEN_FILL);
	p[1] = dst;
	p[2] = stride;
	p[3] = w | h << 16;
	p[4] = color;
	return MGPU_LEN_FILL;
}

unsigned int cmd_blit(u32 *p, u32 dst, u32 dstride, u32 src, u32 sstride,
		      u32 w, u32 h)
{
	p[0] = MGPU_CMD(MGPU_OP_BLIT, MGPU_LEN_BLIT);
	p[1] = dst;
	p[2] = dstride;
	p[3] = src;
	p[4] = sstride;
	p[5] = w | h << 16;
	return MGPU_LEN_BLIT;
}

unsigned int cmd_batch(u32 *p, u32 ga)
{
	p[0] = MGPU_CMD(MGPU_OP_BATCH_START, MGPU_LEN_BATCH_START);
	p[1] = ga;
	return MGPU_LEN_BATCH_START;
}

unsigned int cmd_batch_end(u32 *p)
{
	p[0] = MGPU_CMD(MGPU_OP_BATCH_END, MGPU_LEN_BATCH_END);
	return MGPU_LEN_BATCH_END;
}

unsigned int cmd_store(u32 *p, u32 ga, u32 value)
{
	p[0] = MGPU_CMD(MGPU_OP_STORE_DWORD, MGPU_LEN_STORE_DWORD);
	p[1] = ga;
	p[2] = value;
	return MGPU_LEN_STORE_DWORD;
}

unsigned int cmd_irq(u32 *p)
{
	p[0] = MGPU_CMD(MGPU_OP_INTERRUPT, MGPU_LEN_INTERRUPT);
	return MGPU_LEN_INTERRUPT;
}

unsigned int cmd_lri(u32 *p, u32 reg, u32 value)
{
	p[0] = MGPU_CMD(MGPU_OP_LRI, MGPU_LEN_LRI);
	p[1] = reg;
	p[2] = value;
	return MGPU_LEN_LRI;
}
