/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Growing arrays for small tables (the core's range maps and frame
 * mappings, a backend's tables).  Part of the port layer: each port's
 * mpt_os.h includes it after defining mpt_zalloc_array() and mpt_free(),
 * so backends get it without reaching into core internals.
 */
#ifndef MPT_ARRAY_H
#define MPT_ARRAY_H

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
