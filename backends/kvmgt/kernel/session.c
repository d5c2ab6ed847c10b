// SPDX-License-Identifier: GPL-2.0-only
/*
 * The session of an mdev: from the VMM's open of its VFIO device to the
 * close.  A session links the VM the VMM attached the VFIO group to (the
 * KVM-VFIO device sets vfio_device.kvm before open_device), if any, and
 * is what instances attached to the mdev work in: at its end their DMA
 * mappings are dropped while VFIO still has the device open (after the
 * close, vfio_unpin_pages() would refuse), and their guest accesses fail
 * from then on (kvmgt_backend.c checks the session).
 */
#include <linux/kvm_host.h>
#include <linux/sched.h>

#include "mpt_mdev.h"

/*
 * Take the VM of the VFIO device, if the VMM linked one.  As kvmgt does,
 * only the VM's own process may open the device for it: page tracking
 * and guest memory must belong to the same address space.
 */
static int mpt_mdev_take_kvm(struct mpt_mdev_state *st)
{
	struct kvm *kvm = st->vfio.kvm;

	if (!kvm)
		return 0;
	if (kvm->mm != current->mm) {
		dev_info(st->vfio.dev, "opened by a process that is not the VM's\n");
		return -ESRCH;
	}
	kvm_get_kvm(kvm);
	st->kvm = kvm;
	return 0;
}

/**
 * mpt_mdev_session_begin() - start a session at open_device
 * @st: the mdev
 *
 * Context: process context, may sleep; @st->lock held.
 * Return: 0, or -ESRCH when the VFIO device is linked to a VM of another
 * process.
 */
int mpt_mdev_session_begin(struct mpt_mdev_state *st)
{
	int ret;

	lockdep_assert_held(&st->lock);
	ret = mpt_mdev_take_kvm(st);
	if (ret)
		return ret;
	down_write(&st->session_lock);
	st->open = true;
	st->session++;
	up_write(&st->session_lock);
	return 0;
}

/**
 * mpt_mdev_invalidate_guests() - drop DMA mappings of every instance
 * @st: the mdev
 * @gfn: first guest frame
 * @nr: number of frames (~0ULL: all from @gfn)
 *
 * For VFIO's dma_unmap callback (the VMM unmapped the range) and the end
 * of a session.
 *
 * Context: process context, may sleep; takes @st->guests_lock, then each
 * instance's DMA cache lock.
 */
void mpt_mdev_invalidate_guests(struct mpt_mdev_state *st, u64 gfn, u64 nr)
{
	struct kvmgt_guest *g;

	mutex_lock(&st->guests_lock);
	list_for_each_entry(g, &st->guests, node)
		mpt_dma_invalidate(g->vdev, gfn, nr);
	mutex_unlock(&st->guests_lock);
}

/**
 * mpt_mdev_session_end() - end a session at close_device
 * @st: the mdev
 *
 * Call after the mdev's own instance is detached.  Instances others
 * attached stay attached but lose their mappings and their access.
 *
 * Context: process context, may sleep; @st->lock held.
 */
void mpt_mdev_session_end(struct mpt_mdev_state *st)
{
	lockdep_assert_held(&st->lock);
	/* No new access of an attached instance starts after this. */
	down_write(&st->session_lock);
	st->open = false;
	up_write(&st->session_lock);
	mpt_mdev_invalidate_guests(st, 0, ~0ULL);
	if (st->kvm) {
		kvm_put_kvm(st->kvm);
		st->kvm = NULL;
	}
}
