/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mpt_mdev.ko, shared by its files: the state of one mediated device and
 * of one instance attached to it.
 *
 *   mdev_parent.c    the mdev parent: types, create/remove, module init
 *   device_lookup.c  the open mdevs by UUID, for test harnesses and tools
 *   vfio_device.c    the VFIO device a VMM opens: regions, ioctls
 *   session.c        from open to close: the VM, what instances may do
 *   msi.c            the MSI and request eventfds
 *   kvmgt_backend.c  the mpt backend "kvmgt" the instances run on
 *   display.c        the plane a VMM shows (VFIO_DEVICE_QUERY_GFX_PLANE)
 *   page_track.c     its write-tracking of guest pages, on KVM's API
 *
 * Lock order: st->lock (open, close, SET_IRQS) -> the core's instance
 * lock (attach, detach) -> st->guests_lock -> an instance's DMA cache lock
 * (mpt_dma_invalidate).  st->session_lock is taken for reading inside the
 * core's DMA-cache and page-track locks (the ops), never with
 * st->guests_lock held or taken under it, and for writing only with
 * st->lock and nothing else held; irq_lock is innermost.  KVM's kvm->srcu
 * and mmu_lock come after all of these (page_track.c).
 */
#ifndef MPT_MDEV_H
#define MPT_MDEV_H

#include <linux/eventfd.h>
#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>

#include <mpt/mpt.h>

#define MPT_MDEV_NAME "mpt_mdev"
#define MPT_MDEV_BACKEND "kvmgt"
#define MPT_MDEV_CFG_SIZE 256
#define MPT_MDEV_MAX_MSI 32 /* multi-message MSI's limit */

/* Region offsets as the kernel's samples encode them: index << 40. */
#define MPT_MDEV_SHIFT 40
#define MPT_MDEV_INDEX(pos) ((pos) >> MPT_MDEV_SHIFT)
#define MPT_MDEV_OFFSET(pos) ((pos) & ((1ULL << MPT_MDEV_SHIFT) - 1))
#define MPT_MDEV_POS(index) ((u64)(index) << MPT_MDEV_SHIFT)

struct mpt_mdev_display;

/**
 * struct mpt_mdev_state - one mediated device
 * @vfio: the VFIO device (first: vfio_alloc_device() requires it)
 * @vdev: its mpt instance, created with the mdev, destroyed with it
 * @node: in the list of mdevs device_lookup.c searches by UUID
 * @lock: serialises open, close and the ioctls that change state
 * @session_lock: written by open and close, read around every guest
 *	access of an attached instance (vfio_dma_rw, pinning), so none runs
 *	into a closed device
 * @open: a VMM has the device open (under @session_lock)
 * @session: counts opens; an instance works only in the session it was
 *	attached in (under @session_lock)
 * @kvm: the VM the VFIO group was linked to at open (KVM-VFIO device),
 *	referenced from open to close; NULL without one
 * @guests_lock: guards @guests
 * @guests: the attached instances (struct kvmgt_guest), the mdev's own
 *	and those attached by others (tests, tools)
 * @irq_lock: guards @msi_trigger and @req_trigger against concurrent
 *	signalling
 * @msi_trigger: the eventfds VFIO_DEVICE_SET_IRQS gave for the MSI vectors
 * @req_trigger: the eventfd it gave for the request interrupt
 * @display: the last snapshot of the plane (display.c), or NULL
 */
struct mpt_mdev_state {
	struct vfio_device vfio;
	struct mpt_vdev *vdev;
	struct list_head node;
	struct mutex lock;
	struct rw_semaphore session_lock;
	bool open;
	unsigned long session;
	struct kvm *kvm;
	struct mutex guests_lock;
	struct list_head guests;
	spinlock_t irq_lock;
	struct eventfd_ctx *msi_trigger[MPT_MDEV_MAX_MSI];
	struct eventfd_ctx *req_trigger;
	struct mpt_mdev_display *display;
};

/**
 * struct kvmgt_guest - the kvmgt backend's handle of one attached instance
 * @st: the mdev it is attached to (a reference on its VFIO device)
 * @vdev: the instance
 * @node: in @st->guests
 * @session: @st->session at attach
 * @kvm: @st->kvm at attach, referenced until detach; NULL without a VM
 * @track: its page-track notifier on @kvm (page_track.c)
 * @tracked: the gfns it write-protected in @kvm
 * @told_no_vm: it logged that page tracking needs a VM
 */
struct kvmgt_guest {
	struct mpt_mdev_state *st;
	struct mpt_vdev *vdev;
	struct list_head node;
	unsigned long session;
	struct kvm *kvm;
	struct kvm_page_track_notifier_node track;
	struct xarray tracked;
	bool told_no_vm;
};

static inline struct mpt_mdev_state *to_mdev_state(struct vfio_device *vfio)
{
	return container_of(vfio, struct mpt_mdev_state, vfio);
}

/*
 * Enter the session @g was attached in, for a guest access through VFIO
 * or KVM: 0 with @st->session_lock held for reading, or -ENODEV without
 * it once the VMM closed the device.
 */
static inline int kvmgt_session_enter(struct kvmgt_guest *g)
{
	struct mpt_mdev_state *st = g->st;

	down_read(&st->session_lock);
	if (likely(st->open && st->session == g->session))
		return 0;
	up_read(&st->session_lock);
	return -ENODEV;
}

static inline void kvmgt_session_leave(struct kvmgt_guest *g)
{
	up_read(&g->st->session_lock);
}

/* kvmgt_backend.c */
extern const struct mpt_backend_ops kvmgt_ops;
int kvmgt_inject_msi(void *handle, u64 addr, u32 data);

/* The device-specific region after the PCI ones: the display's picture. */
#define MPT_MDEV_DISPLAY_REGION VFIO_PCI_NUM_REGIONS

/* display.c */
bool mpt_mdev_has_display(struct mpt_mdev_state *st);
long mpt_mdev_query_plane(struct mpt_mdev_state *st, unsigned long arg);
u64 mpt_mdev_display_size(struct mpt_mdev_state *st);
ssize_t mpt_mdev_display_read(struct mpt_mdev_state *st, char __user *ubuf,
			      size_t count, u64 off);
void mpt_mdev_display_release(struct mpt_mdev_state *st);

/* page_track.c */
void kvmgt_track_attach(struct kvmgt_guest *g);
void kvmgt_track_detach(struct kvmgt_guest *g);
int kvmgt_enable_page_track(void *handle, u64 gfn);
int kvmgt_disable_page_track(void *handle, u64 gfn);
bool kvmgt_is_valid_gfn(void *handle, u64 gfn);

/* vfio_device.c */
extern const struct vfio_device_ops mpt_mdev_vfio_ops;

/* msi.c */
unsigned int mpt_mdev_irq_count(struct mpt_mdev_state *st, unsigned int index);
int mpt_mdev_set_irqs(struct mpt_mdev_state *st, unsigned long arg);
void mpt_mdev_clear_irqs(struct mpt_mdev_state *st);
int mpt_mdev_signal_msi(struct mpt_mdev_state *st, unsigned int vector);
void mpt_mdev_request(struct vfio_device *vfio, unsigned int count);

/* session.c */
int mpt_mdev_session_begin(struct mpt_mdev_state *st);
void mpt_mdev_session_end(struct mpt_mdev_state *st);
void mpt_mdev_invalidate_guests(struct mpt_mdev_state *st, u64 gfn, u64 nr);

/* device_lookup.c: probe adds an mdev once registered, remove first drops it */
void mpt_mdev_list_add(struct mpt_mdev_state *st);
void mpt_mdev_list_del(struct mpt_mdev_state *st);

#endif /* MPT_MDEV_H */
