// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Non-overlapping ranges in a sorted array: binary search with a last-hit
 * hint for lookups, memmove for the rare insertions and removals.
 */
#include "mpt_core.h"

static bool contains(const struct mpt_range *r, u64 addr)
{
	return addr - r->start < r->len;
}

/* Index of the first range whose start is greater than @addr. */
static unsigned int upper_bound(const struct mpt_range_map *map, u64 addr)
{
	unsigned int lo = 0, hi = map->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (map->ranges[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct mpt_range *mpt_range_map_lookup(struct mpt_range_map *map,
					     u64 addr)
{
	unsigned int hint = MPT_READ_ONCE(map->hint), i;

	if (mpt_likely(hint < map->nr && contains(&map->ranges[hint], addr)))
		return &map->ranges[hint];
	i = upper_bound(map, addr);
	if (i == 0 || !contains(&map->ranges[i - 1], addr))
		return NULL;
	MPT_WRITE_ONCE(map->hint, i - 1);
	return &map->ranges[i - 1];
}
MPT_EXPORT(mpt_range_map_lookup);

const struct mpt_range *mpt_range_map_next(struct mpt_range_map *map, u64 addr)
{
	unsigned int i = upper_bound(map, addr);

	return i < map->nr ? &map->ranges[i] : NULL;
}
MPT_EXPORT(mpt_range_map_next);

static int make_room(struct mpt_range_map *map)
{
	return mpt_array_reserve((void **)&map->ranges, map->nr, &map->capacity,
				 sizeof(*map->ranges), 8);
}

static bool overlaps(const struct mpt_range *a, const struct mpt_range *b)
{
	return a->start <= b->start + (b->len - 1) &&
	       b->start <= a->start + (a->len - 1);
}

/* The neighbour of slot @i that @range collides with, or NULL. */
static const struct mpt_range *collision(const struct mpt_range_map *map,
					 unsigned int i,
					 const struct mpt_range *range)
{
	if (i > 0 && overlaps(&map->ranges[i - 1], range))
		return &map->ranges[i - 1];
	if (i < map->nr && overlaps(&map->ranges[i], range))
		return &map->ranges[i];
	return NULL;
}

int mpt_range_map_insert(struct mpt_range_map *map,
			 const struct mpt_range *range)
{
	const struct mpt_range *other;
	unsigned int i;
	int ret;

	if (!range->len || range->start + (range->len - 1) < range->start)
		return -EINVAL;
	i = upper_bound(map, range->start);
	other = collision(map, i, range);
	if (other) {
		mpt_err("range [0x%llx, 0x%llx) overlaps [0x%llx, 0x%llx)",
			(unsigned long long)range->start,
			(unsigned long long)(range->start + range->len),
			(unsigned long long)other->start,
			(unsigned long long)(other->start + other->len));
		return -EEXIST;
	}
	ret = make_room(map);
	if (ret)
		return ret;
	memmove(&map->ranges[i + 1], &map->ranges[i],
		(map->nr - i) * sizeof(*range));
	map->ranges[i] = *range;
	map->nr++;
	return 0;
}
MPT_EXPORT(mpt_range_map_insert);

int mpt_range_map_remove(struct mpt_range_map *map, u64 start)
{
	unsigned int i = upper_bound(map, start);

	if (i == 0 || map->ranges[i - 1].start != start)
		return -ENOENT;
	i--;
	memmove(&map->ranges[i], &map->ranges[i + 1],
		(map->nr - i - 1) * sizeof(*map->ranges));
	map->nr--;
	MPT_WRITE_ONCE(map->hint, 0);
	return 0;
}
MPT_EXPORT(mpt_range_map_remove);

void mpt_range_map_destroy(struct mpt_range_map *map)
{
	mpt_free(map->ranges);
	memset(map, 0, sizeof(*map));
}
MPT_EXPORT(mpt_range_map_destroy);
