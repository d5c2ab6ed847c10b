/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel KVM backend "kvmgt" (mpt_mdev.ko), for test harnesses and
 * tools that attach their own instances to an mdev a VMM has open.
 *
 * Kernel only.  The functions are exported GPL-only in namespace MPT by
 * mpt_mdev.ko: MODULE_IMPORT_NS(MPT) and load after it.
 *
 * The guest of backend "kvmgt" (the @guest of mpt_vdev_attach()) is the
 * struct vfio_device of an mpt_mdev mdev; the backend refuses any other
 * with -EINVAL.  Several instances may be attached to one mdev: the mdev's
 * own (attached when a VMM opens it, detached when it closes) and any
 * number of others.  Each reaches the guest memory, the VM's page
 * tracking and the MSI eventfds of that mdev.
 *
 * Lifetime rules:
 *
 * - An instance can only be attached while a VMM has the mdev open, and
 *   it serves that open only: once the VMM closes the device, its DMA
 *   mappings are dropped (mpt_dma_invalidate() on the whole guest) and
 *   its guest-memory, DMA and page-track ops fail with -ENODEV, also
 *   after a later open.  Only detach is then useful.
 * - An attached instance holds a reference on the VFIO device (so the
 *   memory stays) and on the VM (struct kvm), both dropped at detach.  A
 *   removed mdev is gone from mpt_kvmgt_get_device() at once, but the
 *   remove waits for the VMM to close the device (the VMM is asked to,
 *   through its VFIO request eventfd).
 * - The module of a caller of these functions depends on mpt_mdev.ko, so
 *   mpt_mdev.ko stays loaded while it is loaded; references must be put
 *   before that module unloads.
 */
#ifndef MPT_KVMGT_H
#define MPT_KVMGT_H

#include <mpt/backend.h>

struct vfio_device;

/**
 * mpt_kvmgt_get_device() - the VFIO device of an open mdev
 * @uuid: the mdev's UUID, as in /sys/bus/mdev/devices/ (any case)
 *
 * Finds the mdev of mpt_mdev.ko with that UUID and returns its VFIO
 * device, the @guest to attach instances of backend "kvmgt" to, with a
 * reference that keeps its memory from being freed.  Being open is a
 * snapshot: the VMM may close it at any time, after which mpt_vdev_attach()
 * fails with -ENODEV.
 *
 * Context: process context, may sleep; takes the list lock of the mdevs.
 * Return: the device; ERR_PTR(-EINVAL) for a malformed UUID,
 * ERR_PTR(-ENOENT) if no such mdev exists, ERR_PTR(-ENODEV) if it exists
 * but no VMM has it open.  Put it with mpt_kvmgt_put_device().
 */
struct vfio_device *mpt_kvmgt_get_device(const char *uuid);

/**
 * mpt_kvmgt_put_device() - drop a reference from mpt_kvmgt_get_device()
 * @vfio: the device
 *
 * Instances attached to @vfio hold their own reference: the device may be
 * put before they are detached.
 *
 * Context: process context, may sleep (the last reference frees).
 */
void mpt_kvmgt_put_device(struct vfio_device *vfio);

/**
 * mpt_kvmgt_backend() - the backend "kvmgt" as registered
 *
 * Context: any.
 * Return: the backend mpt_mdev.ko registered at load; valid while
 * mpt_mdev.ko is loaded.
 */
struct mpt_backend *mpt_kvmgt_backend(void);

/**
 * mpt_kvmgt_ops() - the op table of backend "kvmgt"
 *
 * Context: any.
 * Return: the table registered at load, valid while mpt_mdev.ko is
 * loaded.  Conformance tests call its ops directly, with the handle that
 * mpt_vdev_backend_handle() gives for an instance attached to an mdev;
 * the ops keep the contract of struct mpt_backend_ops, and a handle is
 * valid from the attach of its instance to the detach.
 */
const struct mpt_backend_ops *mpt_kvmgt_ops(void);

#endif /* MPT_KVMGT_H */
