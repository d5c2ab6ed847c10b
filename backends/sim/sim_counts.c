// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A small counted set for the sim's bookkeeping.  Linear: the sim is a test
 * vehicle, and a real backend keeps this state in the hypervisor anyway.
 */
#include "sim_priv.h"

static struct sim_count *find(const struct sim_counts *c, u64 key)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		if (c->v[i].key == key)
			return &c->v[i];
	return NULL;
}

int sim_counts_add(struct sim_counts *c, u64 key)
{
	struct sim_count *e = find(c, key), *v;

	if (e) {
		e->n++;
		return 0;
	}
	if (c->nr == c->cap) {
		unsigned int cap = c->cap ? c->cap * 2 : 16;

		v = mpt_zalloc_array(cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		if (c->nr)
			memcpy(v, c->v, c->nr * sizeof(*v));
		mpt_free(c->v);
		c->v = v;
		c->cap = cap;
	}
	c->v[c->nr++] = (struct sim_count){ key, 1 };
	return 0;
}

int sim_counts_sub(struct sim_counts *c, u64 key)
{
	struct sim_count *e = find(c, key);

	if (!e)
		return -1;
	if (--e->n)
		return (int)e->n;
	*e = c->v[--c->nr];
	return 0;
}

unsigned int sim_counts_get(const struct sim_counts *c, u64 key)
{
	const struct sim_count *e = find(c, key);

	return e ? e->n : 0;
}

void sim_counts_free(struct sim_counts *c)
{
	mpt_free(c->v);
	memset(c, 0, sizeof(*c));
}
