// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The global GTT: MGPU_GGTT_ENTRIES 64-bit entries at BAR0 +
 * MGPU_GGTT_OFFSET, mapping graphics addresses [0, MGPU_GGTT_SPAN).
 *
 * As GVT-g keeps a virtual GGTT and a shadow one, the guest reads back the
 * entries it wrote while the device uses their shadows (mgpu_spte.c).  An
 * entry may be written in one 8-byte access or as two 4-byte halves; the
 * shadow is recomputed on every write, so between the halves it follows
 * the mixed value, which can only map a guest page or scratch.
 */
#include "mgpu_priv.h"

#define GGTT_BYTES (MGPU_GGTT_ENTRIES * 8ULL)

static void ggtt_set(struct mgpu *mg, u32 idx, u64 entry)
{
	mg->ggtt.gentry[idx] = entry;
	if (mg->live)
		mgpu_spte_set(mg, &mg->ggtt.shadow[idx], entry);
}

static int ggtt_access(struct mpt_vdev *vdev, u64 offset, void *data,
		       unsigned int len, bool is_write, void *opaque)
{
	struct mgpu *mg = to_mgpu(vdev);
	u64 rel = offset - MGPU_GGTT_OFFSET;
	u32 idx = (u32)(rel >> 3);
	unsigned int sub = rel & 7;
	u64 entry;

	(void)opaque;
	if (rel >= GGTT_BYTES || sub + len > 8)
		return -EINVAL;
	mpt_mutex_lock(&mg->lock);
	mgpu_failsafe_poll(mg);
	entry = mg->ggtt.gentry[idx];
	if (!is_write) {
		memcpy(data, (u8 *)&entry + sub, len);
	} else if (!mg->failsafe) {
		memcpy((u8 *)&entry + sub, data, len);
		ggtt_set(mg, idx, entry);
	}
	mpt_mutex_unlock(&mg->lock);
	return 0;
}

/**
 * mgpu_ggtt_init() - allocate the GGTT and trap its range
 * @mg: a new instance
 *
 * Return: 0, -ENOMEM, or the trap registration's error.
 */
int mgpu_ggtt_init(struct mgpu *mg)
{
	u32 i;

	mg->ggtt.gentry = mpt_zalloc_array(MGPU_GGTT_ENTRIES, sizeof(u64));
	mg->ggtt.shadow = mpt_zalloc_array(MGPU_GGTT_ENTRIES,
					   sizeof(struct mgpu_spte));
	if (!mg->ggtt.gentry || !mg->ggtt.shadow)
		return -ENOMEM;
	for (i = 0; i < MGPU_GGTT_ENTRIES; i++)
		mg->ggtt.shadow[i].gfn = MGPU_GFN_SCRATCH;
	return mpt_trap_register(&mg->vdev, 0, MGPU_GGTT_OFFSET, GGTT_BYTES,
				 ggtt_access, NULL,
				 MPT_TRAP_SIZE4 | MPT_TRAP_SIZE8 |
					 MPT_TRAP_ALIGNED);
}

/**
 * mgpu_ggtt_free() - free the GGTT (nothing may be pinned any more)
 * @mg: the instance
 */
void mgpu_ggtt_free(struct mgpu *mg)
{
	mpt_free(mg->ggtt.gentry);
	mpt_free(mg->ggtt.shadow);
	mg->ggtt.gentry = NULL;
	mg->ggtt.shadow = NULL;
}

/**
 * mgpu_ggtt_pin_all() - shadow every guest entry (activation)
 * @mg: the instance, lock held
 */
void mgpu_ggtt_pin_all(struct mgpu *mg)
{
	u32 i;

	for (i = 0; i < MGPU_GGTT_ENTRIES; i++)
		if (mg->ggtt.gentry[i] & MGPU_PTE_VALID)
			mgpu_spte_set(mg, &mg->ggtt.shadow[i],
				      mg->ggtt.gentry[i]);
}

/**
 * mgpu_ggtt_unpin_all() - give every pinned page back, keeping the entries
 * @mg: the instance, lock held
 */
void mgpu_ggtt_unpin_all(struct mgpu *mg)
{
	u32 i;

	for (i = 0; i < MGPU_GGTT_ENTRIES; i++)
		mgpu_spte_clear(mg, &mg->ggtt.shadow[i]);
}

/**
 * mgpu_ggtt_reset() - power-on state: every entry invalid
 * @mg: the instance, lock held
 */
void mgpu_ggtt_reset(struct mgpu *mg)
{
	mgpu_ggtt_unpin_all(mg);
	memset(mg->ggtt.gentry, 0, GGTT_BYTES);
}

/**
 * mgpu_ggtt_forget() - stop using pins the guest revoked
 * @mg: the instance, lock held
 * @gfn: first page of the range
 * @nr: pages in the range
 */
void mgpu_ggtt_forget(struct mgpu *mg, u64 gfn, u64 nr)
{
	u32 i;

	for (i = 0; i < MGPU_GGTT_ENTRIES; i++)
		mgpu_spte_forget(&mg->ggtt.shadow[i], gfn, nr);
}

/**
 * mgpu_ggtt_lookup() - translate a graphics address through the GGTT
 * @mg: the instance, lock held
 * @ga: the graphics address
 * @gfn: set to the guest page when mapped
 *
 * Return: true when a valid entry maps @ga, false for scratch.
 */
bool mgpu_ggtt_lookup(struct mgpu *mg, u64 ga, u64 *gfn)
{
	u64 idx = ga >> MPT_PAGE_SHIFT;

	if (idx >= MGPU_GGTT_ENTRIES)
		return false;
	*gfn = mg->ggtt.shadow[idx].gfn;
	return *gfn != MGPU_GFN_SCRATCH;
}

bool mgpu_debug_ggtt_shadow(struct mpt_vdev *vdev, u32 index, u64 *gfn,
			    u64 *dma)
{
	struct mgpu *mg = to_mgpu(vdev);
	bool mapped = false;

	mpt_mutex_lock(&mg->lock);
	if (index < MGPU_GGTT_ENTRIES) {
		*gfn = mg->ggtt.shadow[index].gfn;
		*dma = mg->ggtt.shadow[index].dma;
		mapped = *gfn != MGPU_GFN_SCRATCH;
	}
	mpt_mutex_unlock(&mg->lock);
	return mapped;
}
MPT_EXPORT(mgpu_debug_ggtt_shadow);
