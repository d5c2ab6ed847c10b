// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Memslots of guest RAM, and how write-tracking splits them.
 *
 * A userspace VMM has one way to make guest writes to a page trap while
 * reads stay at memory speed: put the page in a KVM_MEM_READONLY memslot.
 * Writes then exit as KVM_EXIT_MMIO with the data.  The backend keeps the
 * RAM of each region tiled by memslots ("segments"): read-write runs of
 * untracked pages and read-only runs of tracked ones, adjacent tracked
 * pages sharing one slot.  Tracking page P of a read-write run [A, B):
 *
 *	before:  RW [A, B)
 *	after:   RW [A, P)  RO [P, P + 1)  RW [P + 1, B)
 *
 * and when P - 1 or P + 1 is already tracked, P joins that read-only run
 * (RO [L, P) + P + RO [P + 1, R) become RO [L, R)).  Untracking is the
 * mirror image: the page leaves its read-only run and merges with the
 * read-write runs beside it.  So a change deletes at most three slots and
 * creates at most three, and n tracked pages cost at most 2n + 1 slots per
 * region.  Segments never span two regions.
 *
 * KVM cannot shrink a slot or toggle KVM_MEM_READONLY on one: the old slots
 * are deleted (size 0) before the new ones are created.  In between, the
 * pages are in no memslot, so the change is made while the VMM's vCPUs are
 * paused (struct mpt_kvm_vcpu_ops: none inside KVM_RUN), as QEMU does with
 * its accel-blocker.  A VMM that gave no vCPU ops gets a defence only:
 * data accesses in the window exit as MMIO and the exit handler serves
 * them from the VMM's mapping (kvm_exit.c, kvm_track.c), and the
 * generation counter lets it retry an instruction fetch that failed there
 * (mpt_kvm_slots_changed()); page-table walks and interrupt delivery in
 * the window still fault.
 *
 * Segments live in a treap keyed by gfn (expected O(log n) per change), so
 * tracking many scattered pages stays cheap on the backend's side; KVM's
 * own cost per KVM_SET_USER_MEMORY_REGION dominates.
 */
#include <linux/kvm.h>
#include <sys/ioctl.h>

#include "kvm_priv.h"

/* ---- The treap ------------------------------------------------------- */

static u32 next_prio(struct mpt_kvm_vm *vm)
{
	u32 x = vm->prng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	vm->prng = x;
	return x;
}

/* Split @t into segments below @gfn (*@lo) and from @gfn on (*@hi). */
static void split(struct kvm_seg *t, u64 gfn, struct kvm_seg **lo,
		  struct kvm_seg **hi)
{
	if (!t) {
		*lo = NULL;
		*hi = NULL;
	} else if (t->gfn < gfn) {
		split(t->right, gfn, &t->right, hi);
		*lo = t;
	} else {
		split(t->left, gfn, lo, &t->left);
		*hi = t;
	}
}

/* Join two treaps; every key of @a is below every key of @b. */
static struct kvm_seg *merge(struct kvm_seg *a, struct kvm_seg *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio > b->prio) {
		a->right = merge(a->right, b);
		return a;
	}
	b->left = merge(a, b->left);
	return b;
}

static void seg_insert(struct mpt_kvm_vm *vm, struct kvm_seg *s)
{
	struct kvm_seg *lo, *hi;

	s->left = NULL;
	s->right = NULL;
	s->prio = next_prio(vm);
	split(vm->segs, s->gfn, &lo, &hi);
	vm->segs = merge(merge(lo, s), hi);
}

static void seg_remove(struct mpt_kvm_vm *vm, struct kvm_seg *s)
{
	struct kvm_seg *lo, *mid, *hi;

	split(vm->segs, s->gfn, &lo, &mid);
	split(mid, s->gfn + 1, &mid, &hi);
	mpt_warn_on(mid != s);
	vm->segs = merge(lo, hi);
}

/* The segment holding @gfn, or NULL. */
static struct kvm_seg *seg_find(struct mpt_kvm_vm *vm, u64 gfn)
{
	struct kvm_seg *t = vm->segs, *best = NULL;

	while (t) {
		if (t->gfn <= gfn) {
			best = t;
			t = t->right;
		} else {
			t = t->left;
		}
	}
	return best && gfn - best->gfn < best->npages ? best : NULL;
}

static unsigned int seg_count(const struct kvm_seg *t)
{
	return t ? 1 + seg_count(t->left) + seg_count(t->right) : 0;
}

/* ---- Memslot ids ----------------------------------------------------- */

int kvm_slot_id_get(struct mpt_kvm_vm *vm)
{
	if (vm->nr_free_ids)
		return (int)vm->free_ids[--vm->nr_free_ids];
	if (vm->next_id < vm->slot_limit)
		return (int)vm->next_id++;
	return -ENOSPC;
}

void kvm_slot_id_put(struct mpt_kvm_vm *vm, u32 id)
{
	unsigned int cap = vm->cap_free_ids ? vm->cap_free_ids * 2 : 64;
	u32 *v;

	if (vm->nr_free_ids == vm->cap_free_ids) {
		v = mpt_zalloc_array(cap, sizeof(*v));
		if (!v) {
			/* Leaked: one memslot id fewer until destroy. */
			mpt_err("kvm: no memory to recycle memslot %u", id);
			return;
		}
		if (vm->nr_free_ids)
			memcpy(v, vm->free_ids,
			       vm->nr_free_ids * sizeof(*v));
		mpt_free(vm->free_ids);
		vm->free_ids = v;
		vm->cap_free_ids = cap;
	}
	vm->free_ids[vm->nr_free_ids++] = id;
}

unsigned int kvm_slot_ids_free(struct mpt_kvm_vm *vm)
{
	return vm->nr_free_ids +
	       (vm->next_id < vm->slot_limit ? vm->slot_limit - vm->next_id :
					       0);
}

int kvm_slot_set(struct mpt_kvm_vm *vm, u32 slot, u64 gfn, u64 npages,
		 void *hva, bool ro)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = ro ? KVM_MEM_READONLY : 0,
		.guest_phys_addr = MPT_GFN_TO_GPA(gfn),
		.memory_size = npages << MPT_PAGE_SHIFT,
		.userspace_addr = npages ? (u64)(uintptr_t)hva : 0,
	};

	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return -errno;
	return 0;
}

void kvm_slot_gen_bump(struct mpt_kvm_vm *vm)
{
	__atomic_add_fetch(&vm->slot_gen, 1, __ATOMIC_SEQ_CST);
}

/*
 * Keep the VMM's vCPUs out of KVM_RUN while guest RAM may be in no memslot.
 * Lock held: pairs never overlap, and the ops cannot change meanwhile.
 */
static void vcpus_pause(struct mpt_kvm_vm *vm)
{
	mpt_assert_held(&vm->lock);
	if (!vm->vcpu_ops)
		return;
	vm->vcpu_ops->pause(vm->vcpu_arg);
	mpt_stat_inc(&vm->stats.vcpu_pauses);
}

static void vcpus_resume(struct mpt_kvm_vm *vm)
{
	if (vm->vcpu_ops)
		vm->vcpu_ops->resume(vm->vcpu_arg);
}

static u8 *seg_hva(struct mpt_kvm_vm *vm, unsigned int region, u64 gfn)
{
	const struct kvm_region *r = &vm->regions[region];

	return r->hva + (MPT_GFN_TO_GPA(gfn) - r->gpa);
}

/* ---- Creation and teardown -------------------------------------------- */

int kvm_slots_init(struct mpt_kvm_vm *vm)
{
	unsigned int i;
	int ret;

	vm->prng = 0x2545f491;
	for (i = 0; i < vm->nr_regions; i++) {
		const struct kvm_region *r = &vm->regions[i];
		struct kvm_seg *s = mpt_zalloc(sizeof(*s));
		int id = kvm_slot_id_get(vm);

		if (!s || id < 0) {
			mpt_free(s);
			return id < 0 ? id : -ENOMEM;
		}
		s->gfn = MPT_GPA_TO_GFN(r->gpa);
		s->npages = r->size >> MPT_PAGE_SHIFT;
		s->slot = (u32)id;
		s->region = i;
		ret = kvm_slot_set(vm, s->slot, s->gfn, s->npages, r->hva,
				   false);
		if (ret) {
			mpt_err("kvm: memslot %d for RAM at %#llx: %d", id,
				(unsigned long long)r->gpa, ret);
			kvm_slot_id_put(vm, s->slot);
			mpt_free(s);
			return ret;
		}
		seg_insert(vm, s);
	}
	return 0;
}

static void free_segs(struct mpt_kvm_vm *vm, struct kvm_seg *t)
{
	if (!t)
		return;
	free_segs(vm, t->left);
	free_segs(vm, t->right);
	kvm_slot_set(vm, t->slot, t->gfn, 0, NULL, false);
	mpt_free(t);
}

void kvm_slots_fini(struct mpt_kvm_vm *vm)
{
	free_segs(vm, vm->segs);
	vm->segs = NULL;
	mpt_free(vm->free_ids);
	vm->free_ids = NULL;
}

unsigned int kvm_slots_count(struct mpt_kvm_vm *vm)
{
	return seg_count(vm->segs);
}

bool kvm_slots_is_ro(struct mpt_kvm_vm *vm, u64 gfn)
{
	struct kvm_seg *s = seg_find(vm, gfn);

	return s && s->ro;
}

/* ---- Splitting and merging --------------------------------------------- */

/* A run of pages a change creates. */
struct piece {
	u64 gfn;
	u64 npages;
	bool ro;
	struct kvm_seg *seg;
};

/*
 * Replace the segments @old by @pieces, all in region @region: delete the
 * old memslots, create the new ones, then update the treap, with the vCPUs
 * paused from the first deletion to the last creation.  On a KVM error the
 * old slots are put back and nothing changes.
 */
static int replace(struct mpt_kvm_vm *vm, struct kvm_seg **old,
		   unsigned int nold, struct piece *p, unsigned int np,
		   unsigned int region)
{
	unsigned int i, made, gone;
	int ret = 0, id;

	if (kvm_slot_ids_free(vm) + nold < np)
		return -ENOSPC;
	for (i = 0; i < np; i++) {
		p[i].seg = mpt_zalloc(sizeof(*p[i].seg));
		if (!p[i].seg)
			ret = -ENOMEM;
	}
	if (ret)
		goto err_free;
	vcpus_pause(vm);
	kvm_slot_gen_bump(vm);
	for (gone = 0; gone < nold; gone++) {
		ret = kvm_slot_set(vm, old[gone]->slot, old[gone]->gfn, 0,
				   NULL, false);
		mpt_stat_inc(&vm->stats.memslot_updates);
		if (ret)
			goto err_restore;
	}
	for (i = 0; i < nold; i++)
		kvm_slot_id_put(vm, old[i]->slot);
	for (made = 0; made < np; made++) {
		struct kvm_seg *s = p[made].seg;

		id = kvm_slot_id_get(vm);
		if (id < 0) {
			ret = id;
			break;
		}
		s->gfn = p[made].gfn;
		s->npages = p[made].npages;
		s->ro = p[made].ro;
		s->slot = (u32)id;
		s->region = region;
		ret = kvm_slot_set(vm, s->slot, s->gfn, s->npages,
				   seg_hva(vm, region, s->gfn), s->ro);
		mpt_stat_inc(&vm->stats.memslot_updates);
		if (ret) {
			kvm_slot_id_put(vm, s->slot);
			break;
		}
	}
	if (ret)
		goto err_undo;
	for (i = 0; i < nold; i++) {
		seg_remove(vm, old[i]);
		mpt_free(old[i]);
	}
	for (i = 0; i < np; i++)
		seg_insert(vm, p[i].seg);
	kvm_slot_gen_bump(vm);
	vcpus_resume(vm);
	return 0;

err_undo:
	while (made--) {
		kvm_slot_set(vm, p[made].seg->slot, p[made].gfn, 0, NULL,
			     false);
		kvm_slot_id_put(vm, p[made].seg->slot);
	}
	/* The old ids went back to the pool: take ids for the old runs. */
	for (i = 0; i < nold; i++) {
		id = kvm_slot_id_get(vm);
		if (id >= 0)
			old[i]->slot = (u32)id;
	}
	gone = nold;
err_restore:
	while (gone--) {
		int r = kvm_slot_set(vm, old[gone]->slot, old[gone]->gfn,
				     old[gone]->npages,
				     seg_hva(vm, region, old[gone]->gfn),
				     old[gone]->ro);
		/*
		 * Without its slot the run is still served, from the exit
		 * handler, but slowly and without instruction fetches.  The
		 * vCPUs cannot wait for that to change: they resume.
		 */
		if (r)
			mpt_err("kvm: could not restore memslot %u at gfn %#llx: %d",
				old[gone]->slot,
				(unsigned long long)old[gone]->gfn, r);
	}
	kvm_slot_gen_bump(vm);
	vcpus_resume(vm);
err_free:
	for (i = 0; i < np; i++)
		mpt_free(p[i].seg);
	mpt_err("kvm: memslot change at gfn %#llx failed: %d",
		(unsigned long long)old[0]->gfn, ret);
	return ret;
}

int kvm_slots_set_ro(struct mpt_kvm_vm *vm, u64 gfn, bool ro)
{
	struct kvm_seg *s = seg_find(vm, gfn), *n, *old[3];
	const struct kvm_region *r;
	struct piece p[3];
	unsigned int nold = 0, np = 0;
	u64 first, end, lo = gfn, hi = gfn + 1;

	mpt_assert_held(&vm->lock);
	if (!s)
		return -EFAULT;
	if (s->ro == ro)
		return 0;
	r = &vm->regions[s->region];
	first = MPT_GPA_TO_GFN(r->gpa);
	end = MPT_GPA_TO_GFN(r->gpa + r->size);
	old[nold++] = s;
	/* The page joins a neighbouring run of its new kind. */
	if (gfn == s->gfn && gfn > first) {
		n = seg_find(vm, gfn - 1);
		if (n && n->ro == ro) {
			old[nold++] = n;
			lo = n->gfn;
		}
	}
	if (gfn + 1 == s->gfn + s->npages && gfn + 1 < end) {
		n = seg_find(vm, gfn + 1);
		if (n && n->ro == ro) {
			old[nold++] = n;
			hi = n->gfn + n->npages;
		}
	}
	if (s->gfn < gfn)
		p[np++] = (struct piece){ s->gfn, gfn - s->gfn, s->ro, NULL };
	p[np++] = (struct piece){ lo, hi - lo, ro, NULL };
	if (gfn + 1 < s->gfn + s->npages)
		p[np++] = (struct piece){ gfn + 1, s->gfn + s->npages - gfn - 1,
					  s->ro, NULL };
	return replace(vm, old, nold, p, np, s->region);
}
