// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mptrun: run a guest ELF on KVM with mpt devices (see mptrun_abi.h).
 *
 *	mptrun [--mem MiB] [--vcpus 1|2] [--device TYPE]... [--vfio SYSFSDEV]...
 *	       [--timeout SEC] [--snapshot FILE.png] [--stats]
 *	       [--stats-file FILE] [--doorbell-ioeventfd on|off] GUEST.elf
 *
 * Exit status: the value the guest wrote to the exit port (& 0xff), or one
 * of the MPTRUN_STATUS_* of mptrun.h.
 */
#include <fcntl.h>
#include <getopt.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "mptrun.h"

#if MPTRUN_MGPU
#include "mgpu.h"
#endif

#define TSS_GPA 0xfffbd000ULL
#define MAX_MEM_MIB ((u64)MPTRUN_MMIO_WINDOW >> 20)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mptrun [options] GUEST.elf\n"
		"  --mem MiB                guest RAM (default 64, at most %llu)\n"
		"  --vcpus 1|2              vCPUs (default 1)\n"
		"  --device TYPE            an mpt device (e.g. mgpu) at the next\n"
		"                           PCI slot; repeatable, up to %u\n"
		"  --vfio SYSFSDEV          a VFIO PCI device, e.g. an mdev:\n"
		"                           /sys/bus/mdev/devices/UUID; repeatable,\n"
		"                           not with --device; exit status %d when\n"
		"                           the host takes it back\n"
		"  --timeout SEC            end the run after SEC seconds (default 60,\n"
		"                           0: none); exit status %d\n"
		"  --snapshot FILE.png      at exit, the first mgpu's display (or\n"
		"                           the first --vfio device's plane)\n"
		"  --stats                  JSON statistics to standard error\n"
		"  --stats-file FILE        ... or to FILE\n"
		"  --doorbell-ioeventfd on|off  deliver doorbells without exits\n"
		"                           (default on)\n",
		(unsigned long long)MAX_MEM_MIB, MPTRUN_MAX_DEVICES,
		MPTRUN_STATUS_REMOVED, MPTRUN_STATUS_TIMEOUT);
}

static int bad_option(const char *fmt, const char *arg)
{
	fprintf(stderr, "mptrun: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	return -EINVAL;
}

static int parse_device(struct mptrun_opts *o, const char *arg)
{
	const char *comma = strchr(arg, ',');

	if (o->nr_devices == MPTRUN_MAX_DEVICES)
		return bad_option("--device %s: too many devices", arg);
	if (comma == arg || !*arg)
		return bad_option("--device '%s': no device type", arg);
	/* No device option is defined yet: refuse rather than ignore. */
	if (comma)
		return bad_option("--device %s: unknown device option", arg);
	o->devices[o->nr_devices++] = arg;
	return 0;
}

static int parse_vfio(struct mptrun_opts *o, const char *arg)
{
	if (o->nr_vfio == MPTRUN_VFIO_MAX_DEVICES)
		return bad_option("--vfio %s: too many devices", arg);
	if (!*arg)
		return bad_option("--vfio '%s': no device path", arg);
	o->vfio[o->nr_vfio++] = arg;
	return 0;
}

static int parse_options(struct mptrun_opts *o, int argc, char **argv)
{
	enum { O_MEM = 256, O_VCPUS, O_DEVICE, O_VFIO, O_SNAPSHOT, O_STATS,
	       O_STATS_FILE, O_TIMEOUT, O_DOORBELL, O_HELP };
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, O_MEM },
		{ "vcpus", required_argument, NULL, O_VCPUS },
		{ "device", required_argument, NULL, O_DEVICE },
		{ "vfio", required_argument, NULL, O_VFIO },
		{ "snapshot", required_argument, NULL, O_SNAPSHOT },
		{ "stats", no_argument, NULL, O_STATS },
		{ "stats-file", required_argument, NULL, O_STATS_FILE },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "doorbell-ioeventfd", required_argument, NULL, O_DOORBELL },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	u64 v;
	int c;

	o->mem_mib = 64;
	o->vcpus = 1;
	o->timeout = 60;
	o->ioeventfd = true;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case O_MEM:
			if (!mptrun_parse_uint(optarg, 1, MAX_MEM_MIB, &v))
				return bad_option("--mem %s: want 1 to 3072 MiB",
						  optarg);
			o->mem_mib = v;
			break;
		case O_VCPUS:
			if (!mptrun_parse_uint(optarg, 1, MPTRUN_MAX_VCPUS, &v))
				return bad_option("--vcpus %s: want 1 or 2",
						  optarg);
			o->vcpus = (unsigned int)v;
			break;
		case O_DEVICE:
			if (parse_device(o, optarg))
				return -EINVAL;
			break;
		case O_VFIO:
			if (parse_vfio(o, optarg))
				return -EINVAL;
			break;
		case O_SNAPSHOT:
			o->snapshot = optarg;
			break;
		case O_STATS:
			o->stats = true;
			break;
		case O_STATS_FILE:
			o->stats = true;
			o->stats_file = optarg;
			break;
		case O_TIMEOUT:
			if (!mptrun_parse_uint(optarg, 0, 86400, &v))
				return bad_option("--timeout %s: want 0 to 86400 seconds",
						  optarg);
			o->timeout = (unsigned int)v;
			break;
		case O_DOORBELL:
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				return bad_option("--doorbell-ioeventfd %s: want on or off",
						  optarg);
			o->ioeventfd = !strcmp(optarg, "on");
			break;
		case O_HELP:
			usage(stderr);
			exit(0);
		default:
			return bad_option("unknown or incomplete option '%s'",
					  argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return bad_option("%s", optind >= argc ? "no guest image given" :
							 "more than one guest image given");
	o->guest = argv[optind];
	/* Both would own the VM's GSI routing table (vfio.h). */
	if (o->nr_vfio && o->nr_devices)
		return bad_option("%s", "--vfio and --device do not mix in one run");
	return 0;
}

static int open_vm(struct machine *m)
{
	int size;

	m->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (m->kvm_fd < 0) {
		fprintf(stderr, "mptrun: /dev/kvm: %s\n", strerror(errno));
		return -errno;
	}
	if (ioctl(m->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fprintf(stderr, "mptrun: unsupported KVM API version\n");
		return -ENOSYS;
	}
	m->vm_fd = ioctl(m->kvm_fd, KVM_CREATE_VM, 0);
	size = ioctl(m->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (m->vm_fd < 0 || size <= 0 ||
	    ioctl(m->vm_fd, KVM_SET_TSS_ADDR, TSS_GPA) < 0 ||
	    ioctl(m->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
		fprintf(stderr, "mptrun: cannot create the VM: %s\n",
			strerror(errno));
		return -errno;
	}
	m->run_size = (size_t)size;
	return 0;
}

/* The PVH start info and its memory map: one RAM region. */
static void write_start_info(struct machine *m)
{
	struct hvm_start_info *si = (void *)(m->ram + MPTRUN_START_INFO_GPA);
	struct hvm_memmap_table_entry *mm = (void *)(si + 1);

	memset(si, 0, MPTRUN_START_INFO_SIZE);
	si->magic = MPTRUN_PVH_MAGIC;
	si->version = 1;
	si->memmap_paddr = MPTRUN_START_INFO_GPA + sizeof(*si);
	si->memmap_entries = 1;
	mm->addr = 0;
	mm->size = m->ram_size;
	mm->type = MPTRUN_MEMMAP_RAM;
}

static int setup_memory(struct machine *m)
{
	struct mpt_kvm_ram ram;
	int ret;

	m->ram_size = m->o.mem_mib << 20;
	/*
	 * VFIO devices pin guest RAM for DMA: shared, so that a pinned page
	 * stays the page KVM maps (no copy-on-write behind the pin).
	 */
	m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE,
		      (m->o.nr_vfio ? MAP_SHARED : MAP_PRIVATE) |
			      MAP_ANONYMOUS | MAP_NORESERVE,
		      -1, 0);
	if (m->ram == MAP_FAILED) {
		m->ram = NULL;
		fprintf(stderr, "mptrun: cannot map %llu MiB of RAM\n",
			(unsigned long long)m->o.mem_mib);
		return -ENOMEM;
	}
	ram = (struct mpt_kvm_ram){ 0, m->ram_size, m->ram };
	ret = mpt_kvm_vm_create(m->vm_fd, &ram, 1, 0, &m->vm);
	if (ret) {
		fprintf(stderr, "mptrun: the KVM backend refused the VM: %d\n",
			ret);
		return ret;
	}
	mpt_kvm_set_ioeventfd(m->vm, m->o.ioeventfd);
	/* Memslot changes for write-tracking pause the vCPUs (vcpu.c). */
	ret = mpt_kvm_set_vcpu_ops(m->vm, &mptrun_vcpu_ops, m);
	if (ret) {
		fprintf(stderr, "mptrun: the KVM backend refused the vCPU ops: %d\n",
			ret);
		return ret;
	}
	return 0;
}

/* Make the instances; 1 for a host error, 2 for a bad device type. */
static int setup_devices(struct machine *m)
{
	unsigned int i;
	int ret;

	ret = mpt_kvm_register(NULL, &m->be);
#if MPTRUN_MGPU
	if (!ret)
		ret = mgpu_register();
#endif
	if (ret) {
		fprintf(stderr, "mptrun: registering with mpt: %d\n", ret);
		return MPTRUN_STATUS_HOST;
	}
	for (i = 0; i < m->o.nr_devices; i++) {
		const char *type = m->o.devices[i];
		struct mpt_vdev *v;

		ret = mpt_vdev_create(type, "kvm", &v);
		if (ret == -ENOENT) {
			fprintf(stderr, "mptrun: --device %s: unknown device type\n",
				type);
			return MPTRUN_STATUS_USAGE;
		}
		if (ret) {
			fprintf(stderr, "mptrun: --device %s: cannot create: %d\n",
				type, ret);
			return MPTRUN_STATUS_HOST;
		}
		m->dev[m->nr_dev++] = v;
		ret = mpt_vdev_attach(v, m->vm);
		if (!ret)
			ret = mpt_vdev_activate(v);
		if (ret) {
			fprintf(stderr, "mptrun: --device %s: cannot attach: %d\n",
				type, ret);
			return MPTRUN_STATUS_HOST;
		}
	}
	return 0;
}

/* Wait for the guest to finish or the timeout. */
static void wait_done(struct machine *m)
{
	struct timespec ts;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += m->o.timeout;
	pthread_mutex_lock(&m->lock);
	while (!m->done && ret == 0)
		ret = m->o.timeout ?
			      pthread_cond_timedwait(&m->cond, &m->lock, &ts) :
			      pthread_cond_wait(&m->cond, &m->lock);
	pthread_mutex_unlock(&m->lock);
	if (ret)
		mptrun_finish(m, MPTRUN_STATUS_TIMEOUT,
			      "timeout: the guest did not finish within %u s",
			      m->o.timeout);
}

static void teardown(struct machine *m)
{
	unsigned int i;

	/* Before the VM: closing a device detaches its model from it. */
	mptrun_vfio_teardown(m);
	for (i = 0; i < m->nr_dev; i++)
		mpt_vdev_destroy(m->dev[i]);
	m->nr_dev = 0;
	mptrun_vcpus_destroy(m);
	if (m->vm)
		mpt_kvm_vm_destroy(m->vm);
	if (m->be && mpt_backend_unregister(m->be))
		fprintf(stderr, "mptrun: the KVM backend is still in use\n");
	if (m->vm_fd > 0)
		close(m->vm_fd);
	if (m->kvm_fd > 0)
		close(m->kvm_fd);
	if (m->ram)
		munmap(m->ram, m->ram_size);
}

static struct machine machine;

int main(int argc, char **argv)
{
	struct machine *m = &machine;
	char err[256];
	int ret, status;

	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	pthread_mutex_init(&m->out_lock, NULL);
	pthread_mutex_init(&m->run_lock, NULL);
	pthread_cond_init(&m->run_cond, NULL);
	mptrun_vfio_init(m);
	if (parse_options(&m->o, argc, argv))
		return MPTRUN_STATUS_USAGE;
#if !MPTRUN_MGPU
	if (m->o.snapshot && !m->o.nr_vfio) {
		fprintf(stderr, "mptrun: --snapshot: built without mgpu\n");
		return MPTRUN_STATUS_USAGE;
	}
#endif
	if (open_vm(m) || setup_memory(m)) {
		teardown(m);
		return MPTRUN_STATUS_HOST;
	}
	if (mptrun_load_elf(m, m->o.guest, err, sizeof(err))) {
		fprintf(stderr, "mptrun: %s: %s\n", m->o.guest, err);
		teardown(m);
		return MPTRUN_STATUS_USAGE;
	}
	write_start_info(m);
	status = setup_devices(m);
	if (!status)
		status = mptrun_vfio_setup(m);
	if (status) {
		teardown(m);
		return status;
	}
	ret = mptrun_vcpus_create(m);
	if (!ret)
		ret = mptrun_vcpus_start(m);
	if (ret) {
		fprintf(stderr, "mptrun: cannot start the vCPUs: %s\n",
			strerror(-ret));
		mptrun_finish(m, MPTRUN_STATUS_HOST, NULL);
	}
	wait_done(m);
	if (!mptrun_vcpus_stop(m)) {
		/* A vCPU is stuck in a device model: leave without teardown. */
		mptrun_serial_flush(m);
		fprintf(stderr, "mptrun: a vCPU did not stop\n");
		_exit(m->status);
	}
	mptrun_serial_flush(m);
	status = m->status;
	/* A device being removed has no display to read. */
	if (m->o.snapshot && status != MPTRUN_STATUS_REMOVED &&
	    mptrun_snapshot(m, m->o.snapshot) && !status)
		status = MPTRUN_STATUS_HOST;
	if (m->o.stats)
		mptrun_write_stats(m);
	teardown(m);
	return status;
}
