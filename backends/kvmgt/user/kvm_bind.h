/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Static binding of the KVM backend (see mpt/mpt_dispatch.h).
 *
 * The backend implements every op (map_frames with an extra memslot per
 * mapping), so nothing maps to the core's defaults.
 */
#ifndef MPT_KVM_BIND_H
#define MPT_KVM_BIND_H
#endif
