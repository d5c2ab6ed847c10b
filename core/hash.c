// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The chained u64 hash table behind page tracking and the DMA cache.
 */
#include "mpt_core.h"

/* Fibonacci hashing: spreads consecutive gfns over all buckets. */
static unsigned int hash_key(u64 key, unsigned int bits)
{
	return (unsigned int)((key * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
}

int mpt_htable_init(struct mpt_htable *t, unsigned int bits)
{
	t->buckets = mpt_zalloc_array(1U << bits, sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	t->bits = bits;
	t->count = 0;
	return 0;
}

void mpt_htable_destroy(struct mpt_htable *t)
{
	mpt_free(t->buckets);
	t->buckets = NULL;
	t->count = 0;
}

static void insert(struct mpt_hnode **buckets, unsigned int bits,
		   struct mpt_hnode *node)
{
	struct mpt_hnode **head = &buckets[hash_key(node->key, bits)];

	node->next = *head;
	*head = node;
}

/* Double the buckets once the table holds more entries than buckets. */
static void grow(struct mpt_htable *t)
{
	unsigned int bits = t->bits + 1, i;
	struct mpt_hnode **nb, *node, *next;

	if (bits > 24)
		return;
	nb = mpt_zalloc_array(1U << bits, sizeof(*nb));
	if (!nb)
		return;
	for (i = 0; i < (1U << t->bits); i++) {
		for (node = t->buckets[i]; node; node = next) {
			next = node->next;
			insert(nb, bits, node);
		}
	}
	mpt_free(t->buckets);
	t->buckets = nb;
	t->bits = bits;
}

void mpt_htable_add(struct mpt_htable *t, struct mpt_hnode *node, u64 key)
{
	node->key = key;
	if (t->count >= (1U << t->bits))
		grow(t);
	insert(t->buckets, t->bits, node);
	t->count++;
}

void mpt_htable_del(struct mpt_htable *t, struct mpt_hnode *node)
{
	struct mpt_hnode **p = &t->buckets[hash_key(node->key, t->bits)];

	for (; *p; p = &(*p)->next) {
		if (*p == node) {
			*p = node->next;
			t->count--;
			return;
		}
	}
	mpt_warn_on(1);
}

static struct mpt_hnode *match(struct mpt_hnode *node, u64 key)
{
	while (node && node->key != key)
		node = node->next;
	return node;
}

struct mpt_hnode *mpt_htable_find(const struct mpt_htable *t, u64 key)
{
	if (!t->buckets)
		return NULL;
	return match(t->buckets[hash_key(key, t->bits)], key);
}

struct mpt_hnode *mpt_htable_next(const struct mpt_hnode *node)
{
	return match(node->next, node->key);
}
