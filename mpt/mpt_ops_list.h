/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The ops of struct mpt_backend_ops as lists, so that validation, default
 * filling and the static-binding check each name every op exactly once.
 */
#ifndef MPT_OPS_LIST_H
#define MPT_OPS_LIST_H

/* Ops every backend must implement. */
#define MPT_OPS_MANDATORY(X) \
	X(attach)            \
	X(detach)            \
	X(inject_msi)        \
	X(read_gpa)          \
	X(write_gpa)

/* Optional ops; absent ones get the core's default (mpt/defaults.c). */
#define MPT_OPS_OPTIONAL(X)  \
	X(enable_page_track) \
	X(disable_page_track) \
	X(gfn_to_pfn)        \
	X(dma_map)           \
	X(dma_unmap)         \
	X(is_valid_gfn)      \
	X(claim_trap_area)   \
	X(release_trap_area) \
	X(map_frames)        \
	X(unmap_frames)

/* Optional ops that only make sense together: (first, second). */
#define MPT_OPS_PAIRS(X)                             \
	X(enable_page_track, disable_page_track)     \
	X(dma_map, dma_unmap)                        \
	X(claim_trap_area, release_trap_area)        \
	X(map_frames, unmap_frames)

#endif /* MPT_OPS_LIST_H */
