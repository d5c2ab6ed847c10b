/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Private state of the sim backend.
 *
 * Porting note: a real backend keeps the same split.  The guest object is
 * whatever names a VM on your hypervisor (a domid, a VM fd); the handle is
 * the per-instance state attach returns, and every op receives it.
 */
#ifndef MPT_SIM_PRIV_H
#define MPT_SIM_PRIV_H

#include <mpt_os.h>
#include <mpt/mpt.h>
#include <mpt/sim.h>

#define SIM_MAX_HANDLES 16

/* A multiset of u64 keys: pins per gfn, tracks per gfn. */
struct sim_counts {
	struct sim_count {
		u64 key;
		unsigned int n;
	} *v;
	unsigned int nr, cap;
};

/*
 * Adjacent regions share one host allocation (owned by the first of the
 * run), so memory that is contiguous for the guest is contiguous for the
 * host too, as in a VMM that maps guest RAM in one piece.
 */
struct sim_region {
	u64 gpa;
	u64 size;
	u8 *mem;
	bool owns_mem;
};

struct sim_handle {
	struct mpt_sim_guest *guest;
	struct mpt_vdev *vdev;
	struct sim_counts tracks; /* gfns this instance tracks */
	struct sim_counts pins; /* gfns this instance pinned */
	unsigned int claims;
	u64 frames;
};

/* Lock-free, because ops that must not sleep count calls too. */
struct sim_fault {
	mpt_atomic_t countdown;
	mpt_atomic_t calls;
	int err;
};

/* The MSI log keeps the newest entries; no allocation where we may not sleep. */
#define SIM_MSI_LOG 4096

struct mpt_sim_guest {
	/* Fixed at creation: read without locks. */
	struct sim_region regions[MPT_SIM_MAX_REGIONS];
	unsigned int nr_regions;
	struct sim_fault faults[MPT_SIM_NR_OPS];
	/* Interrupts may be injected where sleeping is forbidden. */
	struct mpt_spinlock msi_lock;
	struct { u64 addr; u32 data; } msi_log[SIM_MSI_LOG];
	unsigned int msi_nr; /* ever injected */
	struct mpt_mutex lock; /* everything below */
	struct sim_handle *handles[SIM_MAX_HANDLES];
	struct sim_counts tracks; /* all instances' tracks */
	struct sim_counts pins;
	struct mpt_range_map claimed[2]; /* by enum mpt_space */
	u64 frames_mapped;
	unsigned int violations;
};

int sim_counts_add(struct sim_counts *c, u64 key);
/* Returns the count left, or -1 if @key was not counted. */
int sim_counts_sub(struct sim_counts *c, u64 key);
unsigned int sim_counts_get(const struct sim_counts *c, u64 key);
void sim_counts_free(struct sim_counts *c);

/* Count a call of @op and return the injected error, if any.  Lock-free. */
int sim_fault(struct mpt_sim_guest *g, enum mpt_sim_op op);
void sim_violation(struct mpt_sim_guest *g, const char *what);

/* The gpa of @gfn, or false if @gfn lies beyond the address space. */
static inline bool sim_gfn_gpa(u64 gfn, u64 *gpa)
{
	if (gfn >= (1ULL << (64 - MPT_PAGE_SHIFT)))
		return false;
	*gpa = MPT_GFN_TO_GPA(gfn);
	return true;
}

/* The host address of guest memory, or NULL if not all of it is RAM. */
u8 *sim_hva(struct mpt_sim_guest *g, u64 gpa, u64 len);
bool sim_all_ram(struct mpt_sim_guest *g, u64 gpa, u64 len);
/* Copy between RAM and @buf; the range must be all RAM.  Lock held. */
void sim_copy_ram(struct mpt_sim_guest *g, u64 gpa, u8 *buf, size_t len,
		  bool to_guest);

/* The sim's table, for the conformance suite to call ops through. */
extern const struct mpt_backend_ops mpt_sim_ops;

/* The ops, named as static binding expects: mpt_<backend>_<op>. */
int mpt_sim_attach(struct mpt_backend *backend, void *guest,
		   struct mpt_vdev *vdev, void **handle);
void mpt_sim_detach(void *handle);
int mpt_sim_inject_msi(void *handle, u64 addr, u32 data);
int mpt_sim_read_gpa(void *handle, u64 gpa, void *buf, size_t len);
int mpt_sim_write_gpa(void *handle, u64 gpa, const void *buf, size_t len);
int mpt_sim_enable_page_track(void *handle, u64 gfn);
int mpt_sim_disable_page_track(void *handle, u64 gfn);
int mpt_sim_gfn_to_pfn(void *handle, u64 gfn, u64 *pfn);
int mpt_sim_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr);
void mpt_sim_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr);
bool mpt_sim_is_valid_gfn(void *handle, u64 gfn);
int mpt_sim_claim_trap_area(void *handle, const struct mpt_trap_area *area);
void mpt_sim_release_trap_area(void *handle, const struct mpt_trap_area *area);
int mpt_sim_map_frames(void *handle, u64 gfn, u64 pfn, u64 nr);
void mpt_sim_unmap_frames(void *handle, u64 gfn, u64 nr);

#endif /* MPT_SIM_PRIV_H */
