// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Interrupts of the --vfio devices.
 *
 * MSI, as QEMU does it: one eventfd per vector the device offers
 * (VFIO_DEVICE_GET_IRQ_INFO), handed to the device with
 * VFIO_DEVICE_SET_IRQS, and each bound as a KVM irqfd to its own GSI.  The
 * GSI's route (KVM_SET_GSI_ROUTING, type MSI) carries the address and
 * data the guest programmed in the device's MSI capability; mptrun reads
 * the capability after every configuration write and rebuilds the table
 * when they changed.  While MSI is disabled, or points outside the LAPIC's
 * window, the GSIs have no route and a signal is dropped.  The device's
 * signal reaches the LAPIC without a userspace step.
 *
 * The table holds KVM's default routes for GSIs 0-23 (the in-kernel PIC
 * and IOAPIC) and the MSI routes of every device: KVM_SET_GSI_ROUTING
 * replaces it whole, so it is rebuilt under vfio_host.route_lock.
 *
 * The request IRQ (VFIO_PCI_REQ_IRQ_INDEX): the host asks for the device
 * back, e.g. the mdev is being removed.  A thread watches its eventfd and
 * ends the run with MPTRUN_STATUS_REMOVED; teardown then closes the
 * device and the removal completes.
 */
#include <linux/kvm.h>
#include <linux/vfio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mptrun.h"

#define NR_LEGACY_GSI 24
#define NR_DEFAULT_ROUTES (16 * 2 + 8) /* PIC pins 0-15 twice, IOAPIC */
#define MSI_CAP_ID 0x05
#define MSI_FLAGS_ENABLE 0x1
#define MSI_FLAGS_64BIT 0x80
#define MSI_ADDR_BASE 0xfee00000ULL /* the LAPICs' MSI window, 1 MiB */

static int irq_info(struct vfio_dev *d, unsigned int index,
		    struct vfio_irq_info *ii)
{
	memset(ii, 0, sizeof(*ii));
	ii->argsz = sizeof(*ii);
	ii->index = index;
	return ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, ii);
}

/* Give the device @n eventfds for @index (ACTION_TRIGGER). */
static int set_eventfds(struct vfio_dev *d, unsigned int index,
			const int *fds, unsigned int n)
{
	size_t size = sizeof(struct vfio_irq_set) + n * sizeof(s32);
	struct vfio_irq_set *set = calloc(1, size);
	int ret;

	if (!set)
		return -ENOMEM;
	set->argsz = (u32)size;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->count = n;
	memcpy(set->data, fds, n * sizeof(s32));
	ret = ioctl(d->fd, VFIO_DEVICE_SET_IRQS, set) < 0 ? -errno : 0;
	free(set);
	return ret;
}

static int bind_irqfd(struct vfio_dev *d, int fd, u32 gsi, bool on)
{
	struct kvm_irqfd irqfd = { .fd = (u32)fd, .gsi = gsi,
				   .flags = on ? 0 : KVM_IRQFD_FLAG_DEASSIGN };

	return ioctl(d->m->vm_fd, KVM_IRQFD, &irqfd) < 0 ? -errno : 0;
}

/* Find the MSI capability; the device's layout does not change. */
static void find_msi_cap(struct vfio_dev *d)
{
	unsigned int pos, hops;

	if (!(mptrun_vfio_cfg_read(d, 0x06, 2) & 0x10)) /* no capability list */
		return;
	pos = mptrun_vfio_cfg_read(d, 0x34, 1) & 0xfc;
	for (hops = 0; pos >= 0x40 && pos < 0x100 && hops < 48; hops++) {
		if ((mptrun_vfio_cfg_read(d, pos, 1) & 0xff) == MSI_CAP_ID) {
			d->msi_cap = (u8)pos;
			return;
		}
		pos = mptrun_vfio_cfg_read(d, pos + 1, 1) & 0xfc;
	}
}

static int msi_setup(struct vfio_dev *d)
{
	struct vfio_irq_info ii;
	unsigned int i, n;
	int ret;

	if (irq_info(d, VFIO_PCI_MSI_IRQ_INDEX, &ii) < 0 ||
	    !(ii.flags & VFIO_IRQ_INFO_EVENTFD) || !ii.count)
		return 0; /* no MSI: nothing to route */
	find_msi_cap(d);
	if (!d->msi_cap) {
		fprintf(stderr, "mptrun: --vfio %s: MSI without an MSI capability\n",
			d->sysfsdev);
		return -ENODEV;
	}
	n = ii.count < MPTRUN_VFIO_MAX_VECTORS ? ii.count :
						 MPTRUN_VFIO_MAX_VECTORS;
	for (i = 0; i < n; i++) {
		d->msi_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (d->msi_fd[i] < 0)
			return -errno;
		d->nr_vectors = i + 1;
		ret = bind_irqfd(d, d->msi_fd[i], d->gsi_base + i, true);
		if (ret) {
			close(d->msi_fd[i]);
			d->msi_fd[i] = -1;
			d->nr_vectors = i;
			fprintf(stderr, "mptrun: --vfio %s: KVM_IRQFD: %s\n",
				d->sysfsdev, strerror(-ret));
			return ret;
		}
	}
	ret = set_eventfds(d, VFIO_PCI_MSI_IRQ_INDEX, d->msi_fd, n);
	if (ret)
		fprintf(stderr, "mptrun: --vfio %s: VFIO_DEVICE_SET_IRQS (MSI, %u vectors): %s\n",
			d->sysfsdev, n, strerror(-ret));
	return ret;
}

static int req_setup(struct vfio_dev *d)
{
	struct vfio_irq_info ii;
	int ret;

	if (irq_info(d, VFIO_PCI_REQ_IRQ_INDEX, &ii) < 0 ||
	    !(ii.flags & VFIO_IRQ_INFO_EVENTFD) || !ii.count) {
		fprintf(stderr,
			"mptrun: --vfio %s: no request IRQ: removing the device will wait for the end of the run\n",
			d->sysfsdev);
		return 0;
	}
	d->req_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->req_fd < 0)
		return -errno;
	ret = set_eventfds(d, VFIO_PCI_REQ_IRQ_INDEX, &d->req_fd, 1);
	if (ret)
		fprintf(stderr, "mptrun: --vfio %s: VFIO_DEVICE_SET_IRQS (request): %s\n",
			d->sysfsdev, strerror(-ret));
	return ret;
}

int mptrun_vfio_irq_setup(struct vfio_dev *d)
{
	int ret = msi_setup(d);

	return ret ? ret : req_setup(d);
}

void mptrun_vfio_irq_teardown(struct vfio_dev *d)
{
	struct vfio_irq_set off = {
		.argsz = sizeof(off),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_MSI_IRQ_INDEX,
	};
	unsigned int i;

	if (d->nr_vectors && d->fd >= 0)
		ioctl(d->fd, VFIO_DEVICE_SET_IRQS, &off);
	for (i = 0; i < d->nr_vectors; i++) {
		bind_irqfd(d, d->msi_fd[i], d->gsi_base + i, false);
		close(d->msi_fd[i]);
		d->msi_fd[i] = -1;
	}
	d->nr_vectors = 0;
	if (d->req_fd >= 0)
		close(d->req_fd);
	d->req_fd = -1;
}

static void add_route(struct kvm_irq_routing *t, u32 gsi, u32 type, u32 a,
		      u32 b, u32 c)
{
	struct kvm_irq_routing_entry *e = &t->entries[t->nr++];

	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = type;
	if (type == KVM_IRQ_ROUTING_IRQCHIP) {
		e->u.irqchip.irqchip = a;
		e->u.irqchip.pin = b;
	} else {
		e->u.msi.address_lo = a;
		e->u.msi.address_hi = b;
		e->u.msi.data = c;
	}
}

/* Install KVM's defaults and every enabled vector's route; route_lock. */
static int install_routes(struct machine *m)
{
	struct kvm_irq_routing *t;
	unsigned int i, v, gsi;
	int ret = 0;

	t = calloc(1, sizeof(*t) + (NR_DEFAULT_ROUTES +
				    MPTRUN_VFIO_MAX_DEVICES *
					    MPTRUN_VFIO_MAX_VECTORS) *
					   sizeof(t->entries[0]));
	if (!t)
		return -ENOMEM;
	for (gsi = 0; gsi < NR_LEGACY_GSI; gsi++) {
		if (gsi < 16)
			add_route(t, gsi, KVM_IRQ_ROUTING_IRQCHIP,
				  gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
					    KVM_IRQCHIP_PIC_SLAVE,
				  gsi % 8, 0);
		add_route(t, gsi, KVM_IRQ_ROUTING_IRQCHIP, KVM_IRQCHIP_IOAPIC,
			  gsi, 0);
	}
	for (i = 0; i < m->vfio.nr; i++) {
		struct vfio_dev *d = m->vfio.dev[i];
		/* Multiple messages: the vector number in the low data bits. */
		u32 low = d->msi_enabled > 1 ? d->msi_enabled - 1 : 0;

		/* An address outside the LAPIC's window gets no route. */
		if (!d->msi_on || (d->msi_addr & ~0xfffffULL) != MSI_ADDR_BASE)
			continue;
		for (v = 0; v < d->msi_enabled; v++)
			add_route(t, d->gsi_base + v, KVM_IRQ_ROUTING_MSI,
				  (u32)d->msi_addr, (u32)(d->msi_addr >> 32),
				  (d->msi_data & ~low) | v);
	}
	if (ioctl(m->vm_fd, KVM_SET_GSI_ROUTING, t) < 0)
		ret = -errno;
	free(t);
	return ret;
}

/*
 * Read the MSI capability of @d; when the guest changed what it enabled
 * or where it points, rebuild the routes.  Under @d's cfg_lock (or before
 * the vCPUs run).
 */
void mptrun_vfio_msi_update(struct vfio_dev *d)
{
	struct machine *m = d->m;
	unsigned int cap = d->msi_cap, nvec;
	u16 ctrl;
	u64 addr;
	u32 data;
	bool on;
	int ret;

	if (!cap || !d->nr_vectors)
		return;
	ctrl = (u16)mptrun_vfio_cfg_read(d, cap + 2, 2);
	addr = mptrun_vfio_cfg_read(d, cap + 4, 4);
	if (ctrl & MSI_FLAGS_64BIT) {
		addr |= (u64)mptrun_vfio_cfg_read(d, cap + 8, 4) << 32;
		data = mptrun_vfio_cfg_read(d, cap + 12, 2) & 0xffff;
	} else {
		data = mptrun_vfio_cfg_read(d, cap + 8, 2) & 0xffff;
	}
	on = ctrl & MSI_FLAGS_ENABLE;
	nvec = 1u << ((ctrl >> 4) & 7);
	if (nvec > d->nr_vectors)
		nvec = d->nr_vectors;
	pthread_mutex_lock(&m->vfio.route_lock);
	if (on != d->msi_on ||
	    (on && (addr != d->msi_addr || data != d->msi_data ||
		    nvec != d->msi_enabled))) {
		d->msi_on = on;
		d->msi_addr = addr;
		d->msi_data = data;
		d->msi_enabled = nvec;
		mpt_stat_inc(&d->n.route_updates);
		ret = install_routes(m);
		if (ret)
			mptrun_finish(m, MPTRUN_STATUS_HOST,
				      "--vfio %s: KVM_SET_GSI_ROUTING: %s",
				      d->sysfsdev, strerror(-ret));
	}
	pthread_mutex_unlock(&m->vfio.route_lock);
}

static void *watch_requests(void *arg)
{
	struct machine *m = arg;
	struct vfio_host *h = &m->vfio;
	struct pollfd p[MPTRUN_VFIO_MAX_DEVICES + 1];
	struct vfio_dev *who[MPTRUN_VFIO_MAX_DEVICES + 1];
	unsigned int i, n = 0;

	p[n].fd = h->stop_fd;
	p[n].events = POLLIN;
	who[n++] = NULL;
	for (i = 0; i < h->nr; i++) {
		if (h->dev[i]->req_fd < 0)
			continue;
		p[n].fd = h->dev[i]->req_fd;
		p[n].events = POLLIN;
		who[n++] = h->dev[i];
	}
	for (;;) {
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			break;
		for (i = 1; i < n; i++) {
			if (!p[i].revents)
				continue;
			mptrun_finish(m, MPTRUN_STATUS_REMOVED,
				      "--vfio %s: the host asks for the device back (it is being removed); ending the run",
				      who[i]->sysfsdev);
			return NULL;
		}
	}
	return NULL;
}

int mptrun_vfio_watch_start(struct machine *m)
{
	struct vfio_host *h = &m->vfio;
	int ret;

	h->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (h->stop_fd < 0)
		return -errno;
	ret = pthread_create(&h->req_thread, NULL, watch_requests, m);
	if (ret)
		return -ret;
	h->req_started = true;
	return 0;
}

void mptrun_vfio_watch_stop(struct machine *m)
{
	struct vfio_host *h = &m->vfio;
	u64 one = 1;

	if (h->req_started) {
		if (write(h->stop_fd, &one, sizeof(one)) != sizeof(one))
			fprintf(stderr, "mptrun: cannot stop the request watcher\n");
		pthread_join(h->req_thread, NULL);
		h->req_started = false;
	}
	if (h->stop_fd >= 0)
		close(h->stop_fd);
	h->stop_fd = -1;
}
