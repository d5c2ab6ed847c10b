/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * A per-process GTT built by the guest: a directory page of 512 entries,
 * each naming a page table of 512 entries, spanning MGPU_PPGTT_SPAN.
 * Bound through CTX_PD, the device shadows and write-tracks it, so
 * entries may be changed in place while it is in use.
 */
#ifndef GUEST_MGPU_PPGTT_H
#define GUEST_MGPU_PPGTT_H

#include <stdint.h>

#include "mgpu/mgpu.h"

struct mgpu_ppgtt {
	volatile uint64_t *pd;
	volatile uint64_t *pt[MGPU_PT_ENTRIES]; /* NULL until needed */
};

/* Allocate the directory: 0 or -ENOMEM. */
int mgpu_ppgtt_init(struct mgpu_ppgtt *pp);

/* Map @n pages from @gpa at @ga (page tables allocated as needed). */
int mgpu_ppgtt_map(struct mgpu_ppgtt *pp, uint32_t ga, uint32_t gpa,
		   uint32_t n);

/* Map a buffer object at its GGTT address. */
int mgpu_ppgtt_mirror(struct mgpu_ppgtt *pp, const struct mgpu_bo *bo);

/* The entry for @ga (its page table must exist), and a raw write of it. */
volatile uint64_t *mgpu_ppgtt_pte(struct mgpu_ppgtt *pp, uint32_t ga);
void mgpu_ppgtt_set(struct mgpu_ppgtt *pp, uint32_t ga, uint64_t entry);

/* Point the directory entry covering @ga at @table (a page of entries). */
void mgpu_ppgtt_set_table(struct mgpu_ppgtt *pp, uint32_t ga,
			  volatile uint64_t *table);

/*
 * mgpu_ppgtt_bind() - make @pp the context's table (CTX_PD), after
 * mapping the status page at its GGTT address so submissions can still
 * store their seqno; NULL unbinds.
 */
int mgpu_ppgtt_bind(struct mgpu *g, struct mgpu_ppgtt *pp);

#endif /* GUEST_MGPU_PPGTT_H */
