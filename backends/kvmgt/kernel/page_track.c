// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest page write-tracking and memslot queries of backend "kvmgt", on
 * KVM's page-track API (6.1, x86, CONFIG_KVM_EXTERNAL_WRITE_TRACKING).
 *
 * Each attached instance with a VM has its own notifier on the VM,
 * registered at attach and unregistered at detach, and the set of gfns it
 * write-protected (an xarray).  KVM calls every notifier of the VM for
 * each write it emulated; ours passes it to mpt_page_track_write() when
 * the page is one of the instance's, by a direct call.  When a memslot
 * goes away or moves, KVM flushes it: the instance forgets its gfns there
 * (KVM drops the slot's tracking anyway) and the core's later disable of
 * them finds nothing to do.
 *
 * Locking.  Adding and removing a gfn take kvm->srcu (read) to look up
 * the memslot and kvm->mmu_lock (write) around KVM's page-track update
 * and the change of the gfn set, so a concurrent flush and removal of the
 * same gfn cannot both drop KVM's count.  The core calls enable/disable
 * with the instance's page-track lock held, and its delivery of a write
 * takes that lock too: nothing here waits for a delivery.  Only the
 * unregistration at detach waits for the VM's running notifiers
 * (synchronize_srcu()); the instance is detached by then, so a delivery
 * to it returns at once (mpt_page_track_write() refuses it).
 */
#include <linux/kvm_host.h>
#include <linux/xarray.h>

#include "mpt_mdev.h"

#define KVMGT_TRACKED xa_mk_value(1)

static bool kvmgt_gfn_tracked(struct kvmgt_guest *g, u64 gfn)
{
	return xa_load(&g->tracked, gfn) != NULL;
}

/* KVM emulated a guest write to a write-tracked page (any notifier's). */
static void kvmgt_track_write(struct kvm_vcpu *vcpu, gpa_t gpa, const u8 *val,
			      int len, struct kvm_page_track_notifier_node *node)
{
	struct kvmgt_guest *g = container_of(node, struct kvmgt_guest, track);

	if (len <= 0)
		return;
	if (kvmgt_gfn_tracked(g, gpa >> PAGE_SHIFT) ||
	    kvmgt_gfn_tracked(g, (gpa + len - 1) >> PAGE_SHIFT))
		mpt_page_track_write(g->vdev, gpa, val, len);
}

/* A memslot is being deleted or moved: forget our gfns in it. */
static void kvmgt_track_flush_slot(struct kvm *kvm, struct kvm_memory_slot *slot,
				   struct kvm_page_track_notifier_node *node)
{
	struct kvmgt_guest *g = container_of(node, struct kvmgt_guest, track);
	unsigned long gfn;
	void *entry;

	write_lock(&kvm->mmu_lock);
	xa_for_each_range(&g->tracked, gfn, entry, slot->base_gfn,
			  slot->base_gfn + slot->npages - 1) {
		kvm_slot_page_track_remove_page(kvm, slot, gfn,
						KVM_PAGE_TRACK_WRITE);
		xa_erase(&g->tracked, gfn);
	}
	write_unlock(&kvm->mmu_lock);
}

/**
 * kvmgt_track_attach() - set up page tracking of a new handle
 * @g: the handle, its @kvm set (or NULL: nothing to do)
 *
 * Context: process context, may sleep.
 */
void kvmgt_track_attach(struct kvmgt_guest *g)
{
	xa_init(&g->tracked);
	if (!g->kvm)
		return;
	g->track.track_write = kvmgt_track_write;
	g->track.track_flush_slot = kvmgt_track_flush_slot;
	kvm_page_track_register_notifier(g->kvm, &g->track);
}

/* Stop tracking @gfn, if still tracked; kvm->srcu held. */
static void kvmgt_untrack(struct kvmgt_guest *g, u64 gfn)
{
	struct kvm_memory_slot *slot = gfn_to_memslot(g->kvm, gfn);

	write_lock(&g->kvm->mmu_lock);
	if (xa_erase(&g->tracked, gfn) && slot)
		kvm_slot_page_track_remove_page(g->kvm, slot, gfn,
						KVM_PAGE_TRACK_WRITE);
	write_unlock(&g->kvm->mmu_lock);
}

/**
 * kvmgt_track_detach() - undo kvmgt_track_attach()
 * @g: the handle
 *
 * Drops whatever the handle still tracks (the core removed its tracks
 * before detach; a harness calling the ops directly may not have), then
 * the notifier.
 *
 * Context: process context, may sleep (waits for running notifiers).
 */
void kvmgt_track_detach(struct kvmgt_guest *g)
{
	unsigned long gfn;
	void *entry;
	int idx;

	if (g->kvm) {
		idx = srcu_read_lock(&g->kvm->srcu);
		xa_for_each(&g->tracked, gfn, entry)
			kvmgt_untrack(g, gfn);
		srcu_read_unlock(&g->kvm->srcu, idx);
		kvm_page_track_unregister_notifier(g->kvm, &g->track);
	}
	xa_destroy(&g->tracked);
}

/* Page tracking needs the VM: say once per instance why it fails. */
static int kvmgt_no_vm(struct kvmgt_guest *g)
{
	if (!g->told_no_vm) {
		g->told_no_vm = true;
		dev_info(g->st->vfio.dev,
			 "no VM linked to the VFIO group (KVM-VFIO device): no page tracking\n");
	}
	return -ENODEV;
}

static int kvmgt_track(struct kvmgt_guest *g, u64 gfn)
{
	struct kvm *kvm = g->kvm;
	struct kvm_memory_slot *slot;
	int idx, ret;

	idx = srcu_read_lock(&kvm->srcu);
	slot = gfn_to_memslot(kvm, gfn);
	/* Not a slot being deleted or moved: its flush may have run. */
	if (!kvm_is_visible_memslot(slot)) {
		ret = -EFAULT;
		goto out;
	}
	/* Before KVM's update, so that a later flush of the slot finds it. */
	ret = xa_insert(&g->tracked, gfn, KVMGT_TRACKED, GFP_KERNEL);
	if (ret)
		goto out;
	write_lock(&kvm->mmu_lock);
	kvm_slot_page_track_add_page(kvm, slot, gfn, KVM_PAGE_TRACK_WRITE);
	write_unlock(&kvm->mmu_lock);
out:
	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/*
 * enable_page_track: -ENODEV without a VM or after the session, -EFAULT
 * for a gfn no visible memslot holds, -EEXIST if this handle tracks it
 * already, -ENOMEM.
 */
int kvmgt_enable_page_track(void *handle, u64 gfn)
{
	struct kvmgt_guest *g = handle;
	int ret;

	if (!g->kvm)
		return kvmgt_no_vm(g);
	ret = kvmgt_session_enter(g);
	if (ret)
		return ret;
	ret = kvmgt_track(g, gfn);
	kvmgt_session_leave(g);
	return ret == -EBUSY ? -EEXIST : ret;
}

/* disable_page_track: also after the session; 0 for a gfn not tracked. */
int kvmgt_disable_page_track(void *handle, u64 gfn)
{
	struct kvmgt_guest *g = handle;
	int idx;

	if (!g->kvm)
		return kvmgt_no_vm(g);
	idx = srcu_read_lock(&g->kvm->srcu);
	kvmgt_untrack(g, gfn);
	srcu_read_unlock(&g->kvm->srcu, idx);
	return 0;
}

/*
 * is_valid_gfn: from the memslots, under kvm->srcu (a read lock that
 * does not sleep).  Without a VM nothing can be told: every gfn is valid
 * and errors come from the accesses, as the contract says for backends
 * without the op.
 */
bool kvmgt_is_valid_gfn(void *handle, u64 gfn)
{
	struct kvmgt_guest *g = handle;
	bool valid;
	int idx;

	if (!g->kvm)
		return true;
	idx = srcu_read_lock(&g->kvm->srcu);
	valid = kvm_is_visible_gfn(g->kvm, gfn);
	srcu_read_unlock(&g->kvm->srcu, idx);
	return valid;
}
