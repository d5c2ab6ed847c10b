/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Static binding of the sim backend (see mpt/mpt_dispatch.h).
 *
 * The sim implements every op, so nothing maps to the core's defaults.  A
 * backend lacking an optional op names the default here, for example:
 *	#define mpt_xyz_map_frames mpt_default_map_frames
 */
#ifndef MPT_SIM_BIND_H
#define MPT_SIM_BIND_H
#endif
