// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The page allocator.  It keeps a copy of the memory map and hands out
 * pages from the largest stretch of RAM above everything the boot left
 * (the image, the start info and the map), below 4 GiB.
 */
#include <mptrun_abi.h>

#include "rt/err.h"
#include "rt/layout.h"
#include "rt/mem.h"
#include "rt/printf.h"
#include "rt/spinlock.h"
#include "rt/string.h"

#define MEMMAP_MAX 32
#define ADDR_LIMIT 0xfffff000ull /* paging off: 32-bit addresses */

extern char _end[];

static struct hvm_memmap_table_entry map[MEMMAP_MAX];
static uint32_t nr_map;
static uint32_t next, limit; /* [next, limit): free pages */
static struct spinlock lock = SPINLOCK_INIT;

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

int mem_is_ram(uint64_t gpa, uint64_t len)
{
	uint32_t i;

	for (i = 0; i < nr_map; i++)
		if (map[i].type == MPTRUN_MEMMAP_RAM && gpa >= map[i].addr &&
		    gpa + len <= map[i].addr + map[i].size)
			return 1;
	return 0;
}

uint64_t mem_ram_end(void)
{
	uint64_t end = 0;
	uint32_t i;

	for (i = 0; i < nr_map; i++)
		if (map[i].type == MPTRUN_MEMMAP_RAM)
			end = max64(end, map[i].addr + map[i].size);
	return end;
}

int mem_init(const struct hvm_start_info *si)
{
	uint64_t start = (uintptr_t)_end;
	uint64_t table = si->memmap_paddr;
	uint32_t i;

	nr_map = si->memmap_entries < MEMMAP_MAX ? si->memmap_entries :
						   MEMMAP_MAX;
	if (!table || table >= ADDR_LIMIT)
		nr_map = 0;
	memcpy(map, (const void *)(uintptr_t)table, nr_map * sizeof(map[0]));

	/* Skip whatever of the boot data lies above the image. */
	start = max64(start, (uintptr_t)si + sizeof(*si));
	if (nr_map)
		start = max64(start, table + nr_map * sizeof(map[0]));
	start = align_up(start, RT_PAGE_SIZE);

	for (i = 0; i < nr_map; i++) {
		uint64_t end = map[i].addr + map[i].size;
		uint64_t lo = align_up(max64(map[i].addr, start), RT_PAGE_SIZE);
		uint64_t hi = end & ~(RT_PAGE_SIZE - 1ull);

		if (map[i].type != MPTRUN_MEMMAP_RAM)
			continue;
		if (hi > ADDR_LIMIT)
			hi = ADDR_LIMIT;
		if (lo >= hi || hi - lo <= (uint64_t)limit - next)
			continue;
		next = (uint32_t)lo;
		limit = (uint32_t)hi;
	}
	return next < limit ? 0 : -EINVAL;
}

void *page_alloc(uint32_t n)
{
	uint32_t bytes = n * RT_PAGE_SIZE;
	void *p = NULL;

	spin_lock(&lock);
	if (n && n <= (limit - next) / RT_PAGE_SIZE) {
		p = (void *)(uintptr_t)next;
		next += bytes;
	}
	spin_unlock(&lock);
	if (p)
		memset(p, 0, bytes);
	return p;
}

uint32_t mem_free_pages(void)
{
	return (limit - next) / RT_PAGE_SIZE;
}
