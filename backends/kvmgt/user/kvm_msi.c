// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * MSIs in the KVM backend: irqfd with GSI routes, KVM_SIGNAL_MSI fallback.
 *
 * inject_msi must not sleep, but making an irqfd route does: it replaces
 * the VM's whole GSI routing table (KVM_SET_GSI_ROUTING) and binds an
 * eventfd (KVM_IRQFD), under a mutex.  So the two are split:
 *
 *   inject_msi (any context)                backend thread (may sleep)
 *   ------------------------                ---------------------------
 *   look (addr, data) up in the route
 *   cache, under a spinlock:
 *     READY: write 1 to its eventfd
 *     absent: add it PENDING, kick the  ->  make every PENDING route: one
 *       thread, and deliver this one        KVM_SET_GSI_ROUTING for all of
 *       with KVM_SIGNAL_MSI                 them, an eventfd and KVM_IRQFD
 *     PENDING or FAILED: KVM_SIGNAL_MSI     each, then mark them READY
 *
 * Both paths are one non-blocking syscall.  The first MSI of a vector goes
 * through KVM_SIGNAL_MSI, later ones through the irqfd.  Routes are never
 * removed (a device reprogramming its vectors leaves stale ones behind);
 * after KVM_MAX_MSI_ROUTES distinct messages, new ones stay on
 * KVM_SIGNAL_MSI.
 *
 * The routing table the backend installs keeps KVM's default routes for
 * GSIs 0-23 (PIC and IOAPIC pins, as KVM_CREATE_IRQCHIP set them up), so a
 * VMM's legacy interrupt lines keep working; MSI routes use GSIs from 24.
 */
#include <linux/kvm.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_priv.h"

#define NR_LEGACY_GSI 24
#define NR_DEFAULT_ROUTES (16 * 2 + 8)

static u32 route_hash(u64 addr, u32 data)
{
	u64 k = addr * 0x9e3779b97f4a7c15ULL ^ data * 0xc2b2ae3d27d4eb4fULL;

	return (u32)(k >> 40) & (KVM_ROUTE_CACHE - 1);
}

static struct kvm_irq_routing *routing(struct mpt_kvm_vm *vm)
{
	return vm->routing;
}

static void add_irqchip(struct kvm_irq_routing *t, u32 gsi, u32 chip,
			u32 pin)
{
	struct kvm_irq_routing_entry *e = &t->entries[t->nr++];

	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = chip;
	e->u.irqchip.pin = pin;
}

int kvm_msi_init(struct mpt_kvm_vm *vm)
{
	size_t size = sizeof(struct kvm_irq_routing) +
		      (NR_DEFAULT_ROUTES + KVM_MAX_MSI_ROUTES) *
			      sizeof(struct kvm_irq_routing_entry);
	struct kvm_irq_routing *t = mpt_zalloc(size);
	u32 gsi;

	if (!t)
		return -ENOMEM;
	/* KVM's default routing with an in-kernel irqchip. */
	for (gsi = 0; gsi < NR_LEGACY_GSI; gsi++) {
		if (gsi < 16)
			add_irqchip(t, gsi,
				    gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
					      KVM_IRQCHIP_PIC_SLAVE,
				    gsi % 8);
		add_irqchip(t, gsi, KVM_IRQCHIP_IOAPIC, gsi);
	}
	vm->routing = t;
	vm->next_gsi = NR_LEGACY_GSI;
	return 0;
}

void kvm_msi_fini(struct mpt_kvm_vm *vm)
{
	struct kvm_irq_routing *t = routing(vm);
	unsigned int i;

	for (i = 0; i < KVM_ROUTE_CACHE; i++) {
		struct kvm_route *r = &vm->routes[i];
		struct kvm_irqfd irqfd = { .fd = (u32)r->fd, .gsi = r->gsi,
					   .flags = KVM_IRQFD_FLAG_DEASSIGN };

		if (r->state != KVM_ROUTE_READY)
			continue;
		ioctl(vm->vm_fd, KVM_IRQFD, &irqfd);
		close(r->fd);
		r->state = KVM_ROUTE_FREE;
	}
	/* Give the VMM back KVM's default table. */
	if (t && vm->nr_msi_routes) {
		t->nr = NR_DEFAULT_ROUTES;
		ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, t);
	}
	mpt_free(t);
	vm->routing = NULL;
}

/* The cache entry for (@addr, @data), or where it would go, or NULL. */
static struct kvm_route *route_slot(struct mpt_kvm_vm *vm, u64 addr, u32 data)
{
	u32 i = route_hash(addr, data), n;

	for (n = 0; n < KVM_ROUTE_CACHE; n++) {
		struct kvm_route *r = &vm->routes[i];

		if (r->state == KVM_ROUTE_FREE ||
		    (r->addr == addr && r->data == data))
			return r;
		i = (i + 1) & (KVM_ROUTE_CACHE - 1);
	}
	return NULL;
}

static void observe(struct mpt_kvm_vm *vm, u64 addr, u32 data)
{
	void (*fn)(void *arg, u64 addr, u32 data);
	void *arg;

	mpt_spin_lock(&vm->msi_lock);
	fn = vm->msi_observer;
	arg = vm->msi_observer_arg;
	mpt_spin_unlock(&vm->msi_lock);
	if (fn)
		fn(arg, addr, data);
}

/*
 * inject_msi: the kernel backend signals the irqfd's eventfd too; there is
 * no userspace step between the eventfd and the LAPIC.
 */
int mpt_kvm_inject_msi(void *handle, u64 addr, u32 data)
{
	struct mpt_kvm_vm *vm = ((struct kvm_handle *)handle)->vm;
	struct kvm_msi msi = { .address_lo = (u32)addr,
			       .address_hi = (u32)(addr >> 32), .data = data };
	bool kick = false;
	struct kvm_route *r;
	u64 one = 1;
	int fd = -1;

	if (addr - KVM_MSI_WINDOW_BASE >= KVM_MSI_WINDOW_SIZE)
		return -EINVAL;
	mpt_spin_lock(&vm->msi_lock);
	r = route_slot(vm, addr, data);
	if (r && r->state == KVM_ROUTE_READY) {
		fd = r->fd;
	} else if (r && r->state == KVM_ROUTE_FREE &&
		   vm->nr_msi_routes < KVM_MAX_MSI_ROUTES) {
		r->addr = addr;
		r->data = data;
		r->state = KVM_ROUTE_PENDING;
		kick = true;
	}
	mpt_spin_unlock(&vm->msi_lock);
	if (kick)
		kvm_thread_kick(vm);
	if (fd >= 0 && write(fd, &one, sizeof(one)) == sizeof(one)) {
		mpt_stat_inc(&vm->stats.msi_irqfd);
		observe(vm, addr, data);
		return 0;
	}
	/* >0: delivered; 0: the guest blocked it (no such destination). */
	if (ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi) < 0)
		return -EIO;
	mpt_stat_inc(&vm->stats.msi_signal);
	observe(vm, addr, data);
	return 0;
}

static void add_msi(struct kvm_irq_routing *t, u32 gsi, u64 addr, u32 data)
{
	struct kvm_irq_routing_entry *e = &t->entries[t->nr++];

	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = (u32)addr;
	e->u.msi.address_hi = (u32)(addr >> 32);
	e->u.msi.data = data;
}

/* Bind an eventfd to @gsi; the fd, or a negative errno. */
static int bind_irqfd(struct mpt_kvm_vm *vm, u32 gsi)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct kvm_irqfd irqfd = { .gsi = gsi };
	int ret;

	if (fd < 0)
		return -errno;
	irqfd.fd = (u32)fd;
	if (ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/* Mark the pending routes in @idx[0..n) FAILED or READY. */
static void publish(struct mpt_kvm_vm *vm, const u32 *idx, const int *fds,
		    const u32 *gsis, unsigned int n)
{
	unsigned int i;

	mpt_spin_lock(&vm->msi_lock);
	for (i = 0; i < n; i++) {
		struct kvm_route *r = &vm->routes[idx[i]];

		if (fds[i] < 0) {
			r->state = KVM_ROUTE_FAILED;
			continue;
		}
		r->fd = fds[i];
		r->gsi = gsis[i];
		r->state = KVM_ROUTE_READY;
	}
	mpt_spin_unlock(&vm->msi_lock);
}

void kvm_msi_make_routes(struct mpt_kvm_vm *vm)
{
	struct kvm_irq_routing *t = routing(vm);
	static const unsigned int batch = 64;
	u32 idx[64], gsis[64];
	int fds[64];
	unsigned int i, n = 0, base;
	int ret;

	mpt_mutex_lock(&vm->route_lock);
	base = t->nr;
	mpt_spin_lock(&vm->msi_lock);
	for (i = 0; i < KVM_ROUTE_CACHE && n < batch; i++) {
		struct kvm_route *r = &vm->routes[i];

		if (r->state != KVM_ROUTE_PENDING ||
		    vm->nr_msi_routes + n >= KVM_MAX_MSI_ROUTES)
			continue;
		idx[n] = i;
		gsis[n] = vm->next_gsi + n;
		add_msi(t, gsis[n], r->addr, r->data);
		n++;
	}
	mpt_spin_unlock(&vm->msi_lock);
	if (!n)
		goto out;
	ret = ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, t) < 0 ? -errno : 0;
	for (i = 0; i < n; i++)
		fds[i] = ret ? ret : bind_irqfd(vm, gsis[i]);
	if (ret) {
		mpt_err("kvm: KVM_SET_GSI_ROUTING with %u routes: %d", t->nr,
			ret);
		t->nr = base;
	} else {
		vm->next_gsi += n;
		vm->nr_msi_routes += n;
	}
	publish(vm, idx, fds, gsis, n);
	if (n == batch)
		kvm_thread_kick(vm);
out:
	mpt_mutex_unlock(&vm->route_lock);
}

unsigned int kvm_test_msi_routes(struct mpt_kvm_vm *vm)
{
	unsigned int i, n = 0;

	mpt_spin_lock(&vm->msi_lock);
	for (i = 0; i < KVM_ROUTE_CACHE; i++)
		n += vm->routes[i].state == KVM_ROUTE_READY;
	mpt_spin_unlock(&vm->msi_lock);
	return n;
}
