// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * 64-bit division helpers.  div64_u32 is two DIVL instructions: the high
 * word first, then the remainder with the low word, whose quotient fits
 * in 32 bits because the remainder is below the divisor.
 */
#include <stddef.h>

#include "rt/div64.h"

static uint32_t divl(uint32_t hi, uint32_t lo, uint32_t d, uint32_t *rem)
{
	uint32_t q, r;

	__asm__("divl %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
	*rem = r;
	return q;
}

uint64_t div64_u32(uint64_t n, uint32_t d, uint32_t *rem)
{
	uint32_t hi = (uint32_t)(n >> 32), lo = (uint32_t)n;
	uint32_t qhi = 0, qlo, r = 0;

	if (hi >= d)
		qhi = divl(0, hi, d, &r);
	else
		r = hi;
	qlo = divl(r, lo, d, &r);
	if (rem)
		*rem = r;
	return (uint64_t)qhi << 32 | qlo;
}

uint64_t div64_u64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;
	int i;

	if (!(d >> 32)) {
		uint32_t r32;

		q = div64_u32(n, (uint32_t)d, &r32);
		if (rem)
			*rem = r32;
		return q;
	}
	for (i = 63; i >= 0; i--) {
		uint64_t carry = r >> 63; /* r < d, but 2r may not fit */

		r = r << 1 | ((n >> i) & 1);
		if (carry || r >= d) {
			r -= d;
			q |= 1ull << i;
		}
	}
	if (rem)
		*rem = r;
	return q;
}
