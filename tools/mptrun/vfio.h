/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mptrun --vfio SYSFSDEV: a VFIO PCI device (an mdev of mpt_mdev.ko, whose
 * device model runs in the kernel) on mptrun's PCI bus, as QEMU's
 * -device vfio-pci,sysfsdev=SYSFSDEV gives it to a guest.
 *
 *   vfio.c        container, group, the KVM-VFIO link, the device, its
 *                 regions; guest RAM mapped for DMA at iova = gpa
 *   vfio_pci.c    the guest's accesses: configuration space forwarded to
 *                 the config region, BARs decoded from it, MMIO and port
 *                 I/O in decoded BARs forwarded to the BAR regions
 *   vfio_irq.c    MSI: one eventfd per vector, a KVM irqfd each, GSI
 *                 routes from the MSI capability; the request IRQ (the
 *                 host removes the device) ends the run
 *   vfio_plane.c  --snapshot: the primary plane (VFIO_DEVICE_QUERY_GFX_PLANE)
 *
 * The devices take the PCI slots after the --device ones, in command-line
 * order.  --vfio and --device do not mix in one run: the userspace KVM
 * backend owns the VM's GSI routing table (include/mpt/kvm.h), and so does
 * the VFIO path.
 */
#ifndef MPTRUN_VFIO_H
#define MPTRUN_VFIO_H

#include <pthread.h>
#include <stdbool.h>

#include <mpt/types.h>

#define MPTRUN_VFIO_NR_BARS 6
#define MPTRUN_VFIO_MAX_VECTORS 32 /* what an MSI capability can enable */
#define MPTRUN_VFIO_MAX_DEVICES 8
/* GSIs 0-23 keep KVM's default routes (PIC, IOAPIC); MSIs from here. */
#define MPTRUN_VFIO_GSI_BASE 24

struct machine;

/* One region of the device, as VFIO_DEVICE_GET_REGION_INFO gave it. */
struct vfio_region {
	u64 offset; /* in the device fd */
	u64 size; /* 0: the device has no such region */
	u32 flags;
};

/* Where the guest decoded one BAR; base valid only when @on. */
struct vfio_bar_map {
	bool on;
	bool io;
	u64 base;
};

/* Counters; atomics (mpt_stat_inc). */
struct vfio_counts {
	u64 cfg_accesses;
	u64 mmio;
	u64 pio;
	u64 errors; /* a region access the device refused */
	u64 route_updates;
};

struct vfio_dev {
	struct machine *m;
	const char *sysfsdev;
	const char *name; /* the last component: the mdev's UUID */
	unsigned int slot; /* PCI device number on bus 0 */
	int group_fd;
	int fd;
	bool group_linked; /* added to the KVM-VFIO device */
	struct vfio_region cfg;
	struct vfio_region bar[MPTRUN_VFIO_NR_BARS];

	/* The guest's decoding of the BARs; readers take it shared. */
	pthread_rwlock_t map_lock;
	struct vfio_bar_map map[MPTRUN_VFIO_NR_BARS];
	pthread_mutex_t cfg_lock; /* a config write and its refresh */

	/* MSI: eventfds bound as irqfds to GSIs gsi_base + vector; the
	 * guest's programming (msi_on ...) under vfio_host.route_lock. */
	unsigned int nr_vectors;
	int msi_fd[MPTRUN_VFIO_MAX_VECTORS];
	u32 gsi_base;
	u8 msi_cap; /* 0: none */
	bool msi_on;
	u64 msi_addr;
	u32 msi_data;
	unsigned int msi_enabled; /* vectors the guest enabled */
	int req_fd; /* the request eventfd, or -1 */

	struct vfio_counts n;
};

/* Host-wide state of the VFIO path; in struct machine. */
struct vfio_host {
	int container;
	int kvm_vfio; /* the KVM-VFIO device */
	struct vfio_dev *dev[MPTRUN_VFIO_MAX_DEVICES];
	unsigned int nr;
	/* GSI routing: KVM's defaults plus every device's MSI routes. */
	pthread_mutex_t route_lock;
	pthread_t req_thread;
	bool req_started;
	int stop_fd; /* eventfd: the request watcher leaves */
};

/* vfio.c: init before anything can fail; setup returns an exit status. */
void mptrun_vfio_init(struct machine *m);
int mptrun_vfio_setup(struct machine *m);
void mptrun_vfio_teardown(struct machine *m);

/*
 * Hosts that share io.c and report.c but have no --vfio devices (mpt-xen)
 * build them with MPTRUN_VFIO=0: no access is a VFIO device's then.
 */
#ifndef MPTRUN_VFIO
#define MPTRUN_VFIO 1
#endif

#if MPTRUN_VFIO
/* vfio_pci.c: false if @slot is no VFIO device's. */
bool mptrun_vfio_cfg(struct machine *m, unsigned int slot, unsigned int off,
		     u8 *data, unsigned int len, bool is_write);
bool mptrun_vfio_mmio(struct machine *m, u64 gpa, u8 *data, unsigned int len,
		      bool is_write);
bool mptrun_vfio_pio(struct machine *m, u16 port, u8 *data, unsigned int len,
		     bool is_write);
/* vfio_plane.c */
int mptrun_vfio_snapshot(struct vfio_dev *d, const char *path);
#else
static inline bool mptrun_vfio_cfg(struct machine *m, unsigned int slot,
				   unsigned int off, u8 *data,
				   unsigned int len, bool is_write)
{
	(void)m, (void)slot, (void)off, (void)data, (void)len, (void)is_write;
	return false;
}

static inline bool mptrun_vfio_mmio(struct machine *m, u64 gpa, u8 *data,
				    unsigned int len, bool is_write)
{
	(void)m, (void)gpa, (void)data, (void)len, (void)is_write;
	return false;
}

static inline bool mptrun_vfio_pio(struct machine *m, u16 port, u8 *data,
				   unsigned int len, bool is_write)
{
	(void)m, (void)port, (void)data, (void)len, (void)is_write;
	return false;
}

static inline int mptrun_vfio_snapshot(struct vfio_dev *d, const char *path)
{
	(void)d, (void)path;
	return -ENODEV;
}
#endif
void mptrun_vfio_refresh(struct vfio_dev *d);
/* Read @len (1, 2, 4) bytes of config space; all ones if refused. */
u32 mptrun_vfio_cfg_read(struct vfio_dev *d, unsigned int off,
			 unsigned int len);

/* vfio_irq.c */
int mptrun_vfio_irq_setup(struct vfio_dev *d);
void mptrun_vfio_irq_teardown(struct vfio_dev *d);
void mptrun_vfio_msi_update(struct vfio_dev *d);
int mptrun_vfio_watch_start(struct machine *m);
void mptrun_vfio_watch_stop(struct machine *m);

#endif /* MPTRUN_VFIO_H */
