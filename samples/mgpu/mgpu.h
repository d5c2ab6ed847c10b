/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mgpu, the reference mediated GPU: its host-side API.
 *
 * The device model is written against the mpt device-model API only
 * (<mpt/mpt.h>) and the port layer (<mpt_os.h>: allocation, locks,
 * logging), so the same sources build into a userspace VMM and into a
 * kernel module.  The guest-visible interface is in mgpu_hw.h.
 */
#ifndef MGPU_H
#define MGPU_H

#include <mpt/mpt.h>

#define MGPU_TYPE_NAME "mgpu"

/**
 * struct mgpu_stats - per-instance counters
 * @msis: interrupts raised
 * @page_track_faults: guest writes to tracked PPGTT pages
 * @shadow_updates: shadow GGTT and PPGTT entries changed
 * @submissions: ring submissions seen
 * @cmds_executed: commands of accepted submissions, batch markers and
 *	NOOPs included (as the STAT_CMDS register counts them)
 * @cmds_rejected: submissions refused, by the scanner or by the ring checks
 * @failsafe_entries: times the device entered failsafe
 * @doorbells: submissions through DOORBELL
 */
struct mgpu_stats {
	u64 msis;
	u64 page_track_faults;
	u64 shadow_updates;
	u64 submissions;
	u64 cmds_executed;
	u64 cmds_rejected;
	u64 failsafe_entries;
	u64 doorbells;
};

/**
 * mgpu_register() - offer the mgpu device type(s) to the core
 *
 * Context: process context.
 * Return: 0 or the core's error.
 */
int mgpu_register(void);

/**
 * mgpu_unregister() - withdraw the mgpu device type(s)
 *
 * Context: process context.
 * Return: 0, or -EBUSY while instances exist.
 */
int mgpu_unregister(void);

/**
 * mgpu_get_stats() - read an instance's counters
 * @vdev: an mgpu instance
 * @stats: filled with a snapshot
 *
 * Context: any.
 */
void mgpu_get_stats(struct mpt_vdev *vdev, struct mgpu_stats *stats);

/**
 * mgpu_failsafe() - tell whether an instance is in failsafe
 * @vdev: an mgpu instance
 *
 * Context: any.
 * Return: true in failsafe.
 */
bool mgpu_failsafe(struct mpt_vdev *vdev);

/**
 * mgpu_snapshot() - copy the displayed frame
 * @vdev: an mgpu instance
 * @pixels: set to a buffer of @width * @height XRGB8888 pixels, rows
 *	packed; free it with mpt_free()
 * @width: set to the plane width
 * @height: set to the plane height
 *
 * Reads the framebuffer through the GGTT as the display engine would.
 *
 * Context: process context, may sleep.
 * Return: 0; -ENODATA when the plane is disabled or not set up;
 * -EFAULT when it reaches unmapped memory; -ENOMEM.
 */
int mgpu_snapshot(struct mpt_vdev *vdev, u32 **pixels, unsigned int *width,
		  unsigned int *height);

/**
 * mgpu_display_ready() - tell whether the guest reported its display ready
 * @vdev: an mgpu instance
 *
 * The guest driver sends MGPU_G2V_DISPLAY_READY through the info page once
 * its plane is programmed; a VMM may take its first snapshot then.  Reset
 * clears the state.
 *
 * Context: any.
 * Return: true if the last report said the plane is enabled.
 */
bool mgpu_display_ready(struct mpt_vdev *vdev);

#endif /* MGPU_H */
