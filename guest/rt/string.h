/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Memory and string helpers.  The compiler may emit calls to memset,
 * memcpy and memmove on its own, so these are the real symbols.
 */
#ifndef RT_STRING_H
#define RT_STRING_H

#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Fill @n 32-bit words with @v (pixels, page tables). */
void memset32(uint32_t *dst, uint32_t v, size_t n);

/* The index of the first of @n dwords that differ, or @n if none do. */
size_t memdiff32(const uint32_t *a, const uint32_t *b, size_t n);

#endif /* RT_STRING_H */
