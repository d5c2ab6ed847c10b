/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Private state of the KVM backend for userspace VMMs.
 *
 * One struct mpt_kvm_vm per KVM VM, one struct kvm_handle per attached
 * instance (what attach returns and every op receives), as in the sim.
 *
 * Locks, in the order they nest:
 *   vm->lock       handles, write-tracking, memslots, DMA pins, frames,
 *                  vCPU ops (the VMM's pause/resume run under it)
 *   vm->trap_lock  claimed areas and doorbells (taken on every exit)
 *   vm->route_lock building the GSI routing table (backend thread)
 *   vm->msi_lock   the MSI route cache (spinlock: inject_msi must not sleep)
 * Nothing is held while the backend calls into the core
 * (mpt_vdev_bar_access(), mpt_page_track_write(), mpt_vdev_doorbell()).
 */
#ifndef MPT_KVM_PRIV_H
#define MPT_KVM_PRIV_H

#include <mpt_os.h>
#include <mpt/mpt.h>
#include <mpt/kvm.h>

#include <pthread.h>

#define KVM_VM_MAGIC 0x6b766d21 /* tells a struct mpt_kvm_vm from others */
#define KVM_MAX_HANDLES 64

/* Every x86 MSI targets the local APIC window; others are refused. */
#define KVM_MSI_WINDOW_BASE 0xfee00000ULL
#define KVM_MSI_WINDOW_SIZE 0x100000ULL

/* Guest frames are below 2^52 on x86: larger ones name no guest page. */
#define KVM_GFN_LIMIT (1ULL << (52 - MPT_PAGE_SHIFT))

/*
 * A map from u64 keys (gfns) to non-zero u32 values: open addressing with
 * linear probing, so lookups touch one cache line in the common case.
 */
struct kvm_gfnmap {
	u64 *keys;
	u32 *vals;
	u32 cap; /* a power of two, or 0 */
	u32 nr;
};

u32 kvm_gfnmap_get(const struct kvm_gfnmap *m, u64 key);
/* Set @key to @val; 0 removes it.  Return: 0 or -ENOMEM (map unchanged). */
int kvm_gfnmap_set(struct kvm_gfnmap *m, u64 key, u32 val);
/* Call @fn for every entry; @fn must not change the map. */
void kvm_gfnmap_for_each(const struct kvm_gfnmap *m,
			 void (*fn)(void *arg, u64 key, u32 val), void *arg);
void kvm_gfnmap_free(struct kvm_gfnmap *m);

/* One guest RAM region as the VMM mapped it.  Fixed at creation. */
struct kvm_region {
	u64 gpa;
	u64 size;
	u8 *hva;
};

/*
 * One memslot of guest RAM: a run of pages of one region, read-write or
 * read-only (write-tracked).  The segments of a VM tile its RAM exactly and
 * live in a treap ordered by gfn.
 */
struct kvm_seg {
	u64 gfn;
	u64 npages;
	u32 slot;
	u32 prio;
	bool ro;
	unsigned int region;
	struct kvm_seg *left, *right;
};

/* A pass-through mapping (map_frames): a memslot of host pages. */
struct kvm_frames {
	u64 gfn;
	u64 nr;
	u32 slot;
	struct kvm_handle *h;
};

/*
 * A doorbell bound to an ioeventfd.  The backend thread finds it by index
 * and generation (the epoll cookie), so a stale event for a record that was
 * released and reused is recognised and dropped.
 */
struct kvm_doorbell {
	bool used;
	u32 gen;
	int fd;
	struct kvm_handle *h;
	enum mpt_space space;
	unsigned int bar;
	u64 area_start;
	u64 offset;
	u64 addr;
	unsigned int len;
};

/* States of an MSI route cache entry. */
enum kvm_route_state {
	KVM_ROUTE_FREE = 0,
	KVM_ROUTE_PENDING, /* the backend thread is asked to create it */
	KVM_ROUTE_READY, /* GSI routed and irqfd bound: signal @fd */
	KVM_ROUTE_FAILED, /* could not be created: KVM_SIGNAL_MSI */
};

struct kvm_route {
	u64 addr;
	u32 data;
	u32 gsi;
	int fd;
	enum kvm_route_state state;
};

/* Cache capacity (a power of two) and how many routes may be made. */
#define KVM_ROUTE_CACHE 2048
#define KVM_MAX_MSI_ROUTES 1024

struct kvm_handle {
	struct mpt_kvm_vm *vm;
	struct mpt_vdev *vdev;
	struct kvm_gfnmap tracks; /* gfns this instance tracks -> 1 */
	struct kvm_gfnmap pins; /* gfns this instance pinned -> count */
	unsigned int claims;
	u64 frames;
};

struct mpt_kvm_vm {
	u32 magic;
	int vm_fd;
	/* Fixed at creation: read without locks. */
	struct kvm_region *regions;
	unsigned int nr_regions;
	u32 slot_base;
	u32 slot_limit; /* one past the last memslot id we may use */
	struct mpt_kvm_stats stats; /* mpt_stat_inc() */
	u64 slot_gen; /* odd while memslots change; atomic */

	struct mpt_mutex lock; /* the members up to trap_lock */
	/* The VMM's vCPU ops (mpt_kvm_set_vcpu_ops()), or NULL. */
	const struct mpt_kvm_vcpu_ops *vcpu_ops;
	void *vcpu_arg;
	struct kvm_handle *handles[KVM_MAX_HANDLES];
	struct kvm_seg *segs; /* treap root */
	u32 prng;
	u32 *free_ids; /* released memslot ids, reused first */
	unsigned int nr_free_ids, cap_free_ids;
	u32 next_id; /* ids from here to slot_limit were never used */
	struct kvm_gfnmap pins; /* all instances' pins -> count */
	struct kvm_frames *frames;
	unsigned int nr_frames, cap_frames;
	unsigned int violations;

	struct mpt_mutex trap_lock; /* the members up to route_lock */
	struct mpt_range_map claimed[2]; /* by enum mpt_space; data: handle */
	struct kvm_doorbell *doorbells;
	unsigned int nr_doorbells;
	bool ioeventfd; /* bind doorbells of areas claimed from now on */

	struct mpt_mutex route_lock; /* the members up to msi_lock */
	void *routing; /* struct kvm_irq_routing being built */
	u32 next_gsi;
	unsigned int nr_msi_routes;

	struct mpt_spinlock msi_lock;
	struct kvm_route routes[KVM_ROUTE_CACHE];
	void (*msi_observer)(void *arg, u64 addr, u32 data);
	void *msi_observer_arg;

	/* The backend thread: doorbells and MSI route creation. */
	pthread_t thread;
	bool thread_started;
	int epoll_fd;
	int kick_fd;
	bool stop; /* atomic */
};

/* ---- Memslots and write-tracking (kvm_slots.c, kvm_track.c) ---- */

int kvm_slots_init(struct mpt_kvm_vm *vm);
void kvm_slots_fini(struct mpt_kvm_vm *vm);
/* Make guest page @gfn read-only (tracked) or read-write.  Lock held. */
int kvm_slots_set_ro(struct mpt_kvm_vm *vm, u64 gfn, bool ro);
/* Whether @gfn lies in a read-only memslot.  Lock held. */
bool kvm_slots_is_ro(struct mpt_kvm_vm *vm, u64 gfn);
/* A memslot id, or -ENOSPC; give it back with kvm_slot_id_put().  Lock held. */
int kvm_slot_id_get(struct mpt_kvm_vm *vm);
void kvm_slot_id_put(struct mpt_kvm_vm *vm, u32 id);
unsigned int kvm_slot_ids_free(struct mpt_kvm_vm *vm);
/* KVM_SET_USER_MEMORY_REGION; @npages 0 deletes the slot. */
int kvm_slot_set(struct mpt_kvm_vm *vm, u32 slot, u64 gfn, u64 npages,
		 void *hva, bool ro);
/* Number of memslots the backend holds for RAM. */
unsigned int kvm_slots_count(struct mpt_kvm_vm *vm);

/* Deliver a guest write to RAM page(s) that exited, then apply it. */
void kvm_track_ram_write(struct mpt_kvm_vm *vm, u64 gpa, const u8 *data,
			 unsigned int len);
/* Forget every track of @h (detach with tracks left).  Lock held. */
void kvm_track_drop_all(struct kvm_handle *h);

/* ---- Guest memory (kvm_memory.c) ---- */

/* Index of the region holding @gpa, or -1.  No lock: regions are fixed. */
int kvm_region_of(const struct mpt_kvm_vm *vm, u64 gpa);
bool kvm_all_ram(const struct mpt_kvm_vm *vm, u64 gpa, u64 len);
/* Host address of RAM at @gpa, contiguous for @len bytes, or NULL. */
u8 *kvm_hva(const struct mpt_kvm_vm *vm, u64 gpa, u64 len);
/* Copy between RAM and @buf; the range was checked to be RAM. */
void kvm_copy_ram(const struct mpt_kvm_vm *vm, u64 gpa, u8 *buf, size_t len,
		  bool to_guest);
/* Drop every pin and frame mapping of @h (detach).  Lock held. */
void kvm_memory_drop_all(struct kvm_handle *h);
/* Whether [gpa, gpa + len) overlaps a frame mapping.  Lock held. */
bool kvm_frames_overlap(struct mpt_kvm_vm *vm, u64 gpa, u64 len);
void kvm_frames_fini(struct mpt_kvm_vm *vm);

/* ---- Traps, doorbells and the backend thread (kvm_trap.c) ---- */

int kvm_thread_start(struct mpt_kvm_vm *vm);
void kvm_thread_stop(struct mpt_kvm_vm *vm);
/* Wake the backend thread (MSI routes to create). */
void kvm_thread_kick(struct mpt_kvm_vm *vm);
/* Route one access to the instance that claimed @addr, or -ENOENT. */
int kvm_trap_dispatch(struct mpt_kvm_vm *vm, enum mpt_space space, u64 addr,
		      void *data, unsigned int len, bool is_write);
/* Whether an MMIO area overlaps [gpa, gpa + len).  trap_lock taken. */
bool kvm_trap_overlaps(struct mpt_kvm_vm *vm, u64 gpa, u64 len);
/* Release every area of @h (detach with claims left).  Lock held. */
void kvm_trap_drop_all(struct kvm_handle *h);

/* ---- Interrupts (kvm_msi.c) ---- */

int kvm_msi_init(struct mpt_kvm_vm *vm);
void kvm_msi_fini(struct mpt_kvm_vm *vm);
/* Create the routes inject_msi asked for.  Backend thread. */
void kvm_msi_make_routes(struct mpt_kvm_vm *vm);

/* ---- Misc ---- */

void kvm_violation(struct mpt_kvm_vm *vm, const char *what);
/* Memslot generation: bumped before and after each change. */
void kvm_slot_gen_bump(struct mpt_kvm_vm *vm);

/* ---- For the backend's own tests (tests/kvm, tests/conformance) ---- */

/*
 * kvm_test_set_msi_observer() - call @fn after each MSI the backend handed
 * to KVM (irqfd signalled or KVM_SIGNAL_MSI accepted), with its address and
 * data.  This is what the conformance target reports as MSIs received: it
 * shows what the backend delivered, not what the guest's LAPIC accepted.
 */
void kvm_test_set_msi_observer(struct mpt_kvm_vm *vm,
			       void (*fn)(void *arg, u64 addr, u32 data),
			       void *arg);
/* Pretend KVM has fewer memslots: only @n ids from slot_base on. */
void kvm_test_limit_slots(struct mpt_kvm_vm *vm, unsigned int n);
/* Contract breaches seen (detach with things left, unbalanced ops). */
unsigned int kvm_test_violations(struct mpt_kvm_vm *vm);
/* Memslots used for RAM, and MSI routes made (READY). */
unsigned int kvm_test_ram_slots(struct mpt_kvm_vm *vm);
unsigned int kvm_test_msi_routes(struct mpt_kvm_vm *vm);
/* Pin count of a guest page (DMA). */
unsigned int kvm_test_pin_count(struct mpt_kvm_vm *vm, u64 gfn);

/* The backend's table, for the conformance suite to call ops through. */
extern const struct mpt_backend_ops mpt_kvm_ops;

/* The ops, named as static binding expects: mpt_<backend>_<op>. */
int mpt_kvm_attach(struct mpt_backend *backend, void *guest,
		   struct mpt_vdev *vdev, void **handle);
void mpt_kvm_detach(void *handle);
int mpt_kvm_inject_msi(void *handle, u64 addr, u32 data);
int mpt_kvm_read_gpa(void *handle, u64 gpa, void *buf, size_t len);
int mpt_kvm_write_gpa(void *handle, u64 gpa, const void *buf, size_t len);
int mpt_kvm_enable_page_track(void *handle, u64 gfn);
int mpt_kvm_disable_page_track(void *handle, u64 gfn);
int mpt_kvm_gfn_to_pfn(void *handle, u64 gfn, u64 *pfn);
int mpt_kvm_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr);
void mpt_kvm_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr);
bool mpt_kvm_is_valid_gfn(void *handle, u64 gfn);
int mpt_kvm_claim_trap_area(void *handle, const struct mpt_trap_area *area);
void mpt_kvm_release_trap_area(void *handle, const struct mpt_trap_area *area);
int mpt_kvm_map_frames(void *handle, u64 gfn, u64 pfn, u64 nr);
void mpt_kvm_unmap_frames(void *handle, u64 gfn, u64 nr);

#endif /* MPT_KVM_PRIV_H */
