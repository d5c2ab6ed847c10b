// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Failsafe: what a guest that breaks the protocol gets.
 *
 * As in GVT-g (enter_failsafe_mode()) and ACRN, some guest behaviour is
 * not an error to report but a reason to stop serving the guest: a
 * privileged command, a write to a reserved field of the info page, or a
 * guest whose tables the device can no longer shadow (out of host
 * resources).  The device then ignores submissions and most register
 * writes until it is reset; reads keep working, so the guest can see
 * STATUS.FAILSAFE.  The host process is never affected.
 *
 * The info page is served by the core, which counts reserved writes
 * (pvinfo_rsvd_writes) but does not call the device model for them.  The
 * device polls the count whenever the guest reaches it (registers, GGTT,
 * doorbell, page tracking, notifications), so the violation takes effect
 * no later than the guest's next access to the device.
 */
#include "mgpu_priv.h"

static const char *const reason_name[] = {
	[MGPU_FAILSAFE_PRIVILEGED] = "privileged command",
	[MGPU_FAILSAFE_PVINFO] = "write to a reserved info-page field",
	[MGPU_FAILSAFE_RESOURCE] = "out of resources to shadow the guest",
};

/**
 * mgpu_failsafe_enter() - stop serving a misbehaving guest
 * @mg: the instance, lock held
 * @why: the reason, logged
 */
void mgpu_failsafe_enter(struct mgpu *mg, enum mgpu_failsafe_reason why)
{
	mpt_assert_held(&mg->lock);
	if (mg->failsafe)
		return;
	MPT_WRITE_ONCE(mg->failsafe, true);
	MGPU_REG(mg, MGPU_REG_STATUS) |= MGPU_STATUS_FAILSAFE;
	mpt_stat_inc(&mg->stats.failsafe_entries);
	mpt_warn("mgpu%u: failsafe: %s; the device ignores the guest until reset",
		 mg->vdev.id, reason_name[why]);
}

static u64 rsvd_writes(struct mgpu *mg)
{
	struct mpt_vdev_stats s;

	mpt_vdev_get_stats(&mg->vdev, &s);
	return s.pvinfo_rsvd_writes;
}

/**
 * mgpu_failsafe_pending() - tell whether a violation awaits accounting
 * @mg: the instance; no lock needed
 *
 * Return: true if the info page saw reserved writes not yet acted upon.
 */
bool mgpu_failsafe_pending(struct mgpu *mg)
{
	return rsvd_writes(mg) != MPT_READ_ONCE(mg->pvinfo_rsvd_seen);
}

/**
 * mgpu_failsafe_poll() - act on info-page violations since the last look
 * @mg: the instance, lock held
 */
void mgpu_failsafe_poll(struct mgpu *mg)
{
	u64 n = rsvd_writes(mg);

	if (mpt_likely(n == mg->pvinfo_rsvd_seen))
		return;
	MPT_WRITE_ONCE(mg->pvinfo_rsvd_seen, n);
	mgpu_failsafe_enter(mg, MGPU_FAILSAFE_PVINFO);
}

/**
 * mgpu_failsafe_reset() - leave failsafe (device reset)
 * @mg: the instance, lock held
 *
 * Violations before the reset are forgiven with it.
 */
void mgpu_failsafe_reset(struct mgpu *mg)
{
	MPT_WRITE_ONCE(mg->failsafe, false);
	MPT_WRITE_ONCE(mg->pvinfo_rsvd_seen, rsvd_writes(mg));
	MGPU_REG(mg, MGPU_REG_STATUS) &= ~MGPU_STATUS_FAILSAFE;
}
