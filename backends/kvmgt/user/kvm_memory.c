// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Guest memory in the KVM backend: gpa access, frame translation, DMA
 * mapping and pass-through frames.
 *
 * The backend reaches guest RAM through the VMM's own mapping of it (the
 * hva of each region).  The layout never changes after mpt_kvm_vm_create(),
 * so translations need no lock.
 *
 * Host frames: a userspace process has no business with physical frame
 * numbers (and /proc/self/pagemap hides them from the unprivileged), so a
 * "host frame" here is a page of the process's address space: pfn = hva >>
 * PAGE_SHIFT.  gfn_to_pfn answers that, map_frames takes that, and the DMA
 * bus address is the hva itself: a userspace device model reaches guest
 * memory by dereferencing it, as a device behind an IOMMU identity-mapped
 * to the process would.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_priv.h"

int kvm_region_of(const struct mpt_kvm_vm *vm, u64 gpa)
{
	unsigned int lo = 0, hi = vm->nr_regions;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		const struct kvm_region *r = &vm->regions[mid];

		if (gpa < r->gpa)
			hi = mid;
		else if (gpa - r->gpa >= r->size)
			lo = mid + 1;
		else
			return (int)mid;
	}
	return -1;
}

bool kvm_all_ram(const struct mpt_kvm_vm *vm, u64 gpa, u64 len)
{
	if (gpa + len < gpa)
		return false;
	while (len) {
		int i = kvm_region_of(vm, gpa);
		const struct kvm_region *r;
		u64 n;

		if (i < 0)
			return false;
		r = &vm->regions[i];
		n = MPT_MIN(len, r->gpa + r->size - gpa);
		gpa += n;
		len -= n;
	}
	return true;
}

/* RAM contiguous in the guest and on the host, as one pointer. */
u8 *kvm_hva(const struct mpt_kvm_vm *vm, u64 gpa, u64 len)
{
	int i = kvm_region_of(vm, gpa);
	const struct kvm_region *r;
	u8 *start, *expect;
	u64 n;

	if (i < 0 || gpa + len < gpa)
		return NULL;
	r = &vm->regions[i];
	start = r->hva + (gpa - r->gpa);
	for (;;) {
		n = MPT_MIN(len, r->gpa + r->size - gpa);
		len -= n;
		if (!len)
			return start;
		gpa += n;
		expect = r->hva + r->size;
		if (++i >= (int)vm->nr_regions)
			return NULL;
		r = &vm->regions[i];
		if (r->gpa != gpa || r->hva != expect)
			return NULL;
	}
}

void kvm_copy_ram(const struct mpt_kvm_vm *vm, u64 gpa, u8 *buf, size_t len,
		  bool to_guest)
{
	while (len) {
		const struct kvm_region *r = &vm->regions[kvm_region_of(vm, gpa)];
		size_t n = (size_t)MPT_MIN((u64)len, r->gpa + r->size - gpa);
		u8 *hva = r->hva + (gpa - r->gpa);

		memcpy(to_guest ? hva : buf, to_guest ? buf : hva, n);
		gpa += n;
		buf += n;
		len -= n;
	}
}

/*
 * read_gpa/write_gpa: the kernel's KVM backend uses vfio_dma_rw(); here the
 * VMM's mapping.  The whole range is checked first, so a range reaching a
 * hole is refused before any byte is copied.  A device write bypasses
 * write-tracking: it goes straight to the mapping.
 */
int mpt_kvm_read_gpa(void *handle, u64 gpa, void *buf, size_t len)
{
	struct mpt_kvm_vm *vm = ((struct kvm_handle *)handle)->vm;

	if (!kvm_all_ram(vm, gpa, len))
		return -EFAULT;
	kvm_copy_ram(vm, gpa, buf, len, false);
	return 0;
}

int mpt_kvm_write_gpa(void *handle, u64 gpa, const void *buf, size_t len)
{
	struct mpt_kvm_vm *vm = ((struct kvm_handle *)handle)->vm;

	if (!kvm_all_ram(vm, gpa, len))
		return -EFAULT;
	kvm_copy_ram(vm, gpa, (u8 *)buf, len, true);
	return 0;
}

/* gfn_to_pfn: the page number of the VMM's mapping (see the top). */
int mpt_kvm_gfn_to_pfn(void *handle, u64 gfn, u64 *pfn)
{
	struct mpt_kvm_vm *vm = ((struct kvm_handle *)handle)->vm;
	u8 *hva;

	if (gfn >= KVM_GFN_LIMIT)
		return -EFAULT;
	hva = kvm_hva(vm, MPT_GFN_TO_GPA(gfn), MPT_PAGE_SIZE);
	if (!hva)
		return -EFAULT;
	*pfn = (u64)(uintptr_t)hva >> MPT_PAGE_SHIFT;
	return 0;
}

/* is_valid_gfn: the layout is fixed, so no lock and no sleeping. */
bool mpt_kvm_is_valid_gfn(void *handle, u64 gfn)
{
	struct mpt_kvm_vm *vm = ((struct kvm_handle *)handle)->vm;

	return gfn < KVM_GFN_LIMIT &&
	       kvm_region_of(vm, MPT_GFN_TO_GPA(gfn)) >= 0;
}

static void unlock_unpinned(struct mpt_kvm_vm *vm, u64 gfn, u64 npages);

/* Add @delta to the pin counts of @n pages; *@changed counts 0 <-> 1. */
static int count_pins(struct kvm_handle *h, u64 gfn, u64 n, int delta,
		      u64 *changed)
{
	struct mpt_kvm_vm *vm = h->vm;
	u64 i;

	for (i = 0; i < n; i++) {
		u32 all = kvm_gfnmap_get(&vm->pins, gfn + i);
		u32 mine = kvm_gfnmap_get(&h->pins, gfn + i);

		if (delta < 0 && (!all || !mine)) {
			kvm_violation(vm, "dma_unmap of a page never mapped");
			continue;
		}
		if (kvm_gfnmap_set(&vm->pins, gfn + i, all + delta) ||
		    kvm_gfnmap_set(&h->pins, gfn + i, mine + delta)) {
			/* Only growth allocates: undo the pages done. */
			count_pins(h, gfn, i, -delta, NULL);
			kvm_gfnmap_set(&vm->pins, gfn + i, all);
			return -ENOMEM;
		}
		if (changed && (delta > 0 ? !all : all == 1))
			(*changed)++;
	}
	return 0;
}

/*
 * dma_map: VFIO pins with vfio_pin_pages() and maps through the IOMMU.
 * Here pinning is mlock() of the VMM's mapping (the pages stay resident, so
 * a device model may hand the address to real hardware doing DMA from the
 * process's pages), refcounted per page because mlock() does not nest; the
 * bus address is the hva.  The range must be host-contiguous: adjacent
 * regions mapped apart cannot form one mapping (-EFAULT).
 */
int mpt_kvm_dma_map(void *handle, u64 gfn, u64 size, u64 *dma_addr)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;
	u64 npages = size >> MPT_PAGE_SHIFT;
	u8 *hva;
	int ret;

	if (gfn >= KVM_GFN_LIMIT)
		return -EFAULT;
	hva = kvm_hva(vm, MPT_GFN_TO_GPA(gfn), size);
	if (!hva)
		return -EFAULT;
	mpt_mutex_lock(&vm->lock);
	ret = count_pins(h, gfn, npages, 1, NULL);
	if (!ret && mlock(hva, size)) {
		u64 gone = 0;

		mpt_err("kvm: mlock of %llu KiB for DMA: %d (RLIMIT_MEMLOCK?)",
			(unsigned long long)size >> 10, -errno);
		count_pins(h, gfn, npages, -1, &gone);
		unlock_unpinned(vm, gfn, npages);
		ret = -ENOMEM;
	}
	mpt_mutex_unlock(&vm->lock);
	if (!ret)
		*dma_addr = (u64)(uintptr_t)hva;
	return ret;
}

/* munlock() the runs of pages whose last pin went.  Lock held. */
static void unlock_unpinned(struct mpt_kvm_vm *vm, u64 gfn, u64 npages)
{
	u64 i, run = 0;

	for (i = 0; i <= npages; i++) {
		if (i < npages && !kvm_gfnmap_get(&vm->pins, gfn + i)) {
			run++;
			continue;
		}
		if (run)
			munlock(kvm_hva(vm, MPT_GFN_TO_GPA(gfn + i - run),
					run << MPT_PAGE_SHIFT),
				run << MPT_PAGE_SHIFT);
		run = 0;
	}
}

void mpt_kvm_dma_unmap(void *handle, u64 gfn, u64 size, u64 dma_addr)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;
	u64 npages = size >> MPT_PAGE_SHIFT, gone = 0;

	mpt_mutex_lock(&vm->lock);
	if ((u64)(uintptr_t)kvm_hva(vm, MPT_GFN_TO_GPA(gfn), size) != dma_addr)
		kvm_violation(vm, "dma_unmap with an address map never gave");
	else if (!count_pins(h, gfn, npages, -1, &gone) && gone)
		unlock_unpinned(vm, gfn, npages);
	mpt_mutex_unlock(&vm->lock);
}

/* ---- Pass-through frames --------------------------------------------- */

bool kvm_frames_overlap(struct mpt_kvm_vm *vm, u64 gpa, u64 len)
{
	unsigned int i;

	for (i = 0; i < vm->nr_frames; i++) {
		u64 start = MPT_GFN_TO_GPA(vm->frames[i].gfn);
		u64 size = vm->frames[i].nr << MPT_PAGE_SHIFT;

		if (gpa < start + size && start < gpa + len)
			return true;
	}
	return false;
}

/* Whether every page of [hva, hva + len) is mapped in this process. */
static bool host_mapped(void *hva, u64 len)
{
	unsigned char vec[64];
	u64 off;

	for (off = 0; off < len; off += sizeof(vec) << MPT_PAGE_SHIFT) {
		u64 n = MPT_MIN(len - off, (u64)sizeof(vec) << MPT_PAGE_SHIFT);

		if (mincore((u8 *)hva + off, n, vec))
			return false;
	}
	return true;
}

/*
 * map_frames: Xen maps machine frames with XEN_DOMCTL_memory_mapping; here
 * the frames are pages of this process (see the top) and the mapping is one
 * more memslot, so guest accesses never exit.  The range must not cover
 * RAM, a claimed MMIO area or another mapping (-EBUSY), and the pages must
 * be mapped in the process (-EFAULT).  Each mapping costs a memslot
 * (-ENOSPC at KVM's limit).
 */
int mpt_kvm_map_frames(void *handle, u64 gfn, u64 pfn, u64 nr)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;
	u64 gpa = MPT_GFN_TO_GPA(gfn), len = nr << MPT_PAGE_SHIFT;
	void *hva = (void *)(uintptr_t)(pfn << MPT_PAGE_SHIFT);
	unsigned int i;
	int ret = 0, id;

	if (!nr || gfn >= KVM_GFN_LIMIT || nr > KVM_GFN_LIMIT - gfn ||
	    pfn >= (1ULL << (64 - MPT_PAGE_SHIFT)) - nr)
		return -EINVAL;
	if (!host_mapped(hva, len))
		return -EFAULT;
	mpt_mutex_lock(&vm->lock);
	mpt_mutex_lock(&vm->trap_lock);
	if (kvm_region_of(vm, gpa) >= 0 || kvm_frames_overlap(vm, gpa, len) ||
	    kvm_trap_overlaps(vm, gpa, len))
		ret = -EBUSY;
	mpt_mutex_unlock(&vm->trap_lock);
	/* RAM inside the range (a region starting within it). */
	for (i = 0; i < vm->nr_regions; i++)
		if (vm->regions[i].gpa - gpa < len)
			ret = -EBUSY;
	if (!ret)
		ret = mpt_array_reserve((void **)&vm->frames, vm->nr_frames,
					&vm->cap_frames, sizeof(*vm->frames),
					8);
	id = ret ? ret : kvm_slot_id_get(vm);
	if (!ret && id < 0)
		ret = id;
	if (!ret) {
		ret = kvm_slot_set(vm, (u32)id, gfn, nr, hva, false);
		if (ret)
			kvm_slot_id_put(vm, (u32)id);
	}
	if (!ret) {
		vm->frames[vm->nr_frames++] =
			(struct kvm_frames){ gfn, nr, (u32)id, h };
		h->frames += nr;
	}
	mpt_mutex_unlock(&vm->lock);
	return ret;
}

static void unmap_at(struct mpt_kvm_vm *vm, unsigned int i)
{
	struct kvm_frames *f = &vm->frames[i];

	kvm_slot_set(vm, f->slot, f->gfn, 0, NULL, false);
	kvm_slot_id_put(vm, f->slot);
	f->h->frames -= f->nr;
	*f = vm->frames[--vm->nr_frames];
}

void mpt_kvm_unmap_frames(void *handle, u64 gfn, u64 nr)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;
	unsigned int i;

	mpt_mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_frames; i++)
		if (vm->frames[i].h == h && vm->frames[i].gfn == gfn &&
		    vm->frames[i].nr == nr)
			break;
	if (i < vm->nr_frames)
		unmap_at(vm, i);
	else
		kvm_violation(vm, "unmap_frames of frames never mapped");
	mpt_mutex_unlock(&vm->lock);
}

void kvm_frames_fini(struct mpt_kvm_vm *vm)
{
	while (vm->nr_frames)
		unmap_at(vm, vm->nr_frames - 1);
	mpt_free(vm->frames);
	vm->frames = NULL;
}

static void unpin_one(void *arg, u64 gfn, u32 n)
{
	struct kvm_handle *h = arg;
	struct mpt_kvm_vm *vm = h->vm;
	u32 all = kvm_gfnmap_get(&vm->pins, gfn);

	kvm_gfnmap_set(&vm->pins, gfn, all > n ? all - n : 0);
	if (all <= n)
		unlock_unpinned(vm, gfn, 1);
}

void kvm_memory_drop_all(struct kvm_handle *h)
{
	struct mpt_kvm_vm *vm = h->vm;
	unsigned int i;

	mpt_assert_held(&vm->lock);
	kvm_gfnmap_for_each(&h->pins, unpin_one, h);
	kvm_gfnmap_free(&h->pins);
	for (i = vm->nr_frames; i--;)
		if (vm->frames[i].h == h)
			unmap_at(vm, i);
}
