// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The GGTT from the driver's side: entries written through BAR0, a bump
 * allocator over the GA range the info page gave us, buffer objects.
 */
#include "mgpu/mgpu.h"
#include "rt/err.h"
#include "rt/mem.h"

static uintptr_t entry_addr(const struct mgpu *g, uint32_t index)
{
	return g->mmio + MGPU_GGTT_OFFSET + (uintptr_t)index * 8;
}

/*
 * Two 4-byte writes, high half first: the device recomputes the shadow
 * after each, and with the high half already in place the low half (with
 * VALID) completes the entry in one step.
 */
void mgpu_ggtt_write(const struct mgpu *g, uint32_t index, uint64_t entry)
{
	uintptr_t a = entry_addr(g, index);

	mmio_write32(a + 4, (uint32_t)(entry >> 32));
	mmio_write32(a, (uint32_t)entry);
}

uint64_t mgpu_ggtt_read(const struct mgpu *g, uint32_t index)
{
	uintptr_t a = entry_addr(g, index);

	return mmio_read32(a) | (uint64_t)mmio_read32(a + 4) << 32;
}

uint32_t mgpu_ggtt_map(struct mgpu *g, uint32_t gpa, uint32_t n)
{
	uint64_t end = g->ggtt_base + g->ggtt_size;
	uint32_t ga = g->ggtt_next, i;

	if (!n || n > (end - ga) / 4096)
		return 0;
	for (i = 0; i < n; i++) {
		uint32_t idx = (ga >> 12) + i;

		g->ggtt_gpa[idx] = gpa + i * 4096;
		mgpu_ggtt_write(g, idx, (uint64_t)(gpa + i * 4096) |
						MGPU_PTE_VALID);
	}
	g->ggtt_next = ga + n * 4096;
	return ga;
}

int mgpu_bo_alloc(struct mgpu *g, struct mgpu_bo *bo, uint32_t bytes)
{
	uint32_t n = (bytes + 4095) / 4096;

	bo->cpu = page_alloc(n);
	if (!bo->cpu)
		return -ENOMEM;
	bo->size = n * 4096;
	bo->ga = mgpu_ggtt_map(g, virt_to_phys(bo->cpu), n);
	return bo->ga ? 0 : -ENOSPC;
}
