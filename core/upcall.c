// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Calls into the device model's handlers.
 *
 * These are the only indirect calls on mpt's fast paths (trap dispatch,
 * page-track delivery, and the info page's notify behind a trap), and they
 * cannot be avoided: a library calls code it does not know at build time.  Keeping
 * them here, out of line, lets scripts/checks/fastpath.sh prove that the
 * dispatch around them has no other indirect call, in particular none into
 * the backend.
 */
#include "mpt_core.h"

mpt_noinline int mpt_upcall_trap(mpt_trap_fn fn, struct mpt_vdev *vdev,
				 u64 offset, void *data, unsigned int len,
				 bool is_write, void *opaque)
{
	return fn(vdev, offset, data, len, is_write, opaque);
}

mpt_noinline void mpt_upcall_pvinfo_notify(mpt_pvinfo_notify_fn fn,
					   struct mpt_vdev *vdev, u32 msg,
					   const u32 *payload)
{
	fn(vdev, msg, payload);
}

mpt_noinline void mpt_upcall_page_track(mpt_page_track_fn fn,
					struct mpt_vdev *vdev, u64 gpa,
					const void *data, unsigned int len,
					void *opaque)
{
	fn(vdev, gpa, data, len, opaque);
}
