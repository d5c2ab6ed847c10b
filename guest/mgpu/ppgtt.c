// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Building and editing a PPGTT.  Entries are written as two 32-bit
 * stores, the high half only when it changes and first, so an entry in a
 * live table turns from one valid mapping into another in one store that
 * the device's write-tracking sees whole.
 */
#include <stddef.h>

#include "mgpu/ppgtt.h"
#include "rt/err.h"
#include "rt/mem.h"

#define PDE_SHIFT 21

static void entry_write(volatile uint64_t *e, uint64_t v)
{
	volatile uint32_t *half = (volatile uint32_t *)e;

	if (half[1] != (uint32_t)(v >> 32))
		half[1] = (uint32_t)(v >> 32);
	half[0] = (uint32_t)v;
}

int mgpu_ppgtt_init(struct mgpu_ppgtt *pp)
{
	unsigned int i;

	for (i = 0; i < MGPU_PT_ENTRIES; i++)
		pp->pt[i] = NULL;
	pp->pd = page_alloc(1);
	return pp->pd ? 0 : -ENOMEM;
}

void mgpu_ppgtt_set_table(struct mgpu_ppgtt *pp, uint32_t ga,
			  volatile uint64_t *table)
{
	uint32_t i = ga >> PDE_SHIFT;

	pp->pt[i] = table;
	entry_write(&pp->pd[i], virt_to_phys(table) | MGPU_PTE_VALID);
}

static volatile uint64_t *table(struct mgpu_ppgtt *pp, uint32_t ga)
{
	uint32_t i = ga >> PDE_SHIFT;

	if (!pp->pt[i]) {
		volatile uint64_t *t = page_alloc(1);

		if (!t)
			return NULL;
		mgpu_ppgtt_set_table(pp, ga, t);
	}
	return pp->pt[i];
}

volatile uint64_t *mgpu_ppgtt_pte(struct mgpu_ppgtt *pp, uint32_t ga)
{
	volatile uint64_t *pt = table(pp, ga);

	return pt ? &pt[(ga >> 12) & (MGPU_PT_ENTRIES - 1)] : NULL;
}

void mgpu_ppgtt_set(struct mgpu_ppgtt *pp, uint32_t ga, uint64_t entry)
{
	volatile uint64_t *e = mgpu_ppgtt_pte(pp, ga);

	if (e)
		entry_write(e, entry);
}

int mgpu_ppgtt_map(struct mgpu_ppgtt *pp, uint32_t ga, uint32_t gpa,
		   uint32_t n)
{
	uint32_t i;

	if ((uint64_t)ga + (uint64_t)n * 4096 > MGPU_PPGTT_SPAN)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		volatile uint64_t *e = mgpu_ppgtt_pte(pp, ga + i * 4096);

		if (!e)
			return -ENOMEM;
		entry_write(e, (uint64_t)(gpa + i * 4096) | MGPU_PTE_VALID);
	}
	return 0;
}

int mgpu_ppgtt_mirror(struct mgpu_ppgtt *pp, const struct mgpu_bo *bo)
{
	return mgpu_ppgtt_map(pp, bo->ga, virt_to_phys(bo->cpu),
			      bo->size / 4096);
}

int mgpu_ppgtt_bind(struct mgpu *g, struct mgpu_ppgtt *pp)
{
	int r;

	if (!pp) {
		mgpu_write(g, MGPU_REG_CTX_PD, 0);
		g->ppgtt = NULL;
		return 0;
	}
	r = mgpu_ppgtt_mirror(pp, &g->status);
	if (r)
		return r;
	mgpu_write(g, MGPU_REG_CTX_PD, virt_to_phys(pp->pd));
	g->ppgtt = pp;
	return 0;
}
