/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * A chained hash table keyed by u64 (gfns, DMA addresses), growing as it
 * fills so lookups stay O(1).  Intrusive: entries embed struct mpt_hnode.
 * No locking: users hold their own lock.
 */
#ifndef MPT_HASH_H
#define MPT_HASH_H

#include <mpt/types.h>

struct mpt_hnode {
	struct mpt_hnode *next;
	u64 key;
};

struct mpt_htable {
	struct mpt_hnode **buckets;
	unsigned int bits;
	unsigned int count;
};

int mpt_htable_init(struct mpt_htable *t, unsigned int bits);
void mpt_htable_destroy(struct mpt_htable *t);
/* Never fails: when growing is impossible the chains just get longer. */
void mpt_htable_add(struct mpt_htable *t, struct mpt_hnode *node, u64 key);
void mpt_htable_del(struct mpt_htable *t, struct mpt_hnode *node);
/* The first entry with @key, or NULL; mpt_htable_next() for the others. */
struct mpt_hnode *mpt_htable_find(const struct mpt_htable *t, u64 key);
struct mpt_hnode *mpt_htable_next(const struct mpt_hnode *node);

/*
 * Walk every entry; @node may be deleted by the body (it is read before).
 * The body may not add entries.
 */
#define mpt_htable_for_each_safe(t, i, node, tmp)                        \
	for ((i) = 0; (t)->buckets && (i) < (1U << (t)->bits); (i)++)    \
		for ((node) = (t)->buckets[i], (tmp) = (node) ? (node)->next \
							       : NULL;       \
		     (node);                                                 \
		     (node) = (tmp), (tmp) = (node) ? (node)->next : NULL)

#endif /* MPT_HASH_H */
