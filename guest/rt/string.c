// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * String instructions (rep stos, rep movs, repe cmps): the compiler cannot
 * turn them back into calls to these very functions, and where the host
 * emulates the guest's instructions (KVM without hardware virtualization
 * of 32-bit guests) one emulated string instruction costs far less than
 * the loop it replaces.
 */
#include "rt/string.h"

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	/* Dwords where possible: a quarter of the iterations, which matters
	 * where the host emulates the guest's instructions. */
	if (!(((uintptr_t)dst | n) & 3)) {
		uint32_t v = (uint8_t)c * 0x01010101u;

		n /= 4;
		__asm__ volatile("rep stosl" : "+D"(d), "+c"(n) : "a"(v)
				 : "memory");
		return dst;
	}
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

void memset32(uint32_t *dst, uint32_t v, size_t n)
{
	__asm__ volatile("rep stosl" : "+D"(dst), "+c"(n) : "a"(v) : "memory");
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	if (!(((uintptr_t)dst | (uintptr_t)src | n) & 3)) {
		n /= 4;
		__asm__ volatile("rep movsl"
				 : "+D"(d), "+S"(src), "+c"(n) : : "memory");
		return dst;
	}
	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	const unsigned char *s = src;
	unsigned char *d = dst;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with dst above src: copy backwards. */
	s += n - 1;
	d += n - 1;
	__asm__ volatile("std; rep movsb; cld"
			 : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	if (!n)
		return 0;
	__asm__ volatile("repe cmpsb"
			 : "+S"(x), "+D"(y), "+c"(n) : : "memory", "cc");
	/* Both point past the last byte compared: equal or the first
	 * difference. */
	return x[-1] == y[-1] ? 0 : x[-1] < y[-1] ? -1 : 1;
}

size_t memdiff32(const uint32_t *a, const uint32_t *b, size_t n)
{
	size_t left = n;

	if (!n)
		return 0;
	__asm__ volatile("repe cmpsl"
			 : "+S"(a), "+D"(b), "+c"(left) : : "memory", "cc");
	return a[-1] == b[-1] ? n : n - left - 1;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}
