/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mptrun: a minimal VMM for the machine of mptrun_abi.h, on KVM, with mpt
 * device models on a virtual PCI bus.
 *
 * Standard output carries the guest's COM1 output and nothing else (tests
 * parse it as TAP); errors and statistics go to standard error.
 */
#ifndef MPTRUN_H
#define MPTRUN_H

#include <pthread.h>
#include <stdio.h>

#include <mpt/mpt.h>
#include <mpt/kvm.h>

#include <mpt_os.h>

#include "mptrun_abi.h"
#include "vfio.h"

/* mptrun's own exit statuses; a guest's exit port value is its own. */
#define MPTRUN_STATUS_HOST 1 /* the host could not set the machine up */
#define MPTRUN_STATUS_USAGE 2 /* bad options or a bad guest image */
#define MPTRUN_STATUS_REMOVED 123 /* the host took a --vfio device back */
#define MPTRUN_STATUS_TIMEOUT 124 /* --timeout expired */
#define MPTRUN_STATUS_SHUTDOWN 125 /* triple fault or guest shutdown */
#define MPTRUN_STATUS_KVM 126 /* KVM internal error or failed entry */

#define MPTRUN_MAX_DEVICES 8
#define MPTRUN_START_INFO_SIZE 4096

struct mptrun_opts {
	u64 mem_mib;
	unsigned int vcpus;
	const char *devices[MPTRUN_MAX_DEVICES];
	unsigned int nr_devices;
	const char *vfio[MPTRUN_MAX_DEVICES]; /* --vfio SYSFSDEV */
	unsigned int nr_vfio;
	const char *snapshot;
	bool stats;
	const char *stats_file;
	unsigned int timeout;
	bool ioeventfd;
	const char *guest;
};

struct machine;

struct vcpu {
	struct machine *m;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool started;
	/* Inside KVM_RUN (or about to enter), and its thread; m->run_lock. */
	bool in_run;
	pthread_t self;
};

/* Counters of what mptrun itself handled; atomics (mpt_stat_inc). */
struct mptrun_counts {
	u64 pio_exits;
	u64 mmio_exits;
	u64 unhandled_pio;
	u64 unhandled_mmio;
	u64 serial_bytes;
	u64 pci_accesses;
	u64 slot_race_retries;
};

struct machine {
	struct mptrun_opts o;
	int kvm_fd;
	int vm_fd;
	size_t run_size;
	u8 *ram;
	u64 ram_size;
	u32 entry;
	struct mpt_backend *be;
	struct mpt_kvm_vm *vm;
	struct mpt_vdev *dev[MPTRUN_MAX_DEVICES];
	unsigned int nr_dev;
	struct vfio_host vfio; /* the --vfio devices (vfio.h) */
	struct vcpu vcpu[MPTRUN_MAX_VCPUS];
	struct mptrun_counts n;

	/* COM1: one line buffer shared by the vCPUs. */
	pthread_mutex_t out_lock;
	char line[512];
	size_t line_len;
	u8 lcr;

	/*
	 * Pausing the vCPUs for the backend's memslot changes (vcpu.c): while
	 * @paused, no vCPU thread enters KVM_RUN.  Also guards @stop's store
	 * and each vcpu's in_run.
	 */
	pthread_mutex_t run_lock;
	pthread_cond_t run_cond; /* a vCPU left KVM_RUN, or resume, or stop */
	unsigned int paused;

	u32 cf8; /* PCI configuration address; atomic */
	u16 bridge_cmd;

	/* The end of the run: the first to call mptrun_finish() decides. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	bool stop; /* atomic: vCPU threads leave their loop */
	int status;
};

/* elf.c: load the guest image into RAM; 0, or a message in @err. */
int mptrun_load_elf(struct machine *m, const char *path, char *err,
		    size_t errlen);

/* vcpu.c */
/* What the backend pauses the vCPUs with (arg: the machine). */
extern const struct mpt_kvm_vcpu_ops mptrun_vcpu_ops;
int mptrun_vcpus_create(struct machine *m);
int mptrun_vcpus_start(struct machine *m);
/* Stop the vCPU threads; false if one would not stop. */
bool mptrun_vcpus_stop(struct machine *m);
void mptrun_vcpus_destroy(struct machine *m);
/* End the run with @status and (if not NULL) an error on stderr. */
void mptrun_finish(struct machine *m, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* parse_uint.c: a whole decimal number in [@min, @max], or false. */
bool mptrun_parse_uint(const char *s, u64 min, u64 max, u64 *out);

/* io.c: port I/O and MMIO the VMM itself serves. */
void mptrun_pio(struct machine *m, u16 port, u8 *data, unsigned int len,
		bool is_write);
void mptrun_mmio(struct machine *m, u64 gpa, u8 *data, unsigned int len,
		 bool is_write);
void mptrun_serial_flush(struct machine *m);

/* report.c: --stats and --snapshot. */
int mptrun_write_stats(struct machine *m);
int mptrun_snapshot(struct machine *m, const char *path);
/* @px: @w x @h pixels, 0x00RRGGBB (the top byte is ignored). */
int mptrun_write_png(const char *path, const u32 *px, unsigned int w,
		     unsigned int h);

#endif /* MPTRUN_H */
