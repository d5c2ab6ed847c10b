// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The register file: BAR0 [0, MGPU_REGS_SIZE), 32-bit aligned accesses.
 *
 * As GVT-g's vreg array with per-register handlers, the register values
 * live in @mg->regs and a write goes through the semantics of its
 * register: read-only ones ignore it, IRQ_STATUS clears the bits written
 * as 1, CTRL.RESET resets the device, ring and display registers go to
 * their files.  Offsets no register uses read as zero and ignore writes.
 *
 * DOORBELL is trapped on its own with MPT_TRAP_DOORBELL, so a hypervisor
 * may deliver it without an exit (KVM's ioeventfd), on one of its threads
 * and with the value lost: its handler ignores the value.
 *
 * In failsafe only CTRL.RESET and IRQ_STATUS acknowledgements are honoured.
 */
#include "mgpu_priv.h"

/**
 * mgpu_irq_locked() - raise an interrupt condition
 * @mg: the instance, lock held
 * @bits: MGPU_IRQ_* to set in IRQ_STATUS
 *
 * Sends MSI vector 0 when CTRL.IRQ_ENABLE is set; the core drops it while
 * the guest has MSI disabled and keeps it pending while masked.
 */
void mgpu_irq_locked(struct mgpu *mg, u32 bits)
{
	MGPU_REG(mg, MGPU_REG_IRQ_STATUS) |= bits;
	if (!(MGPU_REG(mg, MGPU_REG_CTRL) & MGPU_CTRL_IRQ_ENABLE))
		return;
	if (mpt_vdev_raise_irq(&mg->vdev, 0) >= 0)
		mpt_stat_inc(&mg->stats.msis);
}

static void ctrl_write(struct mgpu *mg, u32 val)
{
	if (val & MGPU_CTRL_RESET) {
		mgpu_device_reset_locked(mg);
		return;
	}
	if (!mg->failsafe)
		MGPU_REG(mg, MGPU_REG_CTRL) = val & MGPU_CTRL_IRQ_ENABLE;
}

static void irq_status_write(struct mgpu *mg, u32 val)
{
	val &= MGPU_IRQ_COMPLETE | MGPU_IRQ_ERROR;
	MGPU_REG(mg, MGPU_REG_IRQ_STATUS) &= ~val;
	if (val & MGPU_IRQ_ERROR)
		MGPU_REG(mg, MGPU_REG_STATUS) &= ~MGPU_STATUS_ERROR;
}

static bool is_scratch(u32 offset)
{
	return offset - MGPU_REG_SCRATCH0 < MGPU_NR_SCRATCH * 4;
}

/* A write outside failsafe to anything but CTRL and IRQ_STATUS. */
static void reg_write_normal(struct mgpu *mg, u32 offset, u32 val)
{
	switch (offset) {
	case MGPU_REG_RING_BASE:
	case MGPU_REG_RING_SIZE:
	case MGPU_REG_RING_TAIL:
	case MGPU_REG_TAIL_ADDR:
		mgpu_ring_reg_write(mg, offset, val);
		break;
	case MGPU_REG_CTX_PD:
		MGPU_REG(mg, offset) = val & (u32)MPT_PAGE_MASK;
		mgpu_ppgtt_bind(mg);
		break;
	case MGPU_REG_PLANE_BASE:
	case MGPU_REG_PLANE_WIDTH:
	case MGPU_REG_PLANE_HEIGHT:
	case MGPU_REG_PLANE_STRIDE:
	case MGPU_REG_PLANE_FORMAT:
	case MGPU_REG_PLANE_ENABLE:
		mgpu_display_reg_write(mg, offset, val);
		break;
	default:
		/* ID, VERSION, STATUS, ERROR, RING_HEAD, STAT_*: read-only. */
		if (is_scratch(offset))
			MGPU_REG(mg, offset) = val;
		break;
	}
}

static void reg_write(struct mgpu *mg, u32 offset, u32 val)
{
	if (offset == MGPU_REG_CTRL)
		ctrl_write(mg, val);
	else if (offset == MGPU_REG_IRQ_STATUS)
		irq_status_write(mg, val);
	else if (!mg->failsafe)
		reg_write_normal(mg, offset, val);
}

static int regs_access(struct mpt_vdev *vdev, u64 offset, void *data,
		       unsigned int len, bool is_write, void *opaque)
{
	struct mgpu *mg = to_mgpu(vdev);
	u32 off = (u32)offset, val;

	(void)opaque;
	if (len != 4 || offset >= MGPU_REGS_SIZE || (offset & 3))
		return -EINVAL;
	mpt_mutex_lock(&mg->lock);
	mgpu_failsafe_poll(mg);
	if (is_write) {
		memcpy(&val, data, 4);
		reg_write(mg, off, val);
	} else {
		val = MGPU_REG(mg, off);
		memcpy(data, &val, 4);
	}
	mpt_mutex_unlock(&mg->lock);
	return 0;
}

/* Reads as zero; a write of any value (or none) submits. */
static int doorbell_access(struct mpt_vdev *vdev, u64 offset, void *data,
			   unsigned int len, bool is_write, void *opaque)
{
	struct mgpu *mg = to_mgpu(vdev);

	(void)offset;
	(void)opaque;
	if (!is_write) {
		memset(data, 0, len);
		return 0;
	}
	mpt_mutex_lock(&mg->lock);
	mgpu_failsafe_poll(mg);
	if (!mg->failsafe) {
		mpt_stat_inc(&mg->stats.doorbells);
		mgpu_ring_doorbell(mg);
	}
	mpt_mutex_unlock(&mg->lock);
	return 0;
}

/**
 * mgpu_regs_init() - trap the register file and the doorbell
 * @mg: a new instance
 *
 * Return: 0 or the trap registration's error.
 */
int mgpu_regs_init(struct mgpu *mg)
{
	const unsigned int flags = MPT_TRAP_SIZE4 | MPT_TRAP_ALIGNED;
	const u32 db = MGPU_REG_DOORBELL;
	int ret;

	ret = mpt_trap_register(&mg->vdev, 0, MGPU_REGS_OFFSET, db,
				regs_access, NULL, flags);
	ret = ret ?: mpt_trap_register(&mg->vdev, 0, db, 4, doorbell_access,
				       NULL, flags | MPT_TRAP_DOORBELL);
	ret = ret ?: mpt_trap_register(&mg->vdev, 0, db + 4,
				       MGPU_REGS_SIZE - db - 4, regs_access,
				       NULL, flags);
	return ret;
}
