// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Trap areas, doorbells and the backend thread of the KVM backend.
 *
 * Claimed areas go into one range map per address space (MMIO, port I/O);
 * the VMM's exit handler looks them up (mpt_kvm_handle_mmio/pio).  An area
 * cannot overlap another device's area (-EBUSY), and an MMIO area cannot
 * overlap guest RAM or a pass-through mapping either: a memslot there would
 * take the accesses before they could exit.
 *
 * Doorbells: when an area is claimed, each MPT_TRAP_DOORBELL range of its
 * BAR gets an eventfd bound with KVM_IOEVENTFD (any value, the doorbell's
 * size), so the guest's write completes in the kernel without an exit.  The
 * backend thread waits on all of them with epoll and calls
 * mpt_vdev_doorbell().  Several writes before the thread runs coalesce into
 * one delivery, which is what a doorbell ("look now") allows; the stats
 * count deliveries.  Writes of another size still exit and carry their
 * value.  The same thread creates MSI routes (kvm_msi.c) when kicked.
 */
#include <linux/kvm.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_priv.h"

#define KICK_COOKIE (~0ULL)

static u64 cookie(const struct mpt_kvm_vm *vm, const struct kvm_doorbell *d)
{
	return (u64)(d - vm->doorbells) | (u64)d->gen << 32;
}

/* ---- The backend thread ----------------------------------------------- */

void kvm_thread_kick(struct mpt_kvm_vm *vm)
{
	u64 one = 1;

	if (write(vm->kick_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		mpt_err("kvm: cannot wake the backend thread: %d", -errno);
}

/* A doorbell fired: find it by its cookie and deliver it. */
static void ring(struct mpt_kvm_vm *vm, u64 c)
{
	unsigned int i = (u32)c;
	struct kvm_doorbell *d;
	struct mpt_vdev *vdev = NULL;
	unsigned int bar = 0;
	u64 offset = 0, n;

	mpt_mutex_lock(&vm->trap_lock);
	d = i < vm->nr_doorbells ? &vm->doorbells[i] : NULL;
	if (d && d->used && d->gen == (u32)(c >> 32) &&
	    read(d->fd, &n, sizeof(n)) == sizeof(n)) {
		vdev = d->h->vdev;
		bar = d->bar;
		offset = d->offset;
		mpt_vdev_get(vdev);
	}
	mpt_mutex_unlock(&vm->trap_lock);
	if (!vdev)
		return;
	mpt_stat_inc(&vm->stats.doorbells);
	mpt_vdev_doorbell(vdev, bar, offset);
	mpt_vdev_put(vdev);
}

static void *backend_thread(void *arg)
{
	struct mpt_kvm_vm *vm = arg;
	struct epoll_event ev[16];
	int n, i;
	u64 v;

	while (!__atomic_load_n(&vm->stop, __ATOMIC_ACQUIRE)) {
		n = epoll_wait(vm->epoll_fd, ev, MPT_ARRAY_SIZE(ev), -1);
		for (i = 0; i < n; i++) {
			if (ev[i].data.u64 != KICK_COOKIE) {
				ring(vm, ev[i].data.u64);
				continue;
			}
			if (read(vm->kick_fd, &v, sizeof(v)) < 0)
				continue;
			if (!__atomic_load_n(&vm->stop, __ATOMIC_ACQUIRE))
				kvm_msi_make_routes(vm);
		}
	}
	return NULL;
}

int kvm_thread_start(struct mpt_kvm_vm *vm)
{
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = KICK_COOKIE };
	int ret;

	vm->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	vm->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vm->epoll_fd < 0 || vm->kick_fd < 0 ||
	    epoll_ctl(vm->epoll_fd, EPOLL_CTL_ADD, vm->kick_fd, &ev) < 0) {
		ret = -errno;
		goto err;
	}
	ret = -pthread_create(&vm->thread, NULL, backend_thread, vm);
	if (ret)
		goto err;
	vm->thread_started = true;
	return 0;
err:
	if (vm->epoll_fd >= 0)
		close(vm->epoll_fd);
	if (vm->kick_fd >= 0)
		close(vm->kick_fd);
	vm->epoll_fd = -1;
	vm->kick_fd = -1;
	return ret;
}

void kvm_thread_stop(struct mpt_kvm_vm *vm)
{
	if (vm->thread_started) {
		__atomic_store_n(&vm->stop, true, __ATOMIC_RELEASE);
		kvm_thread_kick(vm);
		pthread_join(vm->thread, NULL);
		vm->thread_started = false;
	}
	if (vm->epoll_fd >= 0)
		close(vm->epoll_fd);
	if (vm->kick_fd >= 0)
		close(vm->kick_fd);
	vm->epoll_fd = -1;
	vm->kick_fd = -1;
}

/* ---- Doorbells ---------------------------------------------------------- */

static int ioeventfd(struct mpt_kvm_vm *vm, const struct kvm_doorbell *d,
		     bool assign)
{
	struct kvm_ioeventfd io = {
		.addr = d->addr,
		.len = d->len,
		.fd = d->fd,
		.flags = (d->space == MPT_SPACE_PIO ? KVM_IOEVENTFD_FLAG_PIO :
						      0) |
			 (assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN),
	};

	return ioctl(vm->vm_fd, KVM_IOEVENTFD, &io) < 0 ? -errno : 0;
}

static struct kvm_doorbell *doorbell_alloc(struct mpt_kvm_vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_doorbells; i++)
		if (!vm->doorbells[i].used)
			return &vm->doorbells[i];
	/* Grow by hand: cookies hold indices, so entries keep theirs. */
	{
		unsigned int cap = vm->nr_doorbells ? vm->nr_doorbells * 2 : 8;
		struct kvm_doorbell *v = mpt_zalloc_array(cap, sizeof(*v));

		if (!v)
			return NULL;
		if (vm->nr_doorbells)
			memcpy(v, vm->doorbells,
			       vm->nr_doorbells * sizeof(*v));
		mpt_free(vm->doorbells);
		vm->doorbells = v;
		vm->nr_doorbells = cap;
		return &vm->doorbells[i];
	}
}

static void doorbell_free(struct mpt_kvm_vm *vm, struct kvm_doorbell *d)
{
	ioeventfd(vm, d, false);
	epoll_ctl(vm->epoll_fd, EPOLL_CTL_DEL, d->fd, NULL);
	close(d->fd);
	d->used = false;
	d->gen++;
}

struct bind_ctx {
	struct kvm_handle *h;
	const struct mpt_trap_area *area;
	int err;
};

/* Bind one doorbell of the area being claimed.  trap_lock held. */
static void bind_doorbell(void *arg, u64 offset, unsigned int len)
{
	struct bind_ctx *b = arg;
	struct mpt_kvm_vm *vm = b->h->vm;
	struct epoll_event ev = { .events = EPOLLIN };
	struct kvm_doorbell *d;
	int ret;

	if (b->err || offset + len > b->area->len ||
	    (len != 1 && len != 2 && len != 4 && len != 8) ||
	    (b->area->space == MPT_SPACE_PIO && len == 8))
		return;
	d = doorbell_alloc(vm);
	if (!d) {
		b->err = -ENOMEM;
		return;
	}
	d->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->fd < 0) {
		b->err = -errno;
		return;
	}
	d->h = b->h;
	d->space = b->area->space;
	d->bar = b->area->bar;
	d->area_start = b->area->start;
	d->offset = offset;
	d->addr = b->area->start + offset;
	d->len = len;
	ev.data.u64 = cookie(vm, d);
	ret = ioeventfd(vm, d, true);
	if (!ret && epoll_ctl(vm->epoll_fd, EPOLL_CTL_ADD, d->fd, &ev) < 0) {
		ret = -errno;
		ioeventfd(vm, d, false);
	}
	if (ret) {
		close(d->fd);
		b->err = ret;
		return;
	}
	d->used = true;
}

static void unbind_area(struct mpt_kvm_vm *vm, struct kvm_handle *h,
			enum mpt_space space, u64 start)
{
	unsigned int i;

	for (i = 0; i < vm->nr_doorbells; i++) {
		struct kvm_doorbell *d = &vm->doorbells[i];

		if (d->used && d->h == h && d->space == space &&
		    d->area_start == start)
			doorbell_free(vm, d);
	}
}

/* ---- Claims ------------------------------------------------------------- */

bool kvm_trap_overlaps(struct mpt_kvm_vm *vm, u64 gpa, u64 len)
{
	const struct mpt_range *r;

	mpt_assert_held(&vm->trap_lock);
	r = mpt_range_map_lookup(&vm->claimed[MPT_SPACE_MMIO], gpa);
	if (r)
		return true;
	r = mpt_range_map_next(&vm->claimed[MPT_SPACE_MMIO], gpa);
	return r && r->start - gpa < len;
}

/* Whether an MMIO area would cover guest RAM.  No lock: layout is fixed. */
static bool covers_ram(struct mpt_kvm_vm *vm, u64 start, u64 len)
{
	unsigned int i;

	for (i = 0; i < vm->nr_regions; i++) {
		const struct kvm_region *r = &vm->regions[i];

		if (start < r->gpa + r->size && r->gpa < start + len)
			return true;
	}
	return false;
}

/*
 * claim_trap_area: Xen maps the range to the ioreq server; here it goes in
 * the table the exit handler searches, and its doorbells get ioeventfds.
 */
int mpt_kvm_claim_trap_area(void *handle, const struct mpt_trap_area *area)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;
	struct mpt_range r = { .start = area->start, .len = area->len,
			       .data = h, .flags = area->bar };
	struct bind_ctx b = { .h = h, .area = area };
	int ret = 0;

	if (area->space > MPT_SPACE_PIO || !area->len ||
	    area->start + area->len < area->start ||
	    (area->space == MPT_SPACE_PIO && area->start + area->len > 0x10000))
		return -EINVAL;
	if (area->space == MPT_SPACE_MMIO &&
	    covers_ram(vm, area->start, area->len))
		return -EBUSY;
	mpt_mutex_lock(&vm->lock);
	mpt_mutex_lock(&vm->trap_lock);
	if (area->space == MPT_SPACE_MMIO &&
	    kvm_frames_overlap(vm, area->start, area->len))
		ret = -EBUSY;
	if (!ret)
		ret = mpt_range_map_insert(&vm->claimed[area->space], &r);
	if (ret == -EEXIST)
		ret = -EBUSY;
	if (!ret && vm->ioeventfd) {
		mpt_vdev_for_each_doorbell(h->vdev, area->bar, bind_doorbell,
					   &b);
		if (b.err) {
			unbind_area(vm, h, area->space, area->start);
			mpt_range_map_remove(&vm->claimed[area->space],
					     area->start);
			ret = b.err;
			mpt_err("kvm: ioeventfd for a doorbell at %#llx: %d",
				(unsigned long long)area->start, ret);
		}
	}
	if (!ret)
		h->claims++;
	mpt_mutex_unlock(&vm->trap_lock);
	mpt_mutex_unlock(&vm->lock);
	return ret;
}

static void release(struct kvm_handle *h, enum mpt_space space, u64 start)
{
	struct mpt_kvm_vm *vm = h->vm;
	const struct mpt_range *r;

	mpt_assert_held(&vm->trap_lock);
	r = mpt_range_map_lookup(&vm->claimed[space], start);
	if (!r || r->start != start || r->data != h) {
		kvm_violation(vm, "release_trap_area of an area never claimed");
		return;
	}
	unbind_area(vm, h, space, start);
	mpt_range_map_remove(&vm->claimed[space], start);
	h->claims--;
}

void mpt_kvm_release_trap_area(void *handle, const struct mpt_trap_area *area)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;

	if (area->space > MPT_SPACE_PIO) {
		kvm_violation(vm, "release_trap_area of a bad space");
		return;
	}
	mpt_mutex_lock(&vm->trap_lock);
	release(h, area->space, area->start);
	mpt_mutex_unlock(&vm->trap_lock);
}

void kvm_trap_drop_all(struct kvm_handle *h)
{
	struct mpt_kvm_vm *vm = h->vm;
	unsigned int s, i;

	mpt_mutex_lock(&vm->trap_lock);
	for (s = 0; s < 2; s++) {
		struct mpt_range_map *m = &vm->claimed[s];

		for (i = m->nr; i--;)
			if (m->ranges[i].data == h)
				release(h, (enum mpt_space)s,
					m->ranges[i].start);
	}
	mpt_mutex_unlock(&vm->trap_lock);
}

int kvm_trap_dispatch(struct mpt_kvm_vm *vm, enum mpt_space space, u64 addr,
		      void *data, unsigned int len, bool is_write)
{
	const struct mpt_range *r;
	struct mpt_vdev *vdev;
	unsigned int bar;
	u64 offset;
	int ret;

	mpt_mutex_lock(&vm->trap_lock);
	r = mpt_range_map_lookup(&vm->claimed[space], addr);
	if (!r) {
		mpt_mutex_unlock(&vm->trap_lock);
		return -ENOENT;
	}
	vdev = ((struct kvm_handle *)r->data)->vdev;
	bar = r->flags;
	offset = addr - r->start;
	mpt_vdev_get(vdev);
	mpt_mutex_unlock(&vm->trap_lock);
	mpt_stat_inc(space == MPT_SPACE_MMIO ? &vm->stats.mmio_exits :
					       &vm->stats.pio_exits);
	ret = mpt_vdev_bar_access(vdev, bar, offset, data, len, is_write);
	mpt_vdev_put(vdev);
	return ret;
}
