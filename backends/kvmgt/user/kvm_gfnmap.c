// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A u64 -> u32 map for per-page bookkeeping (tracked pages, DMA pins).
 *
 * Open addressing with linear probing and backward-shift deletion, so there
 * are no tombstones and a lookup stops at the first empty bucket.  Grows at
 * half load.  Tracking 10000 pages costs 10000 buckets of 12 bytes each.
 */
#include "kvm_priv.h"

#define EMPTY (~0ULL)

static u32 home(u64 key, u32 cap)
{
	return (u32)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}

static int find(const struct kvm_gfnmap *m, u64 key)
{
	u32 i;

	if (!m->cap)
		return -1;
	for (i = home(key, m->cap); m->keys[i] != EMPTY;
	     i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return (int)i;
	return -1;
}

u32 kvm_gfnmap_get(const struct kvm_gfnmap *m, u64 key)
{
	int i = find(m, key);

	return i < 0 ? 0 : m->vals[i];
}

static void put(u64 *keys, u32 *vals, u32 cap, u64 key, u32 val)
{
	u32 i;

	for (i = home(key, cap); keys[i] != EMPTY; i = (i + 1) & (cap - 1))
		;
	keys[i] = key;
	vals[i] = val;
}

static int grow(struct kvm_gfnmap *m)
{
	u32 cap = m->cap ? m->cap * 2 : 64, i;
	u64 *keys = mpt_zalloc_array(cap, sizeof(*keys));
	u32 *vals = mpt_zalloc_array(cap, sizeof(*vals));

	if (!keys || !vals || !cap) {
		mpt_free(keys);
		mpt_free(vals);
		return -ENOMEM;
	}
	memset(keys, 0xff, cap * sizeof(*keys));
	for (i = 0; i < m->cap; i++)
		if (m->keys[i] != EMPTY)
			put(keys, vals, cap, m->keys[i], m->vals[i]);
	mpt_free(m->keys);
	mpt_free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

/* Remove bucket @i, moving later entries of its probe run back. */
static void remove_at(struct kvm_gfnmap *m, u32 i)
{
	u32 mask = m->cap - 1, j = i, k;

	for (;;) {
		j = (j + 1) & mask;
		if (m->keys[j] == EMPTY)
			break;
		k = home(m->keys[j], m->cap);
		/* Entry j may move to i unless its home lies in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->keys[i] = m->keys[j];
		m->vals[i] = m->vals[j];
		i = j;
	}
	m->keys[i] = EMPTY;
	m->nr--;
}

int kvm_gfnmap_set(struct kvm_gfnmap *m, u64 key, u32 val)
{
	int i = find(m, key);

	if (i >= 0) {
		if (val)
			m->vals[i] = val;
		else
			remove_at(m, (u32)i);
		return 0;
	}
	if (!val)
		return 0;
	if ((m->nr + 1) * 2 > m->cap && grow(m))
		return -ENOMEM;
	put(m->keys, m->vals, m->cap, key, val);
	m->nr++;
	return 0;
}

void kvm_gfnmap_for_each(const struct kvm_gfnmap *m,
			 void (*fn)(void *arg, u64 key, u32 val), void *arg)
{
	u32 i;

	for (i = 0; i < m->cap; i++)
		if (m->keys[i] != EMPTY)
			fn(arg, m->keys[i], m->vals[i]);
}

void kvm_gfnmap_free(struct kvm_gfnmap *m)
{
	mpt_free(m->keys);
	mpt_free(m->vals);
	memset(m, 0, sizeof(*m));
}
