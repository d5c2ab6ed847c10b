/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Private state of the Xen backend (include/mpt/xen.h).
 *
 * One struct mpt_xen_dom per guest domain: its ioreq server, its thread
 * (xen_ioreq.c), its map cache (xen_mapcache.c); one struct xen_handle per
 * attached instance (what attach returns and every op receives).
 *
 * Locks, in the order they nest:
 *   dom->lock        handles, claimed areas and PCI functions, tracks
 *   dom->cache_lock  the map cache (taken for every guest memory access)
 * Nothing is held while the backend calls into the core
 * (mpt_vdev_bar_access(), mpt_vdev_cfg_access(), mpt_page_track_write())
 * or into the program's io ops: the core may call back into the backend
 * (claim a BAR, track a page) from there.
 */
#ifndef MPT_XEN_PRIV_H
#define MPT_XEN_PRIV_H

/* The tools-only parts of Xen's public headers (ioreq server interfaces). */
#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1
#endif

#include <mpt_os.h>
#include <mpt/mpt.h>
#include <mpt/range_map.h>
#include <mpt/xen.h>

#include <pthread.h>
/* For the complete public headers only: nothing of libxenctrl is used. */
#include <xenctrl.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xen/hvm/ioreq.h>

#define XEN_DOM_MAGIC 0x78656e21 /* tells a struct mpt_xen_dom from others */
#define XEN_MAX_HANDLES 32
#define XEN_MAX_VCPUS 128
#define XEN_MAX_PCI 32 /* PCI functions claimed per domain */
#define XEN_NO_BDF 0xffffffffu

/* Guest frames are below 2^52 on x86: larger ones name no guest page. */
#define XEN_GFN_LIMIT (1ULL << (52 - MPT_PAGE_SHIFT))

/*
 * The map cache maps guest memory in buckets of 2 MiB (aligned), so a
 * 2 MiB DMA mapping is one bucket; at most XEN_CACHE_MAX_BUCKETS are
 * mapped at a time (4 GiB of address space).
 */
#define XEN_BUCKET_SHIFT 9 /* pages per bucket: 512 */
#define XEN_BUCKET_PAGES (1U << XEN_BUCKET_SHIFT)
#define XEN_CACHE_SLOTS 1024 /* hash chains */
#define XEN_CACHE_MAX_BUCKETS 2048

/* A rep request may move at most a page's worth of elements per answer. */
#define XEN_MAX_REP 4096

struct xen_bucket {
	u64 index; /* gfn >> XEN_BUCKET_SHIFT */
	u8 *va; /* NULL when no page of it could be mapped */
	u64 valid[XEN_BUCKET_PAGES / 64]; /* pages Xen mapped */
	unsigned int pins; /* dma_map references */
	bool stale; /* flushed while pinned: freed at the last unpin */
	struct xen_bucket *next;
};

struct xen_handle {
	struct mpt_xen_dom *dom;
	struct mpt_vdev *vdev;
	unsigned int bdf;
	struct mpt_range_map tracks; /* gfns tracked, one entry each */
	unsigned int claims;
};

/* Who serves a claimed range: an instance's BAR, or the program. */
struct xen_claim {
	struct xen_handle *h; /* NULL: the program's io ops */
	unsigned int bar;
};

/* A PCI function routed to the server. */
struct xen_pci {
	unsigned int bdf;
	struct xen_handle *h; /* NULL: the program's pci_cfg */
};

struct mpt_xen_dom {
	u32 magic;
	u16 domid;
	unsigned int nr_vcpus;
	xendevicemodel_handle *dm;
	xenforeignmemory_handle *fm;
	xenevtchn_handle *xce;
	xenforeignmemory_resource_handle *res;
	ioservid_t server;
	bool server_made;
	shared_iopage_t *iopage;
	evtchn_port_t ports[XEN_MAX_VCPUS]; /* local port of each vCPU */
	bool bound[XEN_MAX_VCPUS];
	const struct mpt_xen_io_ops *ops;
	void *ops_arg;
	struct mpt_xen_stats stats; /* mpt_stat_inc() */

	struct mpt_mutex lock; /* the members up to cache_lock */
	struct xen_handle *handles[XEN_MAX_HANDLES];
	struct mpt_range_map claimed[2]; /* by enum mpt_space; opaque: claim */
	struct xen_pci pci[XEN_MAX_PCI];
	unsigned int nr_pci;
	bool mem_type_mapped; /* HVMMEM_ioreq_server is ours */
	unsigned int violations;

	struct mpt_mutex cache_lock; /* the members up to the thread's */
	struct xen_bucket *cache[XEN_CACHE_SLOTS];
	struct xen_bucket *stale; /* flushed buckets still pinned */
	unsigned int nr_buckets;

	/* The ioreq thread. */
	pthread_t thread;
	bool running;
	int stop_pipe[2];
	bool stop; /* atomic */
};

/* ---- xen_dom.c ---- */
void xen_violation(struct mpt_xen_dom *dom, const char *what);

/* ---- The map cache (xen_mapcache.c) ---- */
/* Copy between guest RAM and @buf; -EFAULT if a page is not guest RAM. */
int xen_copy_gpa(struct mpt_xen_dom *dom, u64 gpa, void *buf, size_t len,
		 bool to_guest);
/* IOREQ_TYPE_INVALIDATE: drop every mapping not pinned. */
void xen_cache_flush(struct mpt_xen_dom *dom);
/* Unmap everything (close). */
void xen_cache_fini(struct mpt_xen_dom *dom);

/* ---- Traps and PCI functions (xen_trap.c) ---- */
/* Route one access to whoever claimed @addr; -ENOENT if nobody did. */
int xen_trap_dispatch(struct mpt_xen_dom *dom, enum mpt_space space, u64 addr,
		      void *data, unsigned int len, bool is_write);
/* A configuration space access; -ENOENT if the function is not ours. */
int xen_pci_dispatch(struct mpt_xen_dom *dom, unsigned int bdf,
		     unsigned int reg, void *data, unsigned int len,
		     bool is_write);
/* Route PCI function @bdf to @h (NULL: the program).  Lock held. */
int xen_pci_claim(struct mpt_xen_dom *dom, unsigned int bdf,
		  struct xen_handle *h);
/* Drop everything @h claimed (detach).  Lock held. */
void xen_trap_drop_all(struct xen_handle *h);

/* ---- Write-tracking (xen_track.c) ---- */
/* A guest write to RAM that trapped: deliver it, then apply it. */
void xen_track_ram_write(struct mpt_xen_dom *dom, u64 gpa, const u8 *data,
			 unsigned int len);
/* Forget every track of @h (detach with tracks left).  Lock held. */
void xen_track_drop_all(struct xen_handle *h);

/* ---- The ioreq thread (xen_ioreq.c) ---- */
int xen_ioreq_start(struct mpt_xen_dom *dom);
void xen_ioreq_stop(struct mpt_xen_dom *dom);

/* Contract breaches seen (detach with things left, unbalanced ops). */
unsigned int xen_test_violations(struct mpt_xen_dom *dom);

/* The backend's table, for tests to call ops through. */
extern const struct mpt_backend_ops mpt_xen_ops;

/* The ops, named as static binding expects: mpt_<backend>_<op>. */
int mpt_xen_attach(struct mpt_backend *backend, void *guest,
		   struct mpt_vdev *vdev, void **handle);
void mpt_xen_detach(void *handle);
int mpt_xen_inject_msi(void *handle, u64 addr, u32 data);
int mpt_xen_read_gpa(void *handle, u64 gpa, void *buf, size_t len);
int mpt_xen_write_gpa(void *handle, u64 gpa, const void *buf, size_t len);
int mpt_xen_enable_page_track(void *handle, u64 gfn);
int mpt_xen_disable_page_track(void *handle, u64 gfn);
int mpt_xen_gfn_to_pfn(void *handle, u64 gfn, u64 *pfn);
int mpt_xen_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr);
void mpt_xen_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr);
int mpt_xen_claim_trap_area(void *handle, const struct mpt_trap_area *area);
void mpt_xen_release_trap_area(void *handle, const struct mpt_trap_area *area);

#endif /* MPT_XEN_PRIV_H */
