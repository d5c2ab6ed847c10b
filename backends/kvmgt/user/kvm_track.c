// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Write-tracking in the KVM backend, and the guest writes it traps.
 *
 * Each instance keeps the set of gfns it tracks; a page is in a read-only
 * memslot while at least one attached instance tracks it (kvm_slots.c
 * splits and merges the slots).  A guest write to such a page exits as
 * KVM_EXIT_MMIO; mpt_kvm_handle_mmio() brings it here, where it is handed
 * to every tracking instance's mpt_page_track_write() first and then
 * applied to guest memory through the VMM's mapping.
 *
 * What a "write" is: KVM emulates the faulting instruction and exits once
 * per access fragment, at most 8 bytes and never crossing a page (a 16-byte
 * SSE store is two exits, each iteration of a rep movsb one).  Each exit
 * is delivered as it comes, so a handler sees the guest's stores as the
 * CPU made them, before the guest executes its next instruction.  This is
 * what KVM's in-kernel page-track notifier does too.
 */
#include "kvm_priv.h"

static bool tracked_by_other(struct mpt_kvm_vm *vm, struct kvm_handle *h,
			     u64 gfn)
{
	unsigned int i;

	for (i = 0; i < KVM_MAX_HANDLES; i++)
		if (vm->handles[i] && vm->handles[i] != h &&
		    kvm_gfnmap_get(&vm->handles[i]->tracks, gfn))
			return true;
	return false;
}

/*
 * enable_page_track: the kernel's KVM uses kvm_write_track_add_gfn(); a
 * userspace VMM can only move the page into a read-only memslot.
 */
int mpt_kvm_enable_page_track(void *handle, u64 gfn)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;
	int ret;

	if (gfn >= KVM_GFN_LIMIT ||
	    !kvm_all_ram(vm, MPT_GFN_TO_GPA(gfn), MPT_PAGE_SIZE))
		return -EFAULT;
	mpt_mutex_lock(&vm->lock);
	if (kvm_gfnmap_get(&h->tracks, gfn)) {
		kvm_violation(vm, "enable_page_track twice for one instance");
		ret = 0;
		goto out;
	}
	ret = kvm_gfnmap_set(&h->tracks, gfn, 1);
	if (ret)
		goto out;
	ret = kvm_slots_set_ro(vm, gfn, true);
	if (ret)
		kvm_gfnmap_set(&h->tracks, gfn, 0);
out:
	mpt_mutex_unlock(&vm->lock);
	return ret;
}

int mpt_kvm_disable_page_track(void *handle, u64 gfn)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;
	int ret = 0;

	mpt_mutex_lock(&vm->lock);
	if (!kvm_gfnmap_get(&h->tracks, gfn)) {
		kvm_violation(vm, "disable_page_track without enable");
		goto out;
	}
	kvm_gfnmap_set(&h->tracks, gfn, 0);
	if (!tracked_by_other(vm, h, gfn))
		ret = kvm_slots_set_ro(vm, gfn, false);
	/*
	 * If KVM refused to merge the slots back, the page stays read-only:
	 * writes still exit and are applied, with nobody to deliver them to.
	 */
out:
	mpt_mutex_unlock(&vm->lock);
	return ret;
}

static void untrack_one(void *arg, u64 gfn, u32 val)
{
	struct kvm_handle *h = arg;

	(void)val;
	if (!tracked_by_other(h->vm, h, gfn))
		kvm_slots_set_ro(h->vm, gfn, false);
}

void kvm_track_drop_all(struct kvm_handle *h)
{
	mpt_assert_held(&h->vm->lock);
	kvm_gfnmap_for_each(&h->tracks, untrack_one, h);
	kvm_gfnmap_free(&h->tracks);
}

/* Instances tracking @gfn, each with a reference taken.  Lock held. */
static unsigned int trackers(struct mpt_kvm_vm *vm, u64 gfn,
			     struct mpt_vdev **out)
{
	unsigned int i, n = 0;

	for (i = 0; i < KVM_MAX_HANDLES; i++) {
		struct kvm_handle *h = vm->handles[i];

		if (h && kvm_gfnmap_get(&h->tracks, gfn)) {
			mpt_vdev_get(h->vdev);
			out[n++] = h->vdev;
		}
	}
	return n;
}

/* One page's part of a write: deliver it if someone tracks the page. */
static void deliver(struct mpt_kvm_vm *vm, u64 gpa, const u8 *data,
		    unsigned int len)
{
	struct mpt_vdev *vdevs[KVM_MAX_HANDLES];
	unsigned int n, i;
	bool ro;

	mpt_mutex_lock(&vm->lock);
	n = trackers(vm, MPT_GPA_TO_GFN(gpa), vdevs);
	ro = kvm_slots_is_ro(vm, MPT_GPA_TO_GFN(gpa));
	mpt_mutex_unlock(&vm->lock);
	/* A read-only page nobody tracks: tracking just stopped. */
	if (n || ro)
		mpt_stat_inc(&vm->stats.tracked_writes);
	else
		mpt_stat_inc(&vm->stats.ram_exits);
	for (i = 0; i < n; i++) {
		mpt_page_track_write(vdevs[i], gpa, data, len);
		mpt_vdev_put(vdevs[i]);
	}
}

void kvm_track_ram_write(struct mpt_kvm_vm *vm, u64 gpa, const u8 *data,
			 unsigned int len)
{
	u64 at = gpa;
	const u8 *p = data;
	unsigned int left = len;

	while (left) {
		unsigned int n = (unsigned int)MPT_MIN(
			(u64)left, MPT_PAGE_SIZE - (at & ~MPT_PAGE_MASK));

		deliver(vm, at, p, n);
		at += n;
		p += n;
		left -= n;
	}
	kvm_copy_ram(vm, gpa, (u8 *)data, len, true);
}
