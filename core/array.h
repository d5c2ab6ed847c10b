/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Growing arrays for the core's small tables (range maps, frame mappings).
 */
#ifndef MPT_ARRAY_H
#define MPT_ARRAY_H

#include <mpt_os.h>

/*
 * Make room for one more element in *@v, which holds @nr of *@cap elements
 * of @size bytes, doubling the capacity (from @first) when it is full.
 * Return: 0, or -ENOMEM with the array unchanged.
 */
static inline int mpt_array_reserve(void **v, unsigned int nr,
				    unsigned int *cap, size_t size,
				    unsigned int first)
{
	unsigned int n = *cap ? *cap * 2 : first;
	void *nv;

	if (nr < *cap)
		return 0;
	nv = mpt_zalloc_array(n, size);
	if (!nv)
		return -ENOMEM;
	if (nr)
		memcpy(nv, *v, nr * size);
	mpt_free(*v);
	*v = nv;
	*cap = n;
	return 0;
}

#endif /* MPT_ARRAY_H */
