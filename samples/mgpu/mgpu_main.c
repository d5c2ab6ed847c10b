// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mgpu: the device type, the lifecycle of its instances and the host API.
 *
 * An instance is created with its power-on registers (golden state) and
 * its traps.  Activation is when the guest can reach it, so that is when
 * the shadows take hold of guest pages (pins and page tracks); deactivation
 * gives them all back, keeping the guest-visible state, so that a later
 * activation rebuilds the same shadows.
 */
#include "mgpu_priv.h"

static const struct mpt_pci_desc mgpu_pci = {
	.vendor_id = MGPU_VENDOR_ID,
	.device_id = MGPU_DEVICE_ID,
	.subsystem_vendor_id = MGPU_VENDOR_ID,
	.subsystem_id = MGPU_DEVICE_ID,
	.revision = 1,
	.class_code = MGPU_CLASS,
	.bars = {
		[0] = { .type = MPT_BAR_MEM32, .size = MGPU_BAR0_SIZE },
	},
	.msi_vectors = 1,
};

static void mgpu_free(struct mgpu *mg)
{
	mgpu_ggtt_free(mg);
	mpt_free(mg->cmds);
	mpt_free(mg->ring_copy);
	mpt_free(mg->xfer);
	mg->cmds = NULL;
	mg->ring_copy = NULL;
	mg->xfer = NULL;
}

static int mgpu_alloc(struct mgpu *mg)
{
	mg->cmds = mpt_zalloc_array(MGPU_MAX_CMDS, sizeof(*mg->cmds));
	mg->ring_copy = mpt_zalloc(MGPU_RING_MAX);
	mg->xfer = mpt_zalloc(MGPU_XFER_SIZE + 4);
	if (!mg->cmds || !mg->ring_copy || !mg->xfer)
		return -ENOMEM;
	return 0;
}

static int mgpu_init(struct mpt_vdev *vdev)
{
	struct mgpu *mg = to_mgpu(vdev);
	struct mpt_pvinfo_config pv = {
		.caps = MGPU_CAP_PPGTT,
		.ranges = {
			[MGPU_PVINFO_RANGE_GGTT] = { 0, MGPU_GGTT_SPAN },
		},
		.notify = mgpu_display_notify,
	};
	int ret;

	mpt_mutex_init(&mg->lock);
	ret = mgpu_golden_init(mg);
	ret = ret ?: mgpu_alloc(mg);
	ret = ret ?: mgpu_ggtt_init(mg);
	ret = ret ?: mgpu_regs_init(mg);
	ret = ret ?: mpt_pvinfo_setup(vdev, 0, MGPU_PVINFO_OFFSET, &pv);
	if (ret) {
		mgpu_free(mg);
		mpt_mutex_destroy(&mg->lock);
	}
	return ret;
}

static void mgpu_release(struct mpt_vdev *vdev)
{
	struct mgpu *mg = to_mgpu(vdev);

	mgpu_free(mg);
	mpt_mutex_destroy(&mg->lock);
}

static int mgpu_activate(struct mpt_vdev *vdev)
{
	struct mgpu *mg = to_mgpu(vdev);

	mpt_mutex_lock(&mg->lock);
	mg->live = true;
	mgpu_ggtt_pin_all(mg);
	mgpu_ppgtt_bind(mg);
	mpt_mutex_unlock(&mg->lock);
	return 0;
}

static void mgpu_deactivate(struct mpt_vdev *vdev)
{
	struct mgpu *mg = to_mgpu(vdev);

	mpt_mutex_lock(&mg->lock);
	mgpu_ppgtt_unbind(mg);
	mgpu_ggtt_unpin_all(mg);
	mg->live = false;
	mpt_mutex_unlock(&mg->lock);
}

/**
 * mgpu_device_reset_locked() - put an instance back to its power-on state
 * @mg: the instance, lock held
 *
 * What CTRL.RESET and a function-level reset do to the device: registers
 * from the golden state, GGTT empty, no PPGTT, failsafe left.  Host-side
 * counters (struct mgpu_stats) survive.
 */
void mgpu_device_reset_locked(struct mgpu *mg)
{
	mpt_assert_held(&mg->lock);
	mgpu_ppgtt_unbind(mg);
	mgpu_ggtt_reset(mg);
	memcpy(mg->regs, mg->golden, sizeof(mg->regs));
	mg->nr_cmds = 0;
	MPT_WRITE_ONCE(mg->display_ready, false);
	mgpu_failsafe_reset(mg);
}

static void mgpu_reset(struct mpt_vdev *vdev)
{
	struct mgpu *mg = to_mgpu(vdev);

	mpt_mutex_lock(&mg->lock);
	mgpu_device_reset_locked(mg);
	mpt_mutex_unlock(&mg->lock);
}

/* The guest took DMA access away: the core already dropped those pins. */
static void mgpu_dma_invalidated(struct mpt_vdev *vdev, u64 gfn, u64 nr)
{
	struct mgpu *mg = to_mgpu(vdev);

	mpt_mutex_lock(&mg->lock);
	mgpu_ggtt_forget(mg, gfn, nr);
	mgpu_ppgtt_forget(mg, gfn, nr);
	mpt_mutex_unlock(&mg->lock);
}

static const struct mpt_vdev_ops mgpu_ops = {
	.init = mgpu_init,
	.release = mgpu_release,
	.activate = mgpu_activate,
	.deactivate = mgpu_deactivate,
	.reset = mgpu_reset,
	.dma_invalidated = mgpu_dma_invalidated,
	.read_plane = mgpu_read_plane,
};

static const struct mpt_vdev_type mgpu_type = {
	.name = MGPU_TYPE_NAME,
	.description = "mpt reference GPU: GGTT, shadowed PPGTT, scanned ring",
	.max_instances = 4,
	.instance_size = MPT_VDEV_TYPE_SIZE(struct mgpu, vdev),
	.pci = &mgpu_pci,
	.ops = &mgpu_ops,
	.owner = MPT_THIS_MODULE,
};

/**
 * mgpu_is_mgpu() - tell whether a host API caller passed an mgpu instance
 * @vdev: what the caller passed
 *
 * Return: true for an instance of the mgpu type.
 */
bool mgpu_is_mgpu(const struct mpt_vdev *vdev)
{
	return vdev && vdev->type == &mgpu_type;
}

int mgpu_register(void)
{
	return mpt_type_register(&mgpu_type);
}
MPT_EXPORT(mgpu_register);

int mgpu_unregister(void)
{
	return mpt_type_unregister(&mgpu_type);
}
MPT_EXPORT(mgpu_unregister);

void mgpu_get_stats(struct mpt_vdev *vdev, struct mgpu_stats *stats)
{
	const struct mgpu_stats *s;

	memset(stats, 0, sizeof(*stats));
	if (!mgpu_is_mgpu(vdev))
		return;
	s = &to_mgpu(vdev)->stats;
	stats->msis = mpt_stat_read(&s->msis);
	stats->page_track_faults = mpt_stat_read(&s->page_track_faults);
	stats->shadow_updates = mpt_stat_read(&s->shadow_updates);
	stats->submissions = mpt_stat_read(&s->submissions);
	stats->cmds_executed = mpt_stat_read(&s->cmds_executed);
	stats->cmds_rejected = mpt_stat_read(&s->cmds_rejected);
	stats->failsafe_entries = mpt_stat_read(&s->failsafe_entries);
	stats->doorbells = mpt_stat_read(&s->doorbells);
}
MPT_EXPORT(mgpu_get_stats);

bool mgpu_failsafe(struct mpt_vdev *vdev)
{
	struct mgpu *mg;

	if (!mgpu_is_mgpu(vdev))
		return false;
	mg = to_mgpu(vdev);
	return MPT_READ_ONCE(mg->failsafe) || mgpu_failsafe_pending(mg);
}
MPT_EXPORT(mgpu_failsafe);

bool mgpu_display_ready(struct mpt_vdev *vdev)
{
	if (!mgpu_is_mgpu(vdev))
		return false;
	return MPT_READ_ONCE(to_mgpu(vdev)->display_ready);
}
MPT_EXPORT(mgpu_display_ready);
