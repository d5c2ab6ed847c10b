// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The virtual PCI configuration space.
 *
 * Stored as bytes with two masks, as the hardware behaves: wmask holds the
 * bits a guest may change, w1cmask the bits a guest clears by writing 1.
 * BAR sizing falls out of wmask (an all-ones write leaves ~(size - 1)).
 * Writes to the command register or a BAR re-evaluate which BARs decode, and
 * decoding BARs are claimed from the backend so that the guest's accesses
 * reach the device.
 */
#include "mpt_core.h"

#define CAP_START 0x40
#define MSI_CAP_LEN 24
#define MSIX_CAP_LEN 12

static u16 get16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static void init_header(struct mpt_cfg_space *cfg,
			const struct mpt_pci_desc *pci)
{
	u16 cmd_mask = MPT_PCI_COMMAND_MASTER | MPT_PCI_COMMAND_PARITY |
		       MPT_PCI_COMMAND_SERR | MPT_PCI_COMMAND_INTX_DISABLE;
	unsigned int i;

	put16(cfg->data + MPT_PCI_VENDOR_ID, pci->vendor_id);
	put16(cfg->data + MPT_PCI_DEVICE_ID, pci->device_id);
	cfg->data[MPT_PCI_REVISION_ID] = pci->revision;
	put16(cfg->data + MPT_PCI_CLASS_PROG, (u16)pci->class_code);
	cfg->data[MPT_PCI_CLASS_PROG + 2] = (u8)(pci->class_code >> 16);
	put16(cfg->data + MPT_PCI_SUBSYSTEM_VENDOR_ID,
	      pci->subsystem_vendor_id);
	put16(cfg->data + MPT_PCI_SUBSYSTEM_ID, pci->subsystem_id);
	for (i = 0; i < MPT_PCI_NR_BARS; i++) {
		if (pci->bars[i].type == MPT_BAR_IO)
			cmd_mask |= MPT_PCI_COMMAND_IO;
		else if (pci->bars[i].type != MPT_BAR_NONE)
			cmd_mask |= MPT_PCI_COMMAND_MEMORY;
	}
	put16(cfg->wmask + MPT_PCI_COMMAND, cmd_mask);
	put16(cfg->w1cmask + MPT_PCI_STATUS, MPT_PCI_STATUS_W1C);
	cfg->wmask[MPT_PCI_CACHE_LINE_SIZE] = 0xff;
	cfg->wmask[MPT_PCI_LATENCY_TIMER] = 0xff;
	cfg->wmask[MPT_PCI_INTERRUPT_LINE] = 0xff;
}

static void init_bar(struct mpt_cfg_space *cfg, unsigned int i,
		     const struct mpt_bar_desc *bar)
{
	u8 *reg = cfg->data + MPT_PCI_BAR0 + 4 * i;
	u8 *mask = cfg->wmask + MPT_PCI_BAR0 + 4 * i;
	u64 m = ~(bar->size - 1);
	u32 flags = bar->prefetchable ? MPT_PCI_BAR_PREFETCH : 0;

	switch (bar->type) {
	case MPT_BAR_MEM32:
		put32(reg, flags);
		put32(mask, (u32)m & ~0xfU);
		break;
	case MPT_BAR_MEM64:
		put32(reg, flags | MPT_PCI_BAR_MEM_64);
		put32(mask, (u32)m & ~0xfU);
		put32(mask + 4, (u32)(m >> 32));
		break;
	case MPT_BAR_IO:
		put32(reg, MPT_PCI_BAR_IO);
		put32(mask, (u32)m & 0xfffcU);
		break;
	case MPT_BAR_NONE:
		break;
	}
}

static u8 add_msi_cap(struct mpt_cfg_space *cfg, u8 pos, unsigned int nvec)
{
	u16 qmask = 0;

	while ((1U << qmask) < nvec)
		qmask++;
	cfg->data[pos] = MPT_PCI_CAP_ID_MSI;
	put16(cfg->data + pos + 2, MPT_PCI_MSI_FLAGS_64BIT |
					   MPT_PCI_MSI_FLAGS_MASKBIT |
					   (u16)(qmask << 1));
	put16(cfg->wmask + pos + 2,
	      MPT_PCI_MSI_FLAGS_ENABLE | MPT_PCI_MSI_FLAGS_QSIZE);
	put32(cfg->wmask + pos + 4, 0xfffffffcU);
	put32(cfg->wmask + pos + 8, 0xffffffffU);
	put16(cfg->wmask + pos + 12, 0xffff);
	put32(cfg->wmask + pos + 16,
	      nvec == 32 ? 0xffffffffU : (1U << nvec) - 1);
	cfg->msi_cap = pos;
	return pos + MSI_CAP_LEN;
}

static u8 add_msix_cap(struct mpt_cfg_space *cfg, u8 pos,
		       const struct mpt_pci_desc *pci)
{
	cfg->data[pos] = MPT_PCI_CAP_ID_MSIX;
	put16(cfg->data + pos + 2, (u16)(pci->msix_vectors - 1));
	put16(cfg->wmask + pos + 2,
	      MPT_PCI_MSIX_FLAGS_ENABLE | MPT_PCI_MSIX_FLAGS_MASKALL);
	put32(cfg->data + pos + 4, pci->msix_table_offset | pci->msix_bar);
	put32(cfg->data + pos + 8, pci->msix_pba_offset | pci->msix_bar);
	cfg->msix_cap = pos;
	return pos + MSIX_CAP_LEN;
}

/* Chain the capabilities in the order they were laid out. */
static void link_caps(struct mpt_cfg_space *cfg)
{
	u8 caps[2], n = 0, i;

	if (cfg->msi_cap)
		caps[n++] = cfg->msi_cap;
	if (cfg->msix_cap)
		caps[n++] = cfg->msix_cap;
	if (!n)
		return;
	cfg->data[MPT_PCI_CAPABILITY_LIST] = caps[0];
	put16(cfg->data + MPT_PCI_STATUS, MPT_PCI_STATUS_CAP_LIST);
	for (i = 0; i + 1 < n; i++)
		cfg->data[caps[i] + 1] = caps[i + 1];
}

int mpt_cfg_init(struct mpt_instance *inst, const struct mpt_pci_desc *pci)
{
	struct mpt_cfg_space *cfg = &inst->cfg;
	unsigned int i;
	u8 pos = CAP_START;

	mpt_mutex_init(&cfg->lock);
	init_header(cfg, pci);
	for (i = 0; i < MPT_PCI_NR_BARS; i++)
		init_bar(cfg, i, &pci->bars[i]);
	if (pci->msi_vectors)
		pos = add_msi_cap(cfg, pos, pci->msi_vectors);
	if (pci->msix_vectors)
		pos = add_msix_cap(cfg, pos, pci);
	link_caps(cfg);
	cfg->cap_end = pos;
	memcpy(cfg->reset_data, cfg->data, sizeof(cfg->data));
	return 0;
}

void mpt_cfg_destroy(struct mpt_instance *inst)
{
	mpt_mutex_destroy(&inst->cfg.lock);
}

/* The address a BAR decodes at, or false if it does not decode now. */
static bool bar_decodes(const struct mpt_cfg_space *cfg,
			const struct mpt_bar_desc *bar, unsigned int i,
			u64 *base)
{
	u16 cmd = get16(cfg->data + MPT_PCI_COMMAND);
	const u8 *reg = cfg->data + MPT_PCI_BAR0 + 4 * i;

	switch (bar->type) {
	case MPT_BAR_MEM32:
		*base = get32(reg) & ~0xfU;
		break;
	case MPT_BAR_MEM64:
		*base = (get32(reg) & ~0xfULL) | (u64)get32(reg + 4) << 32;
		break;
	case MPT_BAR_IO:
		*base = get32(reg) & ~0x3U;
		return (cmd & MPT_PCI_COMMAND_IO) && *base &&
		       *base + bar->size <= 0x10000;
	default:
		return false;
	}
	/* Address 0 means unassigned; a wrapping range cannot be claimed. */
	return (cmd & MPT_PCI_COMMAND_MEMORY) && *base &&
	       *base + bar->size > *base;
}

static void release_bar(struct mpt_instance *inst, unsigned int i)
{
	if (!inst->cfg.claimed[i])
		return;
	mpt_bk_call(inst, release_trap_area, &inst->cfg.area[i]);
	inst->cfg.claimed[i] = false;
}

static void claim_bar(struct mpt_instance *inst, unsigned int i,
		      const struct mpt_bar_desc *bar, u64 base)
{
	struct mpt_trap_area *area = &inst->cfg.area[i];
	int ret;

	area->space = bar->type == MPT_BAR_IO ? MPT_SPACE_PIO : MPT_SPACE_MMIO;
	area->bar = i;
	area->start = base;
	area->len = bar->size;
	ret = mpt_bk_call(inst, claim_trap_area, area);
	if (ret) {
		mpt_stat_inc(&inst->stats.bar_claim_errors);
		mpt_warn("%s/%u: BAR%u at 0x%llx not decoded: backend error %d",
			 inst->vdev.type->name, inst->vdev.id, i,
			 (unsigned long long)base, ret);
		return;
	}
	inst->cfg.claimed[i] = true;
}

/* Make the claimed BARs match what the command register and BARs say. */
static void update_decode(struct mpt_instance *inst)
{
	const struct mpt_pci_desc *pci = inst->vdev.type->pci;
	unsigned int i;
	u64 base;

	mpt_assert_held(&inst->cfg.lock);
	for (i = 0; i < MPT_PCI_NR_BARS; i++) {
		bool want = bar_decodes(&inst->cfg, &pci->bars[i], i, &base);

		if (inst->cfg.claimed[i] &&
		    (!want || inst->cfg.area[i].start != base))
			release_bar(inst, i);
		if (want && !inst->cfg.claimed[i])
			claim_bar(inst, i, &pci->bars[i], base);
	}
}

void mpt_cfg_release_bars(struct mpt_instance *inst)
{
	unsigned int i;

	mpt_mutex_lock(&inst->cfg.lock);
	for (i = 0; i < MPT_PCI_NR_BARS; i++)
		release_bar(inst, i);
	mpt_mutex_unlock(&inst->cfg.lock);
}

void mpt_cfg_reset(struct mpt_instance *inst)
{
	unsigned int i;

	mpt_mutex_lock(&inst->cfg.lock);
	for (i = 0; i < MPT_PCI_NR_BARS; i++)
		release_bar(inst, i);
	mpt_spin_lock(&inst->irq.lock);
	memcpy(inst->cfg.data, inst->cfg.reset_data, sizeof(inst->cfg.data));
	mpt_spin_unlock(&inst->irq.lock);
	mpt_mutex_unlock(&inst->cfg.lock);
}

static bool overlaps(unsigned int off, unsigned int len, unsigned int start,
		     unsigned int size)
{
	return start && off < start + size && start < off + len;
}

static void apply_bytes(struct mpt_cfg_space *cfg, unsigned int off,
			const u8 *v, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		u8 *d = &cfg->data[off + i];
		u8 m = cfg->wmask[off + i], c = cfg->w1cmask[off + i];

		*d = (u8)((((*d & ~m) | (v[i] & m))) & ~(v[i] & c));
	}
}

/* The guest may not enable more MSI vectors than the device has. */
static void clamp_msi_enable(struct mpt_cfg_space *cfg)
{
	u8 *ctrl = cfg->data + cfg->msi_cap + 2;
	u16 v = get16(ctrl);
	u16 mmc = (v & MPT_PCI_MSI_FLAGS_QMASK) >> 1;

	if (((v & MPT_PCI_MSI_FLAGS_QSIZE) >> 4) > mmc)
		put16(ctrl, (u16)((v & ~MPT_PCI_MSI_FLAGS_QSIZE) | mmc << 4));
}

/* Apply a guest write; true if it touched MSI or MSI-X state. */
static bool cfg_write(struct mpt_instance *inst, unsigned int off,
		      const u8 *data, unsigned int len)
{
	struct mpt_cfg_space *cfg = &inst->cfg;
	bool irq = overlaps(off, len, cfg->msi_cap, MSI_CAP_LEN) ||
		   overlaps(off, len, cfg->msix_cap, MSIX_CAP_LEN);

	if (irq)
		mpt_spin_lock(&inst->irq.lock);
	apply_bytes(cfg, off, data, len);
	if (cfg->msi_cap)
		clamp_msi_enable(cfg);
	if (irq)
		mpt_spin_unlock(&inst->irq.lock);
	if (off < MPT_PCI_BAR0 + 4 * MPT_PCI_NR_BARS &&
	    off + len > MPT_PCI_COMMAND)
		update_decode(inst);
	return irq;
}

/* Bytes past the core's capabilities belong to the device model. */
static int device_specific(struct mpt_instance *inst, unsigned int off,
			   u8 *data, unsigned int len, bool is_write)
{
	const struct mpt_vdev_ops *ops = inst->vdev.type->ops;

	if (ops->cfg_access)
		return ops->cfg_access(&inst->vdev, off, data, len, is_write);
	if (!is_write)
		memset(data, 0, len);
	return 0;
}

int mpt_vdev_cfg_access(struct mpt_vdev *vdev, unsigned int offset,
			void *data, unsigned int len, bool is_write)
{
	struct mpt_instance *inst = to_inst(vdev);
	bool irq_changed = false;
	int ret = 0;

	/*
	 * Compare without adding: offset + len wraps for an offset near
	 * UINT_MAX (0xfffffffc + 4 == 0) and would pass as in range.
	 */
	if ((len != 1 && len != 2 && len != 4) || (offset & (len - 1)) ||
	    offset >= MPT_PCI_CFG_SIZE || len > MPT_PCI_CFG_SIZE - offset) {
		mpt_stat_inc(&inst->stats.bad_accesses);
		ret = -EINVAL;
		goto fail;
	}
	if (!inst_attached(inst)) {
		ret = -ENODEV;
		goto fail;
	}
	mpt_stat_inc(&inst->stats.cfg_accesses);
	/*
	 * The device model's bytes are its own business: its op runs without
	 * the config lock, so it may reset the device (an FLR register).
	 */
	if (offset >= inst->cfg.cap_end)
		return device_specific(inst, offset, data, len, is_write);
	mpt_mutex_lock(&inst->cfg.lock);
	if (!inst_attached(inst))
		ret = -ENODEV;
	else if (is_write)
		irq_changed = cfg_write(inst, offset, data, len);
	else
		memcpy(data, inst->cfg.data + offset, len);
	mpt_mutex_unlock(&inst->cfg.lock);
	/* Unmasking may deliver pending vectors: not under the lock. */
	if (irq_changed)
		mpt_irq_cfg_written(inst, offset, len);
	if (!ret)
		return 0;
fail:
	if (!is_write && len <= 4)
		memset(data, 0xff, len);
	return ret;
}
MPT_EXPORT(mpt_vdev_cfg_access);
