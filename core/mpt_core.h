/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The core's context header.  Core files include this and nothing from the
 * host: the port (os/user or os/kernel) supplies mpt_os.h.
 */
#ifndef MPT_CORE_H
#define MPT_CORE_H

#include <mpt_os.h>
#include <mpt/mpt.h>

#include "hash.h"
#include "mpt_dispatch.h"

/* ---- Registry (mpt/registry.c) ---- */

/*
 * A registered backend.  @ops is the backend's table with absent optional
 * ops replaced by the core's defaults, so dispatch never tests for NULL.
 */
struct mpt_backend {
	struct mpt_backend_ops ops;
	const struct mpt_backend_ops *orig;
	char name[32];
	void *priv;
	unsigned int nr_instances;
	struct mpt_backend *next;
};

/* A registered device type and the count of its live instances. */
struct mpt_type_entry {
	const struct mpt_vdev_type *type;
	unsigned int nr_instances;
	struct mpt_type_entry *next;
};

/* Take and give back an instance slot on a backend (mpt/registry.c). */
int mpt_backend_get(const char *name, struct mpt_backend **out);
void mpt_backend_put(struct mpt_backend *backend);

/* The same for a device type (core/type.c). */
int mpt_type_get(const char *name, struct mpt_type_entry **out);
void mpt_type_put(struct mpt_type_entry *entry);
u32 mpt_type_next_instance_id(void);

/* ---- Configuration space (core/cfg_space.c) ---- */

struct mpt_cfg_space {
	struct mpt_mutex lock; /* guest config accesses, BAR claims */
	u8 data[MPT_PCI_CFG_SIZE];
	u8 wmask[MPT_PCI_CFG_SIZE]; /* bits the guest may write */
	u8 w1cmask[MPT_PCI_CFG_SIZE]; /* bits a guest 1 clears */
	u8 reset_data[MPT_PCI_CFG_SIZE];
	u8 msi_cap; /* offsets of the capabilities, 0 if absent */
	u8 msix_cap;
	u8 cap_end; /* first byte after the core's capabilities */
	bool claimed[MPT_PCI_NR_BARS];
	struct mpt_trap_area area[MPT_PCI_NR_BARS];
};

/* ---- Interrupts (core/irq.c) ---- */

struct mpt_msix_entry {
	u32 addr_lo;
	u32 addr_hi;
	u32 data;
	u32 ctrl;
};

struct mpt_irq {
	struct mpt_spinlock lock; /* MSI cap bytes, MSI-X table and PBA */
	struct mpt_msix_entry *msix_table;
	u64 *msix_pba;
	unsigned int msix_nr;
};

/* ---- Page tracking (core/page_track.c) ---- */

struct mpt_page_tracks {
	struct mpt_mutex lock;
	struct mpt_htable pages;
};

/* ---- DMA cache (core/dma_cache.c) ---- */

struct mpt_dma_cache {
	struct mpt_mutex lock;
	struct mpt_htable by_gfn;
	struct mpt_htable by_addr;
};

/* ---- Pass-through frames (core/frames.c) ---- */

struct mpt_frame_range {
	u64 gfn;
	u64 nr;
};

struct mpt_frames {
	struct mpt_mutex lock;
	struct mpt_frame_range *v;
	unsigned int nr, cap;
};

struct mpt_pvinfo_state;

/* ---- The instance (core/instance.c) ---- */

struct mpt_instance {
	mpt_atomic_t refs;
	mpt_atomic_t state; /* enum mpt_vdev_state */
	mpt_atomic_t inflight; /* guest accesses being dispatched */
	struct mpt_mutex lock; /* serialises lifecycle transitions */
	struct mpt_type_entry *type_entry;
	struct mpt_backend *backend;
	const struct mpt_backend_ops *ops; /* == &backend->ops */
	void *handle; /* the backend's, while attached */
	struct mpt_cfg_space cfg;
	struct mpt_irq irq;
	struct mpt_range_map bar_traps[MPT_PCI_NR_BARS];
	struct mpt_page_tracks tracks;
	struct mpt_dma_cache dma;
	struct mpt_frames frames;
	struct mpt_pvinfo_state *pvinfo;
	struct mpt_vdev_stats stats;
	/* The device model's state starts here: must stay last. */
	struct mpt_vdev vdev __attribute__((aligned(16)));
};

static inline struct mpt_instance *to_inst(const struct mpt_vdev *vdev)
{
	return mpt_container_of(vdev, struct mpt_instance, vdev);
}

static inline enum mpt_vdev_state inst_state(const struct mpt_instance *inst)
{
	return (enum mpt_vdev_state)mpt_atomic_read(&inst->state);
}

/*
 * Guest accesses enter and leave an instance through these.  Entering
 * counts the access before checking the state; deactivation changes the
 * state before waiting for the count to drop, so with sequentially
 * consistent atomics no access can slip past a finished deactivation.
 */
static inline bool mpt_inst_enter(struct mpt_instance *inst)
{
	mpt_atomic_inc_return(&inst->inflight);
	if (mpt_likely(inst_state(inst) == MPT_VDEV_ACTIVE))
		return true;
	mpt_atomic_dec_return(&inst->inflight);
	mpt_stat_inc(&inst->stats.refused);
	return false;
}

static inline void mpt_inst_leave(struct mpt_instance *inst)
{
	mpt_atomic_dec_return(&inst->inflight);
}

/* The backend handle exists in these states. */
static inline bool inst_attached(const struct mpt_instance *inst)
{
	enum mpt_vdev_state s = inst_state(inst);

	return s == MPT_VDEV_ATTACHED || s == MPT_VDEV_ACTIVE ||
	       s == MPT_VDEV_RESETTING;
}

int mpt_cfg_init(struct mpt_instance *inst, const struct mpt_pci_desc *pci);
void mpt_cfg_destroy(struct mpt_instance *inst);
void mpt_cfg_reset(struct mpt_instance *inst);
void mpt_cfg_release_bars(struct mpt_instance *inst);

int mpt_irq_init(struct mpt_instance *inst, const struct mpt_pci_desc *pci);
void mpt_irq_destroy(struct mpt_instance *inst);
void mpt_irq_reset(struct mpt_instance *inst);
int mpt_irq_register_msix_traps(struct mpt_instance *inst);
/* Config bytes of the MSI or MSI-X capability changed: deliver unmasked. */
void mpt_irq_cfg_written(struct mpt_instance *inst, unsigned int offset,
			 unsigned int len);

void mpt_traps_destroy(struct mpt_instance *inst);

void mpt_tracks_init(struct mpt_instance *inst);
void mpt_tracks_release_all(struct mpt_instance *inst);
void mpt_tracks_destroy(struct mpt_instance *inst);

void mpt_dma_init(struct mpt_instance *inst);
void mpt_dma_release_all(struct mpt_instance *inst);
void mpt_dma_destroy(struct mpt_instance *inst);

void mpt_frames_init(struct mpt_instance *inst);
void mpt_frames_release_all(struct mpt_instance *inst);
void mpt_frames_destroy(struct mpt_instance *inst);

void mpt_pvinfo_reset(struct mpt_instance *inst);
void mpt_pvinfo_destroy(struct mpt_instance *inst);

/*
 * The only indirect calls of the fast path: into the device model's own
 * handlers, which a library cannot know at build time.  Kept out of line so
 * the fast-path check can find and count them (scripts/checks/fastpath.sh).
 */
int mpt_upcall_trap(mpt_trap_fn fn, struct mpt_vdev *vdev, u64 offset,
		    void *data, unsigned int len, bool is_write, void *opaque);
void mpt_upcall_pvinfo_notify(mpt_pvinfo_notify_fn fn, struct mpt_vdev *vdev,
			      u32 msg, const u32 *payload);
void mpt_upcall_page_track(mpt_page_track_fn fn, struct mpt_vdev *vdev,
			   u64 gpa, const void *data, unsigned int len,
			   void *opaque);

#endif /* MPT_CORE_H */
