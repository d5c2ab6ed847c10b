/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mpt_mdev.ko, shared by its files: the state of one mediated device.
 *
 *   mdev_parent.c    the mdev parent: types, create/remove, module init
 *   vfio_device.c    the VFIO device a VMM opens: regions, ioctls
 *   kvmgt_backend.c  the mpt backend "kvmgt" the instances run on
 *   display.c        the plane a VMM shows (VFIO_DEVICE_QUERY_GFX_PLANE)
 */
#ifndef MPT_MDEV_H
#define MPT_MDEV_H

#include <linux/eventfd.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>

#include <mpt/mpt.h>

#define MPT_MDEV_NAME "mpt_mdev"
#define MPT_MDEV_BACKEND "kvmgt"
#define MPT_MDEV_CFG_SIZE 256

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
 * @lock: serialises open, close and the ioctls that change state
 * @irq_lock: guards @msi_trigger against concurrent injection
 * @msi_trigger: the eventfd VFIO_DEVICE_SET_IRQS gave for MSI vector 0
 * @display: the last snapshot of the plane (display.c), or NULL
 */
struct mpt_mdev_state {
	struct vfio_device vfio;
	struct mpt_vdev *vdev;
	struct mutex lock;
	spinlock_t irq_lock;
	struct eventfd_ctx *msi_trigger;
	struct mpt_mdev_display *display;
};

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

/* vfio_device.c */
extern const struct vfio_device_ops mpt_mdev_vfio_ops;

#endif /* MPT_MDEV_H */
