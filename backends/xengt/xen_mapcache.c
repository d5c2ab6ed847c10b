// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Guest memory in the Xen backend: a cache of foreign mappings.
 *
 * A dom0 process reaches a guest's RAM by mapping its frames
 * (xenforeignmemory_map).  A mapping costs a hypercall and page-table
 * work, so, as QEMU's and XenGT's map caches do, guest memory is mapped in
 * aligned buckets (2 MiB, one hash lookup per page touched) kept until the
 * guest changes its memory map: Xen then sends IOREQ_TYPE_INVALIDATE
 * (after a balloon driver gave pages back, for instance) and every bucket
 * is dropped.  A bucket pinned by dma_map survives the flush as "stale":
 * the device keeps the frames it was given (Xen holds a reference on them
 * for the mapping, so they cannot be reused by another domain under it)
 * and the bucket goes at its last dma_unmap.  That is QEMU's rule too: a
 * guest gives back only pages its devices do not use, and the instances'
 * translations stay (mpt_dma_invalidate() would make a device model
 * forget every table entry it shadows, after any balloon operation).
 * Accesses by guest address (read_gpa/write_gpa) map again and see the
 * guest's current pages.
 *
 * Frames Xen refuses to map (not guest RAM: holes, MMIO) are remembered
 * per bucket; an access to one maps its bucket again (it may be RAM by
 * now) and fails with -EFAULT if it still is not.
 *
 * Device writes (write_gpa, and DMA mappings when unmapped) are reported
 * with XEN_DMOP_modified_memory, so a migration's dirty log sees them.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "xen_priv.h"

static unsigned int slot_of(u64 index)
{
	return (unsigned int)((index * 0x9e3779b97f4a7c15ULL) >> 54) &
	       (XEN_CACHE_SLOTS - 1);
}

static void unmap_bucket(struct mpt_xen_dom *dom, struct xen_bucket *b)
{
	if (b->va)
		xenforeignmemory_unmap(dom->fm, b->va, XEN_BUCKET_PAGES);
	mpt_free(b);
}

/* Drop every bucket that is not pinned.  cache_lock held. */
static void flush_locked(struct mpt_xen_dom *dom)
{
	struct xen_bucket *b, *next;
	unsigned int i;

	for (i = 0; i < XEN_CACHE_SLOTS; i++) {
		for (b = dom->cache[i]; b; b = next) {
			next = b->next;
			if (b->pins) {
				b->stale = true;
				b->next = dom->stale;
				dom->stale = b;
			} else {
				unmap_bucket(dom, b);
			}
			dom->nr_buckets--;
		}
		dom->cache[i] = NULL;
	}
}

static struct xen_bucket *map_bucket(struct mpt_xen_dom *dom, u64 index)
{
	xen_pfn_t *pfns;
	struct xen_bucket *b;
	int *err;
	unsigned int i;

	b = mpt_zalloc(sizeof(*b));
	pfns = mpt_zalloc_array(XEN_BUCKET_PAGES, sizeof(*pfns));
	err = mpt_zalloc_array(XEN_BUCKET_PAGES, sizeof(*err));
	if (!b || !pfns || !err) {
		mpt_free(b);
		b = NULL;
		goto out;
	}
	b->index = index;
	for (i = 0; i < XEN_BUCKET_PAGES; i++)
		pfns[i] = (index << XEN_BUCKET_SHIFT) + i;
	mpt_stat_inc(&dom->stats.map_misses);
	b->va = xenforeignmemory_map(dom->fm, dom->domid,
				     PROT_READ | PROT_WRITE, XEN_BUCKET_PAGES,
				     pfns, err);
	if (b->va)
		for (i = 0; i < XEN_BUCKET_PAGES; i++)
			if (!err[i])
				b->valid[i / 64] |= 1ULL << (i % 64);
out:
	mpt_free(pfns);
	mpt_free(err);
	return b;
}

/* The bucket holding @gfn, mapped on a miss; NULL on -ENOMEM.  Locked. */
static struct xen_bucket *bucket_get(struct mpt_xen_dom *dom, u64 gfn)
{
	u64 index = gfn >> XEN_BUCKET_SHIFT;
	unsigned int s = slot_of(index);
	struct xen_bucket *b;

	for (b = dom->cache[s]; b; b = b->next)
		if (b->index == index)
			return b;
	/* A guest that makes us map everything gets a full flush. */
	if (dom->nr_buckets >= XEN_CACHE_MAX_BUCKETS)
		flush_locked(dom);
	b = map_bucket(dom, index);
	if (!b)
		return NULL;
	b->next = dom->cache[s];
	dom->cache[s] = b;
	dom->nr_buckets++;
	return b;
}

static bool page_valid(const struct xen_bucket *b, u64 gfn)
{
	unsigned int i = gfn & (XEN_BUCKET_PAGES - 1);

	return b->va && (b->valid[i / 64] >> (i % 64) & 1);
}

static bool pages_valid(const struct xen_bucket *b, u64 gfn, u64 nr)
{
	u64 i;

	for (i = 0; i < nr; i++)
		if (!page_valid(b, gfn + i))
			return false;
	return true;
}

/* Unlink and unmap @b, which no one pins.  Locked. */
static void bucket_drop(struct mpt_xen_dom *dom, struct xen_bucket *b)
{
	struct xen_bucket **pp = &dom->cache[slot_of(b->index)];

	while (*pp != b)
		pp = &(*pp)->next;
	*pp = b->next;
	dom->nr_buckets--;
	unmap_bucket(dom, b);
}

/*
 * The bucket holding the @nr pages from @gfn (all in one bucket), mapped
 * again if one of them was not mapped: a page that was not guest RAM when
 * the bucket was mapped may be now (given back and populated again: Xen
 * sends INVALIDATE for the first and nothing for the second; or memory
 * added).  QEMU's map cache does the same.  A pinned bucket stays as it
 * is (a device holds its mapping) and the access fails.  This costs a
 * mapping hypercall per access to a page that is still not RAM, as a miss
 * does.  NULL on -ENOMEM.  Locked.
 */
static struct xen_bucket *bucket_with_pages(struct mpt_xen_dom *dom, u64 gfn,
					    u64 nr)
{
	struct xen_bucket *b = bucket_get(dom, gfn);

	if (!b || pages_valid(b, gfn, nr) || b->pins)
		return b;
	bucket_drop(dom, b);
	return bucket_get(dom, gfn);
}

static u8 *page_va(const struct xen_bucket *b, u64 gfn)
{
	return b->va + ((gfn & (XEN_BUCKET_PAGES - 1)) << MPT_PAGE_SHIFT);
}

int xen_copy_gpa(struct mpt_xen_dom *dom, u64 gpa, void *buf, size_t len,
		 bool to_guest)
{
	u8 *p = buf;
	int ret = 0;

	if (gpa + len < gpa || MPT_GPA_TO_GFN(gpa + len) > XEN_GFN_LIMIT)
		return -EFAULT;
	mpt_mutex_lock(&dom->cache_lock);
	while (len) {
		u64 gfn = MPT_GPA_TO_GFN(gpa);
		size_t off = gpa & ~MPT_PAGE_MASK;
		size_t n = MPT_PAGE_SIZE - off;
		struct xen_bucket *b = bucket_with_pages(dom, gfn, 1);

		if (n > len)
			n = len;
		if (!b) {
			ret = -ENOMEM;
			break;
		}
		if (!page_valid(b, gfn)) {
			ret = -EFAULT;
			break;
		}
		if (to_guest)
			memcpy(page_va(b, gfn) + off, p, n);
		else
			memcpy(p, page_va(b, gfn) + off, n);
		gpa += n;
		p += n;
		len -= n;
	}
	mpt_mutex_unlock(&dom->cache_lock);
	return ret;
}

int mpt_xen_read_gpa(void *handle, u64 gpa, void *buf, size_t len)
{
	struct xen_handle *h = handle;

	return xen_copy_gpa(h->dom, gpa, buf, len, false);
}

static void modified(struct mpt_xen_dom *dom, u64 gfn, u64 nr)
{
	/* Only fails for bad frames, which the copy already refused. */
	xendevicemodel_modified_memory(dom->dm, dom->domid, gfn, (u32)nr);
}

int mpt_xen_write_gpa(void *handle, u64 gpa, const void *buf, size_t len)
{
	struct xen_handle *h = handle;
	int ret;

	ret = xen_copy_gpa(h->dom, gpa, (void *)buf, len, true);
	if (!ret && len)
		modified(h->dom, MPT_GPA_TO_GFN(gpa),
			 MPT_GPA_TO_GFN(gpa + len - 1) - MPT_GPA_TO_GFN(gpa) + 1);
	return ret;
}

/* gfn_to_pfn: the page of our mapping (contiguous within a bucket only). */
int mpt_xen_gfn_to_pfn(void *handle, u64 gfn, u64 *pfn)
{
	struct xen_handle *h = handle;
	struct mpt_xen_dom *dom = h->dom;
	struct xen_bucket *b;
	int ret = 0;

	if (gfn >= XEN_GFN_LIMIT)
		return -EFAULT;
	mpt_mutex_lock(&dom->cache_lock);
	b = bucket_with_pages(dom, gfn, 1);
	if (!b)
		ret = -ENOMEM;
	else if (!page_valid(b, gfn))
		ret = -EFAULT;
	else
		*pfn = (uintptr_t)page_va(b, gfn) >> MPT_PAGE_SHIFT;
	mpt_mutex_unlock(&dom->cache_lock);
	return ret;
}

/* dma_map: pin the bucket (never more than one: sizes divide 2 MiB). */
int mpt_xen_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr)
{
	struct xen_handle *h = handle;
	struct mpt_xen_dom *dom = h->dom;
	u64 nr = size >> MPT_PAGE_SHIFT;
	struct xen_bucket *b;
	int ret = 0;

	if (!nr || nr > XEN_BUCKET_PAGES || (gfn & (nr - 1)) ||
	    gfn + nr > XEN_GFN_LIMIT)
		return -EFAULT;
	mpt_mutex_lock(&dom->cache_lock);
	b = bucket_with_pages(dom, gfn, nr);
	if (!b) {
		ret = -ENOMEM;
		goto out;
	}
	if (!pages_valid(b, gfn, nr))
		ret = -EFAULT;
	if (!ret) {
		b->pins++;
		*dma_addr = (uintptr_t)page_va(b, gfn);
	}
out:
	mpt_mutex_unlock(&dom->cache_lock);
	return ret;
}

static bool unpin(struct xen_bucket *b, u64 dma_addr)
{
	if (!b->va || dma_addr < (uintptr_t)b->va ||
	    dma_addr >= (uintptr_t)b->va + ((u64)XEN_BUCKET_PAGES << MPT_PAGE_SHIFT) ||
	    !b->pins)
		return false;
	b->pins--;
	return true;
}

void mpt_xen_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr)
{
	struct xen_handle *h = handle;
	struct mpt_xen_dom *dom = h->dom;
	u64 index = gfn >> XEN_BUCKET_SHIFT;
	struct xen_bucket *b, **pp;
	bool done = false;

	mpt_mutex_lock(&dom->cache_lock);
	for (b = dom->cache[slot_of(index)]; b && !done; b = b->next)
		if (b->index == index)
			done = unpin(b, dma_addr);
	for (pp = &dom->stale; *pp && !done; pp = &(*pp)->next) {
		b = *pp;
		if (b->index == index && unpin(b, dma_addr)) {
			done = true;
			if (!b->pins) {
				*pp = b->next;
				unmap_bucket(dom, b);
			}
			break;
		}
	}
	mpt_mutex_unlock(&dom->cache_lock);
	if (!done)
		xen_violation(dom, "dma_unmap of a mapping never made");
	else
		modified(dom, gfn, size >> MPT_PAGE_SHIFT);
}

void xen_cache_flush(struct mpt_xen_dom *dom)
{
	mpt_mutex_lock(&dom->cache_lock);
	flush_locked(dom);
	mpt_mutex_unlock(&dom->cache_lock);
}

void xen_cache_fini(struct mpt_xen_dom *dom)
{
	struct xen_bucket *b;

	mpt_mutex_lock(&dom->cache_lock);
	flush_locked(dom);
	while ((b = dom->stale)) {
		dom->stale = b->next;
		xen_violation(dom, "domain closed with DMA mappings left");
		unmap_bucket(dom, b);
	}
	mpt_mutex_unlock(&dom->cache_lock);
}
