/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mgpu internals: the instance state and what its files tell each other.
 *
 * One file per concept, as GVT-g splits its vGPU:
 *
 *   mgpu_main.c     device type, lifecycle ops, host API
 *   mgpu_golden.c   power-on register values from a golden-state blob
 *   mgpu_regs.c     the register file (MMIO traps, RO/RW/W1C, CTRL.RESET,
 *                   DOORBELL), interrupts
 *   mgpu_failsafe.c the state a misbehaving guest is put in
 *   mgpu_spte.c     one shadow page-table entry: a pinned page or scratch
 *   mgpu_ggtt.c     the global GTT: guest entries and their shadow
 *   mgpu_ppgtt.c    the per-process GTT: write-tracked shadow of guest tables
 *   mgpu_mem.c      device accesses to graphics addresses through a table
 *   mgpu_ring.c     ring registers and submissions
 *   mgpu_scanner.c  validation of a whole submission before it runs
 *   mgpu_exec.c     execution of a validated submission
 *   mgpu_display.c  the display plane, snapshots, display notifications
 *
 * Locking: struct mgpu.lock (GVT-g's vgpu_lock) covers everything in struct
 * mgpu below it.  Every guest-facing entry (register, GGTT and doorbell
 * traps, the page-track handler, info-page notifications) and every
 * lifecycle op takes it; helpers named *_locked or documented "lock held"
 * expect it.  It is taken before any core lock (DMA cache, page tracking,
 * the backend's), and the core calls into mgpu without its own locks held,
 * so the order is fixed.  Counters in @stats are written under the lock
 * and read without it (single-word reads; a snapshot may mix moments).
 */
#ifndef MGPU_PRIV_H
#define MGPU_PRIV_H

#include <mpt/mpt.h>
#include <mpt_os.h>

#include "mgpu.h"
#include "mgpu_hw.h"

#define MGPU_NR_REGS (MGPU_REGS_SIZE / 4)
#define MGPU_REG(mg, off) ((mg)->regs[(off) / 4])

/* A shadow entry without a page: the scratch page (reads 0, writes dropped). */
#define MGPU_GFN_SCRATCH (~0ULL)

/* Ring sizes the device accepts. */
#define MGPU_RING_MIN (4u << 10)
#define MGPU_RING_MAX (64u << 10)

/* Longest command, in dwords (BLIT). */
#define MGPU_CMD_MAX_DW 6

/* The rectangle dword of FILL and BLIT: width | height << 16. */
#define MGPU_RECT_WIDTH(wh) ((wh) & 0xffff)
#define MGPU_RECT_HEIGHT(wh) ((wh) >> 16)

/* Bytes the device moves per guest-memory call at most (FILL, BLIT). */
#define MGPU_XFER_SIZE (64u << 10)

#define MGPU_SPT_HASH 64

/**
 * struct mgpu_spte - shadow of one page-table entry
 * @gfn: the guest page the entry maps, or MGPU_GFN_SCRATCH
 * @dma: bus address of the page, pinned with mpt_dma_map(), when @gfn is
 *	not MGPU_GFN_SCRATCH
 */
struct mgpu_spte {
	u64 gfn;
	u64 dma;
};

/**
 * struct mgpu_ggtt - the global GTT
 * @gentry: the guest's entries, as written (what the guest reads back)
 * @shadow: what the device uses
 */
struct mgpu_ggtt {
	u64 *gentry;
	struct mgpu_spte *shadow;
};

/**
 * struct mgpu_spt - shadow of one guest page table (PPGTT second level)
 * @gfn: the guest page holding the table
 * @refs: directory entries pointing at it (shared tables are shadowed once)
 * @next: hash chain
 * @gentry: the guest's entries, kept current by write-tracking
 * @shadow: what the device uses
 */
struct mgpu_spt {
	u64 gfn;
	unsigned int refs;
	struct mgpu_spt *next;
	u64 gentry[MGPU_PT_ENTRIES];
	struct mgpu_spte shadow[MGPU_PT_ENTRIES];
};

/**
 * struct mgpu_ppgtt - shadow of the guest's per-process page table
 * @bound: the directory page is tracked and shadowed
 * @pd_gfn: guest page of the directory, when @bound
 * @nr_spt: page tables shadowed
 * @pde: the guest's directory entries, kept current by write-tracking
 * @pt: shadow table of each directory entry, NULL when unmapped
 * @hash: shadow tables by guest page
 */
struct mgpu_ppgtt {
	bool bound;
	u64 pd_gfn;
	unsigned int nr_spt;
	u64 pde[MGPU_PT_ENTRIES];
	struct mgpu_spt *pt[MGPU_PT_ENTRIES];
	struct mgpu_spt *hash[MGPU_SPT_HASH];
};

/* Graphics address spaces: which table translates. */
enum mgpu_as {
	MGPU_AS_GGTT,
	MGPU_AS_PPGTT,
};

/* One validated command, copied out of guest memory by the scanner. */
struct mgpu_cmd {
	u32 dw[MGPU_CMD_MAX_DW];
};

/* The scanner's view of one batch level: the page it is reading. */
struct mgpu_scan_level {
	u64 ga;
	u64 page_ga;
	u32 page[MPT_PAGE_SIZE / 4];
};

enum mgpu_failsafe_reason {
	MGPU_FAILSAFE_PRIVILEGED,
	MGPU_FAILSAFE_PVINFO,
	MGPU_FAILSAFE_RESOURCE,
};

/**
 * struct mgpu - an mgpu instance
 * @vdev: the core's part, first
 * @lock: the instance lock; covers every field below but @stats
 * @regs: the register file, by offset / 4
 * @golden: power-on values of @regs, from the golden blob
 * @live: activated: shadows hold pinned pages and tracked tables
 * @failsafe: submissions are ignored until reset
 * @display_ready: the guest reported its display ready with the plane on
 * @pvinfo_rsvd_seen: info-page reserved writes already accounted for
 * @ggtt: global GTT
 * @ppgtt: per-process GTT
 * @cmds: the submission being run, validated and copied (MGPU_MAX_CMDS)
 * @nr_cmds: entries in @cmds
 * @ring_copy: the submission's ring bytes (MGPU_RING_MAX)
 * @scan: batch levels of the scanner
 * @xfer: transfer buffer of MGPU_XFER_SIZE + 4 bytes (fill pattern, blit)
 * @xfer_color: colour @xfer holds
 * @xfer_filled: bytes of @xfer holding @xfer_color, 0 when none
 * @gpa_errors: guest-memory accesses the backend refused during execution
 * @stats: counters
 */
struct mgpu {
	struct mpt_vdev vdev;
	struct mpt_mutex lock;
	u32 regs[MGPU_NR_REGS];
	u32 golden[MGPU_NR_REGS];
	bool live;
	bool failsafe;
	bool display_ready;
	u64 pvinfo_rsvd_seen;
	struct mgpu_ggtt ggtt;
	struct mgpu_ppgtt ppgtt;
	struct mgpu_cmd *cmds;
	unsigned int nr_cmds;
	u32 *ring_copy;
	struct mgpu_scan_level scan[MGPU_MAX_BATCH_DEPTH];
	u8 *xfer;
	u32 xfer_color;
	u32 xfer_filled;
	u64 gpa_errors;
	struct mgpu_stats stats;
};

static inline struct mgpu *to_mgpu(struct mpt_vdev *vdev)
{
	return mpt_container_of(vdev, struct mgpu, vdev);
}

/* mgpu_main.c */
bool mgpu_is_mgpu(const struct mpt_vdev *vdev);
void mgpu_device_reset_locked(struct mgpu *mg);

/* mgpu_golden.c */
int mgpu_golden_init(struct mgpu *mg);
void mgpu_golden_override(const void *blob, size_t len);
extern const u8 mgpu_golden_blob[];
extern const u32 mgpu_golden_blob_len;

/* mgpu_regs.c */
int mgpu_regs_init(struct mgpu *mg);
void mgpu_irq_locked(struct mgpu *mg, u32 bits);

/* mgpu_failsafe.c */
void mgpu_failsafe_enter(struct mgpu *mg, enum mgpu_failsafe_reason why);
void mgpu_failsafe_poll(struct mgpu *mg);
bool mgpu_failsafe_pending(struct mgpu *mg);
void mgpu_failsafe_reset(struct mgpu *mg);

/* mgpu_spte.c */
void mgpu_spte_set(struct mgpu *mg, struct mgpu_spte *e, u64 entry);
void mgpu_spte_clear(struct mgpu *mg, struct mgpu_spte *e);
void mgpu_spte_forget(struct mgpu_spte *e, u64 gfn, u64 nr);

/* mgpu_ggtt.c */
int mgpu_ggtt_init(struct mgpu *mg);
void mgpu_ggtt_free(struct mgpu *mg);
void mgpu_ggtt_pin_all(struct mgpu *mg);
void mgpu_ggtt_unpin_all(struct mgpu *mg);
void mgpu_ggtt_reset(struct mgpu *mg);
void mgpu_ggtt_forget(struct mgpu *mg, u64 gfn, u64 nr);
bool mgpu_ggtt_lookup(struct mgpu *mg, u64 ga, u64 *gfn);

/* mgpu_ppgtt.c */
void mgpu_ppgtt_bind(struct mgpu *mg);
void mgpu_ppgtt_unbind(struct mgpu *mg);
void mgpu_ppgtt_forget(struct mgpu *mg, u64 gfn, u64 nr);
bool mgpu_ppgtt_lookup(struct mgpu *mg, u64 ga, u64 *gfn);
void mgpu_ppgtt_device_write(struct mgpu *mg, u64 gpa, const u8 *data,
			     u64 len);

/* mgpu_mem.c */
bool mgpu_mem_mapped(struct mgpu *mg, enum mgpu_as as, u64 ga, u64 len);
bool mgpu_mem_rect_mapped(struct mgpu *mg, enum mgpu_as as, u64 ga,
			  u32 stride, u32 width, u32 height);
int mgpu_mem_read(struct mgpu *mg, enum mgpu_as as, u64 ga, void *buf,
		  u64 len);
void mgpu_mem_write(struct mgpu *mg, enum mgpu_as as, u64 ga,
		    const void *buf, u64 len);
void mgpu_mem_fill(struct mgpu *mg, enum mgpu_as as, u64 ga, u64 len,
		   u32 color);
void mgpu_mem_copy(struct mgpu *mg, enum mgpu_as as, u64 dst, u64 src,
		   u64 len);

/* mgpu_ring.c */
void mgpu_ring_reg_write(struct mgpu *mg, u32 offset, u32 val);
void mgpu_ring_doorbell(struct mgpu *mg);

/* mgpu_scanner.c */
int mgpu_scan(struct mgpu *mg, enum mgpu_as as, const u32 *ring, u32 nr_dw,
	      u32 *nr_cmds);

/* mgpu_exec.c */
void mgpu_exec(struct mgpu *mg, enum mgpu_as as);

/* mgpu_display.c */
void mgpu_display_reg_write(struct mgpu *mg, u32 offset, u32 val);
void mgpu_display_notify(struct mpt_vdev *vdev, u32 msg, const u32 *payload);
int mgpu_read_plane(struct mpt_vdev *vdev, struct mpt_plane *plane,
		    u32 *pixels, size_t max);

/*
 * For tests: the shadow of a GGTT entry or of a PPGTT address.  Return
 * true with @gfn and @dma set when mapped, false for scratch.
 */
bool mgpu_debug_ggtt_shadow(struct mpt_vdev *vdev, u32 index, u64 *gfn,
			    u64 *dma);
bool mgpu_debug_ppgtt_shadow(struct mpt_vdev *vdev, u64 ga, u64 *gfn,
			     u64 *dma);

#endif /* MGPU_PRIV_H */
