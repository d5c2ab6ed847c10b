/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * A map of non-overlapping address ranges with O(log n) lookup.
 *
 * The core keeps one per BAR for the device model's trap handlers, and
 * backends use one per guest address space to route exits to instances
 * (the areas claimed through the claim_trap_area op).  A sorted array with a
 * binary search and a last-hit hint: lookups are far more frequent than
 * changes, and consecutive exits usually hit the same range.
 *
 * Locking: the map has none.  Changes must be serialised against each
 * other and against lookups by the user (the core freezes its per-BAR maps
 * while an instance is ACTIVE; a backend holds its own lock).
 */
#ifndef MPT_RANGE_MAP_H
#define MPT_RANGE_MAP_H

#include <mpt/types.h>

/**
 * struct mpt_range - one entry of a range map
 * @start: first address
 * @len: length in bytes, at least 1
 * @data: user data (the core stores the handler here)
 * @opaque: more user data
 * @flags: user flags
 */
struct mpt_range {
	u64 start;
	u64 len;
	void *data;
	void *opaque;
	u32 flags;
};

/**
 * struct mpt_range_map - a set of non-overlapping ranges
 * @ranges: entries sorted by start
 * @nr: number of entries
 * @capacity: allocated entries
 * @hint: index of the last entry a lookup hit
 *
 * Zero-initialise it; mpt_range_map_destroy() frees it.
 */
struct mpt_range_map {
	struct mpt_range *ranges;
	unsigned int nr;
	unsigned int capacity;
	unsigned int hint;
};

/**
 * mpt_range_map_insert() - add a range
 * @map: the map
 * @range: the entry to copy in
 *
 * Context: process context, may allocate.
 * Return: 0; -EINVAL for an empty or wrapping range; -EEXIST if it
 * overlaps an entry (logged with both ranges); -ENOMEM.
 */
MPT_API int __must_check mpt_range_map_insert(struct mpt_range_map *map,
					      const struct mpt_range *range);

/**
 * mpt_range_map_remove() - remove the range starting at an address
 * @map: the map
 * @start: the range's start
 *
 * Context: any.
 * Return: 0, or -ENOENT.
 */
MPT_API int mpt_range_map_remove(struct mpt_range_map *map, u64 start);

/**
 * mpt_range_map_lookup() - find the range containing an address
 * @map: the map
 * @addr: the address
 *
 * Context: any; lock-free against other lookups.
 * Return: the entry, valid until the map next changes, or NULL.
 */
MPT_API const struct mpt_range *
mpt_range_map_lookup(struct mpt_range_map *map, u64 addr);

/**
 * mpt_range_map_next() - the first range starting after an address
 * @map: the map
 * @addr: the address
 *
 * Tells where a gap that contains @addr ends.
 *
 * Context: any; lock-free against other lookups.
 * Return: the entry, valid until the map next changes, or NULL.
 */
MPT_API const struct mpt_range *mpt_range_map_next(struct mpt_range_map *map,
						   u64 addr);

/**
 * mpt_range_map_destroy() - free a map's memory
 * @map: the map; empty and reusable afterwards
 *
 * Context: any.
 */
MPT_API void mpt_range_map_destroy(struct mpt_range_map *map);

#endif /* MPT_RANGE_MAP_H */
