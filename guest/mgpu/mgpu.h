/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The guest driver of the mgpu reference device (samples/mgpu/mgpu_hw.h).
 *
 * Bring-up, in order (mgpu_init() does all of it):
 *   mgpu_find()        the index'th mgpu on the bus, BAR0 placed and
 *                      decoding, ID and VERSION checked
 *   mgpu_check_info()  the info page: magic, major version, caps, the
 *                      GGTT range this guest owns
 *   mgpu_setup_msi()   MSI capability -> LAPIC 0, @vector; IDT handler
 *   mgpu_start()       status page, ring, TAIL_ADDR, CTRL.IRQ_ENABLE
 *
 * Memory the device reaches is a buffer object: pages from the page
 * allocator mapped at consecutive GGTT addresses from the owned range.
 * GA page 0 of the range is never mapped, so a GA of 0 means "none".
 *
 * Submissions go through a command ring guarded by a spinlock (any CPU
 * may submit); each ends with a STORE_DWORD of a sequence number into the
 * status page, optionally an INTERRUPT, and is published by a RING_TAIL
 * write or by the tail in memory plus DOORBELL.  Completion is waited for
 * on the seqno, bounded by a TSC deadline.
 */
#ifndef GUEST_MGPU_H
#define GUEST_MGPU_H

#include <stdint.h>

#include <mgpu_hw.h>

#include "mgpu/cmd.h"
#include "rt/io.h"
#include "rt/pci.h"
#include "rt/spinlock.h"

/* Offsets in the status page. */
#define MGPU_STATUS_SEQNO 0x00 /* STORE_DWORD target of submissions */
#define MGPU_STATUS_TAIL 0x40 /* TAIL_ADDR: the tail DOORBELL reads */

/* Default ring size and completion timeout. */
#define MGPU_RING_DEFAULT (16u << 10)
#define MGPU_TIMEOUT_US 2000000u

/* mgpu_submit() flags. */
#define MGPU_SUBMIT_DOORBELL (1u << 0) /* publish by TAIL_ADDR + DOORBELL */
#define MGPU_SUBMIT_IRQ (1u << 1) /* end with INTERRUPT */
#define MGPU_SUBMIT_NO_SEQNO (1u << 2) /* the commands alone */

struct mgpu_bo {
	void *cpu; /* = its guest-physical address */
	uint32_t ga; /* first graphics address, 0: not mapped */
	uint32_t size; /* bytes, whole pages */
};

struct mgpu_ppgtt;

struct mgpu {
	unsigned int index; /* among the mgpus on the bus */
	struct pci_dev *pci;
	uintptr_t mmio; /* BAR0 */
	uint8_t vector;
	uint8_t msi_cap;
	uint32_t caps; /* info page */
	uint32_t instance_id; /* info page */
	uint64_t ggtt_base, ggtt_size; /* the GA range this guest owns */
	uint32_t ggtt_next; /* next free GA of the range */
	uint32_t *ggtt_gpa; /* per GGTT entry: what we mapped (restore) */
	const char *why; /* what the last failing step found */

	struct spinlock lock; /* the ring: tail, seqno, emission */
	struct mgpu_bo ring;
	uint32_t ring_size;
	uint32_t tail;
	uint32_t seqno; /* last issued */
	struct mgpu_bo status;
	struct mgpu_ppgtt *ppgtt; /* bound through CTX_PD, or NULL */

	volatile uint32_t irqs; /* MSIs handled */
	volatile uint32_t irq_bits; /* IRQ_STATUS bits seen, accumulated */
	volatile uint32_t irq_errors; /* MSIs with IRQ_STATUS.ERROR */
};

/* ---- registers --------------------------------------------------------- */

static inline uint32_t mgpu_read(const struct mgpu *g, uint32_t reg)
{
	return mmio_read32(g->mmio + reg);
}

static inline void mgpu_write(const struct mgpu *g, uint32_t reg, uint32_t v)
{
	mmio_write32(g->mmio + reg, v);
}

/* ---- bring-up (mgpu_dev.c) --------------------------------------------- */

int mgpu_find(struct mgpu *g, unsigned int index);
int mgpu_check_info(struct mgpu *g);
int mgpu_setup_msi(struct mgpu *g, uint8_t vector, uint8_t apic_id);
int mgpu_start(struct mgpu *g);

/* All four, printing what failed.  Return: 0 or a negative error. */
int mgpu_init(struct mgpu *g, unsigned int index, uint8_t vector);

/* Info-page accessors (32-bit reads of the BAR). */
uint32_t mgpu_info_read32(const struct mgpu *g, uint32_t off);
uint64_t mgpu_info_read64(const struct mgpu *g, uint32_t off);
void mgpu_info_write32(const struct mgpu *g, uint32_t off, uint32_t v);

/*
 * mgpu_reset() - CTRL.RESET, then program the device again from the
 * driver's state (GGTT entries, ring, TAIL_ADDR, IRQ_ENABLE); a bound
 * PPGTT is dropped.  mgpu_restore() is the second half alone.
 */
void mgpu_reset(struct mgpu *g);
void mgpu_restore(struct mgpu *g);

/* Tell the host the display is ready (G2V DISPLAY_READY, plane @on). */
void mgpu_notify_display_ready(const struct mgpu *g, int on);

/* ---- memory (mgpu_gtt.c) ----------------------------------------------- */

void mgpu_ggtt_write(const struct mgpu *g, uint32_t index, uint64_t entry);
uint64_t mgpu_ggtt_read(const struct mgpu *g, uint32_t index);

/* Map @n pages at @gpa at the next free GAs; returns the GA or 0. */
uint32_t mgpu_ggtt_map(struct mgpu *g, uint32_t gpa, uint32_t n);

/* Allocate and map a buffer of @bytes (rounded up to pages). */
int mgpu_bo_alloc(struct mgpu *g, struct mgpu_bo *bo, uint32_t bytes);

/* ---- the ring (mgpu_ring.c) -------------------------------------------- */

/* Program RING_BASE/SIZE (head and tail restart at 0) and TAIL_ADDR. */
void mgpu_ring_program(struct mgpu *g);

/*
 * mgpu_submit() - run @n dwords of commands
 * @flags: MGPU_SUBMIT_*
 *
 * Return: the seqno the submission stores (wait with mgpu_wait()), 0 with
 * MGPU_SUBMIT_NO_SEQNO, or -ENOSPC when the ring had no room in time.
 */
int64_t mgpu_submit(struct mgpu *g, const uint32_t *dw, uint32_t n,
		    unsigned int flags);

/* Wait until the status page holds @seqno or later: 0 or -ETIMEDOUT. */
int mgpu_wait(struct mgpu *g, uint32_t seqno, uint32_t timeout_us);

/* Submit and wait: 0, -ENOSPC or -ETIMEDOUT. */
int mgpu_run(struct mgpu *g, const uint32_t *dw, uint32_t n,
	     unsigned int flags);

/* Wait until RING_HEAD reaches the driver's tail: 0 or -ETIMEDOUT. */
int mgpu_wait_idle(struct mgpu *g, uint32_t timeout_us);

/* The last seqno the device stored. */
uint32_t mgpu_seqno_done(const struct mgpu *g);

/* ---- display (mgpu_display.c) ------------------------------------------ */

void mgpu_plane_show(const struct mgpu *g, uint32_t ga, uint32_t width,
		     uint32_t height, uint32_t stride);

#endif /* GUEST_MGPU_H */
