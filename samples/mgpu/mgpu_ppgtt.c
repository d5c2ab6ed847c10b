// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The per-process GTT: a shadow of the guest's two-level page table.
 *
 * Writing CTX_PD binds a directory: its page and every page table it
 * references are write-tracked (mpt_page_track_add()) and shadowed, each
 * data page pinned (mgpu_spte.c).  The guest may then edit the tables in
 * place: each write to a tracked page reaches ppgtt_track_write(), which
 * merges the written bytes (whole entries or parts of them) into the
 * device's copy of the guest entries and updates the shadow entries they
 * cover: stale pins are dropped, new pages pinned, page tables no longer
 * referenced untracked, newly referenced ones tracked and shadowed.
 *
 * As GVT-g's shadow page hash, a page table referenced by several
 * directory entries is shadowed once, with a reference count.  The
 * directory page may serve as a page table too; each guest page is tracked
 * once whatever its roles.  The written value is always taken from the
 * write itself, never from guest memory, because whether memory holds it
 * already depends on the hypervisor.
 *
 * The device's own writes (STORE_DWORD, FILL, BLIT landing in a table
 * page) are not seen by write-tracking; mgpu_mem.c reports them through
 * mgpu_ppgtt_device_write() so that the shadow follows them as well.
 */
#include "mgpu_priv.h"

#define PDE_SHIFT 21
#define PT_INDEX(ga) (((ga) >> MPT_PAGE_SHIFT) & (MGPU_PT_ENTRIES - 1))

static void ppgtt_track_write(struct mpt_vdev *vdev, u64 gpa, const void *data,
			      unsigned int len, void *opaque);

static unsigned int spt_hash(u64 gfn)
{
	return (unsigned int)(gfn ^ (gfn >> 6)) & (MGPU_SPT_HASH - 1);
}

static struct mgpu_spt *spt_find(struct mgpu_ppgtt *p, u64 gfn)
{
	struct mgpu_spt *spt;

	for (spt = p->hash[spt_hash(gfn)]; spt; spt = spt->next)
		if (spt->gfn == gfn)
			return spt;
	return NULL;
}

static bool is_pd(const struct mgpu_ppgtt *p, u64 gfn)
{
	return p->bound && p->pd_gfn == gfn;
}

static int track(struct mgpu *mg, u64 gfn)
{
	int ret = mpt_page_track_add(&mg->vdev, gfn, ppgtt_track_write, mg);

	if (ret) {
		mpt_warn("mgpu%u: cannot track PPGTT page 0x%llx: %d",
			 mg->vdev.id, (unsigned long long)gfn, ret);
		mgpu_failsafe_enter(mg, MGPU_FAILSAFE_RESOURCE);
	}
	return ret;
}

static void untrack(struct mgpu *mg, u64 gfn)
{
	mpt_page_track_remove(&mg->vdev, gfn, ppgtt_track_write, mg);
}

static void spt_shadow_all(struct mgpu *mg, struct mgpu_spt *spt)
{
	unsigned int i;

	for (i = 0; i < MGPU_PT_ENTRIES; i++)
		if (spt->gentry[i] & MGPU_PTE_VALID)
			mgpu_spte_set(mg, &spt->shadow[i], spt->gentry[i]);
}

/* Track first, then read: a write racing with us waits for our lock. */
static struct mgpu_spt *spt_create(struct mgpu *mg, u64 gfn)
{
	struct mgpu_ppgtt *p = &mg->ppgtt;
	struct mgpu_spt *spt = mpt_zalloc(sizeof(*spt));
	unsigned int i, h;

	if (!spt) {
		mgpu_failsafe_enter(mg, MGPU_FAILSAFE_RESOURCE);
		return NULL;
	}
	if (!is_pd(p, gfn) && track(mg, gfn)) {
		mpt_free(spt);
		return NULL;
	}
	spt->gfn = gfn;
	for (i = 0; i < MGPU_PT_ENTRIES; i++)
		spt->shadow[i].gfn = MGPU_GFN_SCRATCH;
	if (mpt_gpa_read(&mg->vdev, MPT_GFN_TO_GPA(gfn), spt->gentry,
			 MPT_PAGE_SIZE))
		mpt_warn("mgpu%u: cannot read page table 0x%llx: unmapped",
			 mg->vdev.id, (unsigned long long)gfn);
	else
		spt_shadow_all(mg, spt);
	h = spt_hash(gfn);
	spt->next = p->hash[h];
	p->hash[h] = spt;
	p->nr_spt++;
	return spt;
}

static struct mgpu_spt *spt_get(struct mgpu *mg, u64 gfn)
{
	struct mgpu_spt *spt = spt_find(&mg->ppgtt, gfn);

	if (!spt)
		spt = spt_create(mg, gfn);
	if (spt)
		spt->refs++;
	return spt;
}

static void spt_unlink(struct mgpu_ppgtt *p, struct mgpu_spt *spt)
{
	struct mgpu_spt **pp = &p->hash[spt_hash(spt->gfn)];

	while (*pp != spt)
		pp = &(*pp)->next;
	*pp = spt->next;
	p->nr_spt--;
}

static void spt_put(struct mgpu *mg, struct mgpu_spt *spt)
{
	unsigned int i;

	if (--spt->refs)
		return;
	for (i = 0; i < MGPU_PT_ENTRIES; i++)
		mgpu_spte_clear(mg, &spt->shadow[i]);
	if (!is_pd(&mg->ppgtt, spt->gfn))
		untrack(mg, spt->gfn);
	spt_unlink(&mg->ppgtt, spt);
	mpt_free(spt);
}

/* Point directory entry @i at the table its guest entry names now. */
static void pde_apply(struct mgpu *mg, unsigned int i)
{
	struct mgpu_ppgtt *p = &mg->ppgtt;
	struct mgpu_spt *old = p->pt[i], *spt = NULL;
	u64 pde = p->pde[i];
	u64 gfn = MPT_GPA_TO_GFN(pde & MGPU_PTE_ADDR_MASK);

	if ((pde & MGPU_PTE_VALID) && !mg->failsafe &&
	    mpt_is_valid_gfn(&mg->vdev, gfn))
		spt = spt_get(mg, gfn);
	p->pt[i] = spt;
	if (old)
		spt_put(mg, old);
	if (old != spt)
		mpt_stat_inc(&mg->stats.shadow_updates);
}

/* Entry @i of a table after a write of @len bytes at byte @off of it. */
static u64 merged(u64 entry, unsigned int i, unsigned int off, const u8 *data,
		  unsigned int len)
{
	unsigned int start = off > i * 8 ? off : i * 8;
	unsigned int end = off + len < i * 8 + 8 ? off + len : i * 8 + 8;

	memcpy((u8 *)&entry + (start - i * 8), data + (start - off),
	       end - start);
	return entry;
}

static void pd_write(struct mgpu *mg, unsigned int off, const u8 *data,
		     unsigned int len)
{
	struct mgpu_ppgtt *p = &mg->ppgtt;
	unsigned int i;

	for (i = off / 8; i <= (off + len - 1) / 8; i++) {
		u64 pde = merged(p->pde[i], i, off, data, len);

		if (pde == p->pde[i])
			continue;
		p->pde[i] = pde;
		pde_apply(mg, i);
	}
}

static void pt_write(struct mgpu *mg, struct mgpu_spt *spt, unsigned int off,
		     const u8 *data, unsigned int len)
{
	unsigned int i;

	for (i = off / 8; i <= (off + len - 1) / 8; i++) {
		u64 pte = merged(spt->gentry[i], i, off, data, len);

		if (pte == spt->gentry[i])
			continue;
		spt->gentry[i] = pte;
		mgpu_spte_set(mg, &spt->shadow[i], pte);
	}
}

/*
 * A write inside one page.  The directory goes first: if it starts using
 * this very page as a table, the new table's shadow is read from memory
 * (which may not hold the write yet) and then gets the write as well.
 */
static void apply_write(struct mgpu *mg, u64 gpa, const u8 *data,
			unsigned int len)
{
	struct mgpu_ppgtt *p = &mg->ppgtt;
	u64 gfn = MPT_GPA_TO_GFN(gpa);
	unsigned int off = (unsigned int)(gpa & ~MPT_PAGE_MASK);
	struct mgpu_spt *spt;

	if (!len || off + len > MPT_PAGE_SIZE)
		return;
	if (is_pd(p, gfn))
		pd_write(mg, off, data, len);
	spt = spt_find(p, gfn);
	if (spt)
		pt_write(mg, spt, off, data, len);
}

static void ppgtt_track_write(struct mpt_vdev *vdev, u64 gpa, const void *data,
			      unsigned int len, void *opaque)
{
	struct mgpu *mg = opaque;

	(void)vdev;
	mpt_mutex_lock(&mg->lock);
	mgpu_failsafe_poll(mg);
	mpt_stat_inc(&mg->stats.page_track_faults);
	apply_write(mg, gpa, data, len);
	mpt_mutex_unlock(&mg->lock);
}

/**
 * mgpu_ppgtt_device_write() - let the shadow follow a write of the device
 * @mg: the instance, lock held
 * @gpa: where the device wrote
 * @data: what it wrote
 * @len: bytes
 */
void mgpu_ppgtt_device_write(struct mgpu *mg, u64 gpa, const u8 *data,
			     u64 len)
{
	struct mgpu_ppgtt *p = &mg->ppgtt;

	while (p->bound && len) {
		u64 n = MPT_PAGE_SIZE - (gpa & ~MPT_PAGE_MASK);
		u64 gfn = MPT_GPA_TO_GFN(gpa);

		n = n < len ? n : len;
		if (is_pd(p, gfn) || spt_find(p, gfn))
			apply_write(mg, gpa, data, (unsigned int)n);
		gpa += n;
		data += n;
		len -= n;
	}
}

/**
 * mgpu_ppgtt_unbind() - drop the shadow: unpin, untrack, free
 * @mg: the instance, lock held
 */
void mgpu_ppgtt_unbind(struct mgpu *mg)
{
	struct mgpu_ppgtt *p = &mg->ppgtt;
	unsigned int i;

	for (i = 0; i < MGPU_PT_ENTRIES; i++) {
		struct mgpu_spt *spt = p->pt[i];

		p->pt[i] = NULL;
		if (spt)
			spt_put(mg, spt);
	}
	if (p->bound)
		untrack(mg, p->pd_gfn);
	p->bound = false;
	memset(p->pde, 0, sizeof(p->pde));
}

/**
 * mgpu_ppgtt_bind() - shadow the directory CTX_PD names (rebuilding)
 * @mg: the instance, lock held
 *
 * A directory that is not guest RAM, or cannot be tracked, leaves the
 * PPGTT empty: every address through it is unmapped.
 */
void mgpu_ppgtt_bind(struct mgpu *mg)
{
	struct mgpu_ppgtt *p = &mg->ppgtt;
	u64 pd = MGPU_REG(mg, MGPU_REG_CTX_PD);
	u64 gfn = MPT_GPA_TO_GFN(pd);
	unsigned int i;

	mgpu_ppgtt_unbind(mg);
	if (!pd || !mg->live || !mpt_is_valid_gfn(&mg->vdev, gfn))
		return;
	if (track(mg, gfn))
		return;
	p->pd_gfn = gfn;
	p->bound = true;
	if (mpt_gpa_read(&mg->vdev, pd, p->pde, MPT_PAGE_SIZE)) {
		mpt_warn("mgpu%u: cannot read page directory 0x%llx",
			 mg->vdev.id, (unsigned long long)pd);
		memset(p->pde, 0, sizeof(p->pde));
	}
	for (i = 0; i < MGPU_PT_ENTRIES; i++)
		if (p->pde[i] & MGPU_PTE_VALID)
			pde_apply(mg, i);
}

/**
 * mgpu_ppgtt_forget() - stop using pins the guest revoked
 * @mg: the instance, lock held
 * @gfn: first page of the range
 * @nr: pages in the range
 */
void mgpu_ppgtt_forget(struct mgpu *mg, u64 gfn, u64 nr)
{
	struct mgpu_spt *spt;
	unsigned int h, i;

	for (h = 0; h < MGPU_SPT_HASH; h++)
		for (spt = mg->ppgtt.hash[h]; spt; spt = spt->next)
			for (i = 0; i < MGPU_PT_ENTRIES; i++)
				mgpu_spte_forget(&spt->shadow[i], gfn, nr);
}

static const struct mgpu_spte *ppgtt_spte(struct mgpu *mg, u64 ga)
{
	struct mgpu_spt *spt;

	if (ga >= MGPU_PPGTT_SPAN || !mg->ppgtt.bound)
		return NULL;
	spt = mg->ppgtt.pt[ga >> PDE_SHIFT];
	return spt ? &spt->shadow[PT_INDEX(ga)] : NULL;
}

/**
 * mgpu_ppgtt_lookup() - translate a graphics address through the PPGTT
 * @mg: the instance, lock held
 * @ga: the graphics address
 * @gfn: set to the guest page when mapped
 *
 * Return: true when valid entries map @ga, false for scratch.
 */
bool mgpu_ppgtt_lookup(struct mgpu *mg, u64 ga, u64 *gfn)
{
	const struct mgpu_spte *e = ppgtt_spte(mg, ga);

	if (!e || e->gfn == MGPU_GFN_SCRATCH)
		return false;
	*gfn = e->gfn;
	return true;
}

bool mgpu_debug_ppgtt_shadow(struct mpt_vdev *vdev, u64 ga, u64 *gfn,
			     u64 *dma)
{
	struct mgpu *mg = to_mgpu(vdev);
	const struct mgpu_spte *e;
	bool mapped = false;

	mpt_mutex_lock(&mg->lock);
	e = ppgtt_spte(mg, ga);
	if (e && e->gfn != MGPU_GFN_SCRATCH) {
		*gfn = e->gfn;
		*dma = e->dma;
		mapped = true;
	}
	mpt_mutex_unlock(&mg->lock);
	return mapped;
}
MPT_EXPORT(mgpu_debug_ppgtt_shadow);
