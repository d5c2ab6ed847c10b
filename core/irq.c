// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Interrupts: MSI and MSI-X as the guest programmed them.
 *
 * Raising a vector reads the virtual capability state, so nothing reaches
 * the guest while it disabled interrupts, and a masked vector only sets its
 * pending bit; unmasking delivers it.  MSI state lives in the configuration
 * bytes, MSI-X state in a table and pending-bit array that the guest reaches
 * through a BAR.  The spinlock covers both, because raising may happen where
 * sleeping is not allowed.  Injection itself happens after the lock is
 * dropped: the backend's op may take its own locks.
 */
#include "mpt_core.h"

/* Deliveries collected under the lock, injected after it. */
struct irq_batch {
	unsigned int nr;
	u64 addr[32];
	u32 data[32];
};

static u32 cfg32(struct mpt_instance *inst, unsigned int off)
{
	const u8 *p = inst->cfg.data + off;

	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u16 cfg16(struct mpt_instance *inst, unsigned int off)
{
	return (u16)cfg32(inst, off);
}

static void set_cfg_bit(struct mpt_instance *inst, unsigned int off,
			unsigned int bit, bool on)
{
	u8 *p = inst->cfg.data + off + bit / 8;

	if (on)
		*p |= (u8)(1U << (bit % 8));
	else
		*p &= (u8)~(1U << (bit % 8));
}

int mpt_irq_init(struct mpt_instance *inst, const struct mpt_pci_desc *pci)
{
	struct mpt_irq *irq = &inst->irq;
	unsigned int i;

	mpt_spin_init(&irq->lock);
	if (!pci->msix_vectors)
		return 0;
	irq->msix_nr = pci->msix_vectors;
	irq->msix_table = mpt_zalloc_array(irq->msix_nr,
					   sizeof(*irq->msix_table));
	irq->msix_pba = mpt_zalloc_array((irq->msix_nr + 63) / 64, sizeof(u64));
	if (!irq->msix_table || !irq->msix_pba)
		return -ENOMEM;
	for (i = 0; i < irq->msix_nr; i++)
		irq->msix_table[i].ctrl = MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT;
	return 0;
}

void mpt_irq_destroy(struct mpt_instance *inst)
{
	mpt_free(inst->irq.msix_table);
	mpt_free(inst->irq.msix_pba);
	mpt_spin_destroy(&inst->irq.lock);
}

void mpt_irq_reset(struct mpt_instance *inst)
{
	struct mpt_irq *irq = &inst->irq;
	unsigned int i;

	mpt_spin_lock(&irq->lock);
	for (i = 0; i < irq->msix_nr; i++) {
		irq->msix_table[i] = (struct mpt_msix_entry){
			.ctrl = MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT
		};
	}
	if (irq->msix_nr)
		memset(irq->msix_pba, 0, (irq->msix_nr + 63) / 64 * 8);
	mpt_spin_unlock(&irq->lock);
}

static bool msix_enabled(struct mpt_instance *inst)
{
	return inst->cfg.msix_cap &&
	       (cfg16(inst, inst->cfg.msix_cap + 2) & MPT_PCI_MSIX_FLAGS_ENABLE);
}

static bool msix_fn_masked(struct mpt_instance *inst)
{
	return cfg16(inst, inst->cfg.msix_cap + 2) & MPT_PCI_MSIX_FLAGS_MASKALL;
}

static bool msi_enabled(struct mpt_instance *inst)
{
	return inst->cfg.msi_cap &&
	       (cfg16(inst, inst->cfg.msi_cap + 2) & MPT_PCI_MSI_FLAGS_ENABLE);
}

static unsigned int msi_enabled_vectors(struct mpt_instance *inst)
{
	u16 ctrl = cfg16(inst, inst->cfg.msi_cap + 2);

	return 1U << ((ctrl & MPT_PCI_MSI_FLAGS_QSIZE) >> 4);
}

static void msi_message(struct mpt_instance *inst, unsigned int vector,
			u64 *addr, u32 *data)
{
	unsigned int cap = inst->cfg.msi_cap;
	unsigned int nvec = msi_enabled_vectors(inst);

	*addr = cfg32(inst, cap + 4) | (u64)cfg32(inst, cap + 8) << 32;
	*data = (cfg16(inst, cap + 12) & ~(nvec - 1)) | vector;
}

static bool pba_test(struct mpt_irq *irq, unsigned int v)
{
	return irq->msix_pba[v / 64] & (1ULL << (v % 64));
}

static void pba_set(struct mpt_irq *irq, unsigned int v, bool on)
{
	if (on)
		irq->msix_pba[v / 64] |= 1ULL << (v % 64);
	else
		irq->msix_pba[v / 64] &= ~(1ULL << (v % 64));
}

/*
 * Decide what raising @vector does.  Returns 1 (left pending) or 0 with
 * *@addr and *@data set (inject), or a negative errno.
 */
static int route_vector(struct mpt_instance *inst, unsigned int vector,
			u64 *addr, u32 *data)
{
	struct mpt_irq *irq = &inst->irq;
	unsigned int cap = inst->cfg.msi_cap;

	if (msix_enabled(inst)) {
		struct mpt_msix_entry *e;

		if (vector >= irq->msix_nr)
			return -EINVAL;
		e = &irq->msix_table[vector];
		if (msix_fn_masked(inst) ||
		    (e->ctrl & MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT)) {
			pba_set(irq, vector, true);
			return 1;
		}
		*addr = e->addr_lo | (u64)e->addr_hi << 32;
		*data = e->data;
		return 0;
	}
	if (msi_enabled(inst)) {
		if (vector >= msi_enabled_vectors(inst))
			return -EINVAL;
		if (cfg32(inst, cap + 16) & (1U << vector)) {
			set_cfg_bit(inst, cap + 20, vector, true);
			return 1;
		}
		msi_message(inst, vector, addr, data);
		return 0;
	}
	return -EAGAIN;
}

static int inject(struct mpt_instance *inst, u64 addr, u32 data)
{
	int ret = mpt_bk_call(inst, inject_msi, addr, data);

	if (mpt_unlikely(ret))
		mpt_stat_inc(&inst->stats.irq_errors);
	else
		mpt_stat_inc(&inst->stats.irqs_injected);
	return ret;
}

static int raise_locked_out(struct mpt_instance *inst, unsigned int vector)
{
	const struct mpt_pci_desc *pci = inst->vdev.type->pci;
	u64 addr = 0;
	u32 data = 0;
	int ret;

	if (vector >= pci->msi_vectors && vector >= pci->msix_vectors)
		return -EINVAL;
	mpt_spin_lock(&inst->irq.lock);
	ret = route_vector(inst, vector, &addr, &data);
	mpt_spin_unlock(&inst->irq.lock);
	if (ret == 1)
		mpt_stat_inc(&inst->stats.irqs_pending);
	else if (ret == -EAGAIN)
		mpt_stat_inc(&inst->stats.irqs_dropped);
	if (ret)
		return ret;
	return inject(inst, addr, data);
}

int mpt_vdev_raise_irq(struct mpt_vdev *vdev, unsigned int vector)
{
	struct mpt_instance *inst = to_inst(vdev);
	int ret;

	if (mpt_unlikely(!mpt_inst_enter(inst)))
		return -ENODEV;
	ret = raise_locked_out(inst, vector);
	mpt_inst_leave(inst);
	return ret;
}
MPT_EXPORT(mpt_vdev_raise_irq);

/* Collect pending vectors that are now deliverable, clearing their bits. */
static void collect_msi(struct mpt_instance *inst, struct irq_batch *b)
{
	unsigned int cap = inst->cfg.msi_cap, v;
	u32 pending = cfg32(inst, cap + 20), mask = cfg32(inst, cap + 16);

	if (!msi_enabled(inst))
		return;
	for (v = 0; v < msi_enabled_vectors(inst) && b->nr < 32; v++) {
		if (!(pending & ~mask & (1U << v)))
			continue;
		set_cfg_bit(inst, cap + 20, v, false);
		msi_message(inst, v, &b->addr[b->nr], &b->data[b->nr]);
		b->nr++;
	}
}

static void collect_msix(struct mpt_instance *inst, struct irq_batch *b)
{
	struct mpt_irq *irq = &inst->irq;
	unsigned int v;

	if (!msix_enabled(inst) || msix_fn_masked(inst))
		return;
	for (v = 0; v < irq->msix_nr && b->nr < 32; v++) {
		struct mpt_msix_entry *e = &irq->msix_table[v];

		if (!pba_test(irq, v) ||
		    (e->ctrl & MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT))
			continue;
		pba_set(irq, v, false);
		b->addr[b->nr] = e->addr_lo | (u64)e->addr_hi << 32;
		b->data[b->nr] = e->data;
		b->nr++;
	}
}

/* Inject every pending vector the guest has unmasked, in batches. */
static void deliver_unmasked(struct mpt_instance *inst)
{
	struct irq_batch b;
	unsigned int i;

	do {
		b.nr = 0;
		mpt_spin_lock(&inst->irq.lock);
		collect_msix(inst, &b);
		collect_msi(inst, &b);
		mpt_spin_unlock(&inst->irq.lock);
		for (i = 0; i < b.nr; i++)
			inject(inst, b.addr[i], b.data[i]);
	} while (b.nr == MPT_ARRAY_SIZE(b.addr));
}

void mpt_irq_cfg_written(struct mpt_instance *inst, unsigned int offset,
			 unsigned int len)
{
	(void)offset;
	(void)len;
	if (inst_state(inst) == MPT_VDEV_ACTIVE)
		deliver_unmasked(inst);
}

/* The MSI-X table in the BAR: dwords or qwords, naturally aligned. */
static int msix_table_access(struct mpt_vdev *vdev, u64 offset, void *data,
			     unsigned int len, bool is_write, void *opaque)
{
	struct mpt_instance *inst = to_inst(vdev);
	u64 base = (u64)(uintptr_t)opaque;
	unsigned int idx = (unsigned int)((offset - base) / 16);
	unsigned int word = (unsigned int)((offset - base) % 16) / 4;
	u32 *e = (u32 *)&inst->irq.msix_table[idx];
	bool unmasked = false;

	mpt_spin_lock(&inst->irq.lock);
	if (!is_write) {
		memcpy(data, &e[word], len);
	} else {
		u32 old_ctrl = inst->irq.msix_table[idx].ctrl;

		memcpy(&e[word], data, len);
		inst->irq.msix_table[idx].ctrl &=
			MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT;
		unmasked = (old_ctrl & ~inst->irq.msix_table[idx].ctrl) &
			   MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT;
	}
	mpt_spin_unlock(&inst->irq.lock);
	if (unmasked)
		deliver_unmasked(inst);
	return 0;
}

/* The pending-bit array: read-only to the guest. */
static int msix_pba_access(struct mpt_vdev *vdev, u64 offset, void *data,
			   unsigned int len, bool is_write, void *opaque)
{
	struct mpt_instance *inst = to_inst(vdev);
	u64 base = (u64)(uintptr_t)opaque;

	if (is_write)
		return 0;
	mpt_spin_lock(&inst->irq.lock);
	memcpy(data, (u8 *)inst->irq.msix_pba + (offset - base), len);
	mpt_spin_unlock(&inst->irq.lock);
	return 0;
}

#define MSIX_FLAGS                                                        \
	(MPT_TRAP_SIZE4 | MPT_TRAP_SIZE8 | MPT_TRAP_ALIGNED | MPT_TRAP_SPLIT)

/* Called at creation, before the device model registers its own traps. */
int mpt_irq_register_msix_traps(struct mpt_instance *inst)
{
	const struct mpt_pci_desc *pci = inst->vdev.type->pci;
	u64 tbl = pci->msix_table_offset, pba = pci->msix_pba_offset;
	int ret;

	if (!pci->msix_vectors)
		return 0;
	ret = mpt_trap_register(&inst->vdev, pci->msix_bar, tbl,
				(u64)pci->msix_vectors * 16, msix_table_access,
				(void *)(uintptr_t)tbl, MSIX_FLAGS);
	if (ret)
		return ret;
	return mpt_trap_register(&inst->vdev, pci->msix_bar, pba,
				 (pci->msix_vectors + 63) / 64 * 8,
				 msix_pba_access, (void *)(uintptr_t)pba,
				 MSIX_FLAGS);
}

/* MSI: the programmed address, and the data but for the vector bits. */
static int msi_vector_of(struct mpt_instance *inst, u64 addr, u32 data)
{
	unsigned int nvec = msi_enabled_vectors(inst);
	u64 base_addr;
	u32 base_data;

	msi_message(inst, 0, &base_addr, &base_data);
	if (addr != base_addr || (data & ~(nvec - 1)) != base_data)
		return -ENOENT;
	return (int)(data & (nvec - 1));
}

/* MSI-X: the first entry holding the message. */
static int msix_vector_of(struct mpt_instance *inst, u64 addr, u32 data)
{
	struct mpt_irq *irq = &inst->irq;
	unsigned int v;

	for (v = 0; v < irq->msix_nr; v++) {
		const struct mpt_msix_entry *e = &irq->msix_table[v];

		if (e->data == data &&
		    (e->addr_lo | (u64)e->addr_hi << 32) == addr)
			return (int)v;
	}
	return -ENOENT;
}

int mpt_vdev_msi_vector(struct mpt_vdev *vdev, u64 addr, u32 data)
{
	struct mpt_instance *inst = to_inst(vdev);
	int ret = -ENOENT;

	mpt_spin_lock(&inst->irq.lock);
	if (msix_enabled(inst))
		ret = msix_vector_of(inst, addr, data);
	else if (msi_enabled(inst))
		ret = msi_vector_of(inst, addr, data);
	mpt_spin_unlock(&inst->irq.lock);
	return ret;
}
MPT_EXPORT(mpt_vdev_msi_vector);
