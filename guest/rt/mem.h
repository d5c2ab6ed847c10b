/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Guest RAM: a bump allocator of zeroed pages over the RAM that the start
 * info's memory map shows above the image.  Nothing is ever freed.
 * Paging is off, so a page's address is its guest-physical address.
 */
#ifndef RT_MEM_H
#define RT_MEM_H

#include <stdint.h>

struct hvm_start_info;

/* Return: 0, or -EINVAL when the map has no usable RAM above the image. */
int mem_init(const struct hvm_start_info *si);

/* @n zeroed, contiguous pages, or NULL when RAM is exhausted. */
void *page_alloc(uint32_t n);

/* Pages page_alloc() can still give. */
uint32_t mem_free_pages(void);

/* The end of the highest RAM region in the map: the first guest-physical
 * address with no RAM above it. */
uint64_t mem_ram_end(void);

/* Whether [gpa, gpa + len) is RAM in the map. */
int mem_is_ram(uint64_t gpa, uint64_t len);

static inline uint32_t virt_to_phys(const volatile void *p)
{
	return (uint32_t)(uintptr_t)p;
}

#endif /* RT_MEM_H */
