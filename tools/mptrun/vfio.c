// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * --vfio SYSFSDEV: open a VFIO PCI device and give it to the VM, in the
 * order the kernel needs:
 *
 *   /dev/vfio/vfio (the container), /dev/vfio/GROUP from
 *   SYSFSDEV/iommu_group; the group must be viable; it joins the
 *   container; the first group sets the IOMMU model (type1v2, else type1)
 *   and guest RAM is mapped for DMA at iova = guest-physical address;
 *   the group is linked to the VM through the KVM-VFIO device;
 *   then VFIO_GROUP_GET_DEVICE_FD.
 *
 * The link comes before the device is opened: Linux 6.1 gives a VFIO
 * device its struct kvm when it is opened, and mpt_mdev.ko needs it there
 * (KVM page tracking).  An mdev sits behind an emulated IOMMU: mapping
 * the RAM pins nothing; the device pins what it uses (vfio_pin_pages).
 */
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/kvm.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mptrun.h"

/* An error about device @d (or the VFIO path if NULL): 1 (host). */
static int fail(struct vfio_dev *d, const char *what)
{
	int err = errno;

	if (d)
		fprintf(stderr, "mptrun: --vfio %s: %s: %s\n", d->sysfsdev,
			what, strerror(err));
	else
		fprintf(stderr, "mptrun: vfio: %s: %s\n", what, strerror(err));
	return MPTRUN_STATUS_HOST;
}

static int open_container(struct machine *m)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct vfio_host *h = &m->vfio;

	h->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (h->container < 0)
		return fail(NULL, "/dev/vfio/vfio");
	if (ioctl(h->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		errno = ENOSYS;
		return fail(NULL, "VFIO API version");
	}
	if (ioctl(m->vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		return fail(NULL, "KVM_CREATE_DEVICE (KVM-VFIO)");
	h->kvm_vfio = (int)cd.fd;
	return 0;
}

/* The group's number from SYSFSDEV/iommu_group; -1 if there is none. */
static int group_number(const char *sysfsdev)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	char *end;
	long g;

	if (snprintf(link, sizeof(link), "%s/iommu_group", sysfsdev) >=
	    (int)sizeof(link))
		return -1;
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return -1;
	target[n] = 0;
	errno = 0;
	g = strtol(basename(target), &end, 10);
	if (errno || *end || g < 0 || g > INT_MAX)
		return -1;
	return (int)g;
}

/* The first group sets the IOMMU model and maps guest RAM. */
static int set_iommu(struct machine *m, struct vfio_dev *d)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (u64)(uintptr_t)m->ram,
		.iova = 0,
		.size = m->ram_size,
	};
	int c = m->vfio.container;
	unsigned long type = VFIO_TYPE1v2_IOMMU;

	if (ioctl(c, VFIO_CHECK_EXTENSION, type) <= 0)
		type = VFIO_TYPE1_IOMMU;
	if (ioctl(c, VFIO_CHECK_EXTENSION, type) <= 0) {
		errno = ENOSYS;
		return fail(d, "no type1 IOMMU (is vfio_iommu_type1 loaded?)");
	}
	if (ioctl(c, VFIO_SET_IOMMU, type) < 0)
		return fail(d, "VFIO_SET_IOMMU");
	if (ioctl(c, VFIO_IOMMU_MAP_DMA, &map) < 0)
		return fail(d, "VFIO_IOMMU_MAP_DMA of guest RAM");
	return 0;
}

static int open_group(struct machine *m, struct vfio_dev *d)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct kvm_device_attr attr = { .group = KVM_DEV_VFIO_GROUP,
					.attr = KVM_DEV_VFIO_GROUP_ADD };
	char path[32];
	int g = group_number(d->sysfsdev);

	if (g < 0)
		return fail(d, "its IOMMU group went away");
	snprintf(path, sizeof(path), "/dev/vfio/%d", g);
	d->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->group_fd < 0)
		return fail(d, path);
	if (ioctl(d->group_fd, VFIO_GROUP_GET_STATUS, &st) < 0)
		return fail(d, "VFIO_GROUP_GET_STATUS");
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		return fail(d, "the group is not viable (a device of it is bound elsewhere)");
	}
	if (ioctl(d->group_fd, VFIO_GROUP_SET_CONTAINER, &m->vfio.container) < 0)
		return fail(d, "VFIO_GROUP_SET_CONTAINER");
	if (m->vfio.nr == 0 && set_iommu(m, d))
		return MPTRUN_STATUS_HOST;
	attr.addr = (u64)(uintptr_t)&d->group_fd;
	if (ioctl(m->vfio.kvm_vfio, KVM_SET_DEVICE_ATTR, &attr) < 0)
		return fail(d, "KVM_DEV_VFIO_GROUP_ADD");
	d->group_linked = true;
	return 0;
}

static int region_info(struct vfio_dev *d, unsigned int index,
		       struct vfio_region *r)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = index };

	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0)
		return -errno;
	r->offset = ri.offset;
	r->size = ri.size;
	r->flags = ri.flags;
	/* Only what can be read and written is forwarded. */
	if ((ri.flags & (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)) !=
	    (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE))
		r->size = 0;
	return 0;
}

static int open_device(struct vfio_dev *d)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	unsigned int i;

	d->fd = ioctl(d->group_fd, VFIO_GROUP_GET_DEVICE_FD, d->name);
	if (d->fd < 0)
		return fail(d, "VFIO_GROUP_GET_DEVICE_FD");
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info) < 0)
		return fail(d, "VFIO_DEVICE_GET_INFO");
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
		errno = ENODEV;
		return fail(d, "not a VFIO PCI device");
	}
	if (region_info(d, VFIO_PCI_CONFIG_REGION_INDEX, &d->cfg) ||
	    d->cfg.size < 256) {
		errno = ENODEV;
		return fail(d, "no readable, writable configuration space");
	}
	for (i = 0; i < MPTRUN_VFIO_NR_BARS; i++)
		if (region_info(d, VFIO_PCI_BAR0_REGION_INDEX + i, &d->bar[i]))
			return fail(d, "VFIO_DEVICE_GET_REGION_INFO");
	/* Start from the device's reset state, as QEMU does at machine reset. */
	if ((info.flags & VFIO_DEVICE_FLAGS_RESET) &&
	    ioctl(d->fd, VFIO_DEVICE_RESET) < 0)
		return fail(d, "VFIO_DEVICE_RESET");
	return 0;
}

static struct vfio_dev *new_dev(struct machine *m, const char *sysfsdev)
{
	struct vfio_dev *d = calloc(1, sizeof(*d));
	char *copy;
	size_t len;
	unsigned int i;

	if (!d)
		return NULL;
	copy = strdup(sysfsdev);
	if (!copy) {
		free(d);
		return NULL;
	}
	len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = 0;
	d->m = m;
	d->sysfsdev = copy;
	d->name = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
	d->slot = 1 + m->o.nr_devices + m->vfio.nr;
	d->group_fd = -1;
	d->fd = -1;
	d->req_fd = -1;
	for (i = 0; i < MPTRUN_VFIO_MAX_VECTORS; i++)
		d->msi_fd[i] = -1;
	d->gsi_base = MPTRUN_VFIO_GSI_BASE + m->vfio.nr * MPTRUN_VFIO_MAX_VECTORS;
	pthread_rwlock_init(&d->map_lock, NULL);
	pthread_mutex_init(&d->cfg_lock, NULL);
	return d;
}

void mptrun_vfio_init(struct machine *m)
{
	struct vfio_host *h = &m->vfio;

	h->container = h->kvm_vfio = h->stop_fd = -1;
	pthread_mutex_init(&h->route_lock, NULL);
}

int mptrun_vfio_setup(struct machine *m)
{
	struct vfio_host *h = &m->vfio;
	unsigned int i;
	int ret;

	if (!m->o.nr_vfio)
		return 0;
	/* A wrong path is the user's mistake, told before anything opens. */
	for (i = 0; i < m->o.nr_vfio; i++) {
		if (group_number(m->o.vfio[i]) < 0) {
			fprintf(stderr,
				"mptrun: --vfio %s: no IOMMU group (not a VFIO device?)\n",
				m->o.vfio[i]);
			return MPTRUN_STATUS_USAGE;
		}
	}
	ret = open_container(m);
	if (ret)
		return ret;
	for (i = 0; i < m->o.nr_vfio; i++) {
		struct vfio_dev *d = new_dev(m, m->o.vfio[i]);

		if (!d) {
			fprintf(stderr, "mptrun: out of memory\n");
			return MPTRUN_STATUS_HOST;
		}
		ret = open_group(m, d);
		/* Counted now: teardown undoes what was done. */
		h->dev[h->nr++] = d;
		if (!ret)
			ret = open_device(d);
		if (!ret && mptrun_vfio_irq_setup(d))
			ret = MPTRUN_STATUS_HOST;
		if (ret)
			return ret;
		mptrun_vfio_refresh(d);
	}
	if (mptrun_vfio_watch_start(m))
		return fail(NULL, "the request watcher");
	return 0;
}

static void close_dev(struct machine *m, struct vfio_dev *d)
{
	struct kvm_device_attr attr = { .group = KVM_DEV_VFIO_GROUP,
					.attr = KVM_DEV_VFIO_GROUP_DEL,
					.addr = (u64)(uintptr_t)&d->group_fd };

	mptrun_vfio_irq_teardown(d);
	/* Closing the device deactivates and detaches the mpt instance. */
	if (d->fd >= 0)
		close(d->fd);
	if (d->group_linked)
		ioctl(m->vfio.kvm_vfio, KVM_SET_DEVICE_ATTR, &attr);
	if (d->group_fd >= 0) {
		ioctl(d->group_fd, VFIO_GROUP_UNSET_CONTAINER);
		close(d->group_fd);
	}
	pthread_rwlock_destroy(&d->map_lock);
	pthread_mutex_destroy(&d->cfg_lock);
	free((char *)d->sysfsdev);
	free(d);
}

void mptrun_vfio_teardown(struct machine *m)
{
	struct vfio_host *h = &m->vfio;

	mptrun_vfio_watch_stop(m);
	while (h->nr)
		close_dev(m, h->dev[--h->nr]);
	if (h->kvm_vfio >= 0)
		close(h->kvm_vfio);
	if (h->container >= 0)
		close(h->container);
	h->kvm_vfio = h->container = -1;
}
