// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupts of an mdev as VFIO offers them: one eventfd per MSI
 * vector (VFIO_PCI_MSI_IRQ_INDEX, as many as the type's msi_vectors; a
 * VMM binds each to a KVM irqfd) and the request eventfd
 * (VFIO_PCI_REQ_IRQ_INDEX, one) through which the mdev asks the VMM to
 * close the device when it is being removed.  Only ACTION_TRIGGER exists:
 * DATA_EVENTFD sets or, with fd -1, clears eventfds; DATA_NONE with count
 * 0 clears them all and with a count triggers; DATA_BOOL triggers the
 * vectors whose byte is set.
 *
 * The eventfds are swapped under a spinlock, because injection
 * (kvmgt_inject_msi(), any context) signals them under it.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mpt_mdev.h"

/**
 * mpt_mdev_irq_count() - how many interrupts of a VFIO index the mdev has
 * @st: the mdev
 * @index: a VFIO_PCI_*_IRQ_INDEX (any value)
 *
 * Context: any.
 * Return: the type's MSI vectors (at most MPT_MDEV_MAX_MSI) for MSI, 1 for
 * the request interrupt, 0 otherwise.
 */
unsigned int mpt_mdev_irq_count(struct mpt_mdev_state *st, unsigned int index)
{
	const struct mpt_pci_desc *pci = st->vdev->type->pci;

	if (index == VFIO_PCI_MSI_IRQ_INDEX && pci)
		return min_t(unsigned int, pci->msi_vectors, MPT_MDEV_MAX_MSI);
	if (index == VFIO_PCI_REQ_IRQ_INDEX)
		return 1;
	return 0;
}

/* The eventfd slots of @index, NULL if it has none. */
static struct eventfd_ctx **mpt_mdev_slots(struct mpt_mdev_state *st,
					   unsigned int index)
{
	if (index == VFIO_PCI_MSI_IRQ_INDEX)
		return st->msi_trigger;
	if (index == VFIO_PCI_REQ_IRQ_INDEX)
		return &st->req_trigger;
	return NULL;
}

/*
 * Put @count eventfds in @slots[@start...] and drop the ones they replace;
 * @ctx is left all NULL.
 */
static void mpt_mdev_swap_slots(struct mpt_mdev_state *st,
				struct eventfd_ctx **slots, unsigned int start,
				unsigned int count, struct eventfd_ctx **ctx)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&st->irq_lock, flags);
	for (i = 0; i < count; i++)
		swap(slots[start + i], ctx[i]);
	spin_unlock_irqrestore(&st->irq_lock, flags);
	for (i = 0; i < count; i++) {
		if (ctx[i])
			eventfd_ctx_put(ctx[i]);
		ctx[i] = NULL;
	}
}

/**
 * mpt_mdev_clear_irqs() - drop every eventfd of the mdev
 * @st: the mdev
 *
 * At close: the next VMM sets its own.
 *
 * Context: process context.
 */
void mpt_mdev_clear_irqs(struct mpt_mdev_state *st)
{
	struct eventfd_ctx *msi[MPT_MDEV_MAX_MSI] = {}, *req = NULL;

	/*
	 * A swap leaves the eventfds it took out (and put) in the array it
	 * was given: one array each, or the request slot would get the MSI
	 * vector 0's eventfd just put, and put it again at the next close.
	 */
	mpt_mdev_swap_slots(st, st->msi_trigger, 0, MPT_MDEV_MAX_MSI, msi);
	mpt_mdev_swap_slots(st, &st->req_trigger, 0, 1, &req);
}

/* Signal the eventfds of @slots[@start...] whose @fire byte is set. */
static void mpt_mdev_fire(struct mpt_mdev_state *st, struct eventfd_ctx **slots,
			  unsigned int start, unsigned int count, const u8 *fire)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&st->irq_lock, flags);
	for (i = 0; i < count; i++)
		if ((!fire || fire[i]) && slots[start + i])
			eventfd_signal(slots[start + i], 1);
	spin_unlock_irqrestore(&st->irq_lock, flags);
}

/* DATA_EVENTFD: all eventfds are looked up before any is installed. */
static int mpt_mdev_set_eventfds(struct mpt_mdev_state *st,
				 struct eventfd_ctx **slots, unsigned int start,
				 unsigned int count, const s32 *fds)
{
	struct eventfd_ctx *ctx[MPT_MDEV_MAX_MSI] = {};
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (fds[i] == -1)
			continue;
		ctx[i] = fds[i] < 0 ? ERR_PTR(-EINVAL) :
				      eventfd_ctx_fdget(fds[i]);
		if (IS_ERR(ctx[i])) {
			int ret = PTR_ERR(ctx[i]);

			while (i--)
				if (ctx[i])
					eventfd_ctx_put(ctx[i]);
			return ret;
		}
	}
	mpt_mdev_swap_slots(st, slots, start, count, ctx);
	return 0;
}

static int mpt_mdev_trigger(struct mpt_mdev_state *st,
			    const struct vfio_irq_set *hdr, const void *data)
{
	struct eventfd_ctx **slots = mpt_mdev_slots(st, hdr->index);
	struct eventfd_ctx *none[MPT_MDEV_MAX_MSI] = {};
	unsigned int all = mpt_mdev_irq_count(st, hdr->index);

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (!hdr->count)
			mpt_mdev_swap_slots(st, slots, 0, all, none);
		else
			mpt_mdev_fire(st, slots, hdr->start, hdr->count, NULL);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		mpt_mdev_fire(st, slots, hdr->start, hdr->count, data);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		return mpt_mdev_set_eventfds(st, slots, hdr->start, hdr->count,
					     data);
	}
	return -EINVAL;
}

/**
 * mpt_mdev_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @st: the mdev
 * @arg: the ioctl's user pointer (struct vfio_irq_set and its data)
 *
 * Context: process context, may sleep; @st->lock held.
 * Return: 0; -EFAULT for a bad pointer; -EINVAL for a bad index, range,
 * data type or file descriptor (-EBADF for a closed one); -ENOTTY for an
 * action other than ACTION_TRIGGER.
 */
int mpt_mdev_set_irqs(struct mpt_mdev_state *st, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 mpt_mdev_irq_count(st, hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (!mpt_mdev_slots(st, hdr.index))
		return -EINVAL;
	if (!(hdr.flags & VFIO_IRQ_SET_ACTION_TRIGGER))
		return -ENOTTY;
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	ret = mpt_mdev_trigger(st, &hdr, data);
	kfree(data);
	return ret;
}

/**
 * mpt_mdev_signal_msi() - signal the eventfd of one MSI vector
 * @st: the mdev
 * @vector: the vector (any value: out of range is refused)
 *
 * Context: any, does not sleep.
 * Return: 0, or -EIO when the vector has no eventfd.
 */
int mpt_mdev_signal_msi(struct mpt_mdev_state *st, unsigned int vector)
{
	unsigned long flags;
	int ret = -EIO;

	spin_lock_irqsave(&st->irq_lock, flags);
	if (vector < MPT_MDEV_MAX_MSI && st->msi_trigger[vector]) {
		eventfd_signal(st->msi_trigger[vector], 1);
		ret = 0;
	}
	spin_unlock_irqrestore(&st->irq_lock, flags);
	return ret;
}

/**
 * mpt_mdev_request() - the request op: the mdev is being removed
 * @vfio: the device
 * @count: how many times VFIO asked already (it retries until closed)
 *
 * Signals the request eventfd, which tells the VMM to close the device.
 *
 * Context: process context (the remove), may sleep.
 */
void mpt_mdev_request(struct vfio_device *vfio, unsigned int count)
{
	struct mpt_mdev_state *st = to_mdev_state(vfio);
	unsigned long flags;
	bool sent = false;

	spin_lock_irqsave(&st->irq_lock, flags);
	if (st->req_trigger) {
		eventfd_signal(st->req_trigger, 1);
		sent = true;
	}
	spin_unlock_irqrestore(&st->irq_lock, flags);
	if (!count)
		dev_info(vfio->dev, "removed while open: %s\n",
			 sent ? "asked the VMM to close it" :
				"no request eventfd, waiting for the VMM to close it");
}
