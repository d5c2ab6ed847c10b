/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The test world of the mgpu tests: the sim backend, a guest, one active
 * mgpu instance with BAR0 placed and MSI enabled, and a ring ready to use.
 *
 * Guest RAM: [0, 64 MiB), hole, [96 MiB, 128 MiB).
 * GGTT mappings made by mgx_setup() (GA -> GPA):
 *	ring    MGX_RING_GA  -> MGX_RING_GPA   (MGX_RING_SIZE bytes)
 *	tail    MGX_TAIL_GA  -> MGX_TAIL_GPA   (one page; TAIL_ADDR points here)
 *	seqno   MGX_SEQNO_GA -> MGX_SEQNO_GPA  (one page)
 *	batches MGX_BATCH_GA -> MGX_BATCH_GPA  (MGX_BATCH_PAGES pages)
 * Tests map more with mgx_map().  The guest plays its part through the
 * sim: MMIO with mpt_sim_guest_access(), memory with mpt_sim_guest_write()
 * (write-tracked, like a CPU store).
 */
#ifndef MGPU_FIXTURE_H
#define MGPU_FIXTURE_H

#include <mpt/mpt.h>
#include <mpt/sim.h>

#include "mgpu.h"
#include "mgpu_hw.h"
#include "mgpu_priv.h"

#define MGX_RAM0_SIZE (64ULL << 20)
#define MGX_HOLE_GPA MGX_RAM0_SIZE
#define MGX_RAM1_GPA (96ULL << 20)
#define MGX_RAM1_SIZE (32ULL << 20)
#define MGX_RAM_END (MGX_RAM1_GPA + MGX_RAM1_SIZE)

#define MGX_BAR0_GPA 0xe0000000ULL
#define MGX_MSI_ADDR 0xfee00000U
#define MGX_MSI_DATA 0x4041U

#define MGX_RING_GA 0x0U
#define MGX_RING_GPA 0x100000ULL
#define MGX_RING_SIZE 0x4000U
#define MGX_TAIL_GA 0x8000U
#define MGX_TAIL_GPA 0x110000ULL
#define MGX_SEQNO_GA 0x9000U
#define MGX_SEQNO_GPA 0x111000ULL
#define MGX_BATCH_GA 0x10000U
#define MGX_BATCH_GPA 0x120000ULL
#define MGX_BATCH_PAGES 16

/* A free GA area and a free RAM area for tests' own buffers. */
#define MGX_FREE_GA 0x100000U
#define MGX_FREE_GPA 0x1000000ULL

struct mgx {
	struct mpt_backend *be;
	struct mpt_sim_guest *g;
	struct mpt_vdev *vdev;
	u32 tail;
};

/* Build the world; bails out of the test program on failure. */
void mgx_setup(struct mgx *m);
/*
 * Tear it down: detach (reporting DMA mappings leaked by mgpu), destroy,
 * check the sim saw no contract violation, unregister everything.
 */
void mgx_teardown(struct mgx *m);
/* Only the registrations and the guest; no instance. */
void mgx_setup_bare(struct mgx *m);
void mgx_teardown_bare(struct mgx *m);
/* Create, attach, activate an instance and program BAR0 and MSI. */
int mgx_instance(struct mgx *m);
/* Program BAR0 and MSI again (after a function-level reset). */
void mgx_enable(struct mgx *m);

/* Registers, through the guest's BAR0 mapping. */
u32 mgx_rd(struct mgx *m, u32 off);
void mgx_wr(struct mgx *m, u32 off, u32 val);
int mgx_access(struct mgx *m, u64 off, void *data, unsigned int len,
	       bool is_write);

/* GGTT entries. */
void mgx_ggtt_set(struct mgx *m, u32 idx, u64 entry);
u64 mgx_ggtt_get(struct mgx *m, u32 idx);
void mgx_map(struct mgx *m, u64 ga, u64 gpa, u64 len);

/* Guest memory, as the guest's CPU. */
void mgx_poke(struct mgx *m, u64 gpa, const void *data, size_t len);
void mgx_peek(struct mgx *m, u64 gpa, void *buf, size_t len);
void mgx_poke32(struct mgx *m, u64 gpa, u32 v);
u32 mgx_peek32(struct mgx *m, u64 gpa);
void mgx_poke64(struct mgx *m, u64 gpa, u64 v);

/* The ring: write commands at the tail, then publish the tail. */
void mgx_emit(struct mgx *m, const u32 *dw, unsigned int n);
void mgx_kick(struct mgx *m);
void mgx_ring_reset(struct mgx *m);
/*
 * Emit, kick, and return the error of the submission: the ERROR register
 * if IRQ_STATUS.ERROR came up, else 0.  IRQ_STATUS is acknowledged.
 */
int mgx_run(struct mgx *m, const u32 *dw, unsigned int n);
/* The same through DOORBELL, delivered as a hypervisor would. */
int mgx_run_doorbell(struct mgx *m, const u32 *dw, unsigned int n);
/* Error from IRQ_STATUS/ERROR as mgx_run() reports it, acknowledged. */
int mgx_take_error(struct mgx *m);

unsigned int mgx_msis(struct mgx *m);
struct mgpu_stats mgx_stats(struct mgx *m);
struct mpt_vdev_stats mgx_core_stats(struct mgx *m);

/* Command builders: write one command at @p, return its length. */
unsigned int cmd_noop(u32 *p);
unsigned int cmd_fill(u32 *p, u32 dst, u32 stride, u32 w, u32 h, u32 color);
unsigned int cmd_blit(u32 *p, u32 dst, u32 dstride, u32 src, u32 sstride,
		      u32 w, u32 h);
unsigned int cmd_batch(u32 *p, u32 ga);
unsigned int cmd_batch_end(u32 *p);
unsigned int cmd_store(u32 *p, u32 ga, u32 value);
unsigned int cmd_irq(u32 *p);
unsigned int cmd_lri(u32 *p, u32 reg, u32 value);

#endif /* MGPU_FIXTURE_H */
