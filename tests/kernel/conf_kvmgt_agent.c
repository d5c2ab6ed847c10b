// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The agent of mpt_conf_kvmgt.ko (tests/kernel/conf_kvmgt_main.c): a small
 * VMM that makes KVM guests for the backend conformance suite over the
 * in-kernel "kvmgt" backend, has the module run the suite, and plays the
 * guests' CPUs while it runs.  A static program of the kernel tier
 * (guest/tests/conf_kvmgt.sh).
 *
 *   conf_kvmgt_agent [--only SUBSTRING] [--die-after N] GROUP:UUID [GROUP:UUID]
 *
 * Each GROUP:UUID is an mpt_mdev mdev (its IOMMU group number and UUID);
 * each becomes one guest:
 *
 * - a KVM VM with the suite's RAM layout (tests/conformance/conformance.h)
 *   in 2 MiB pages (see map_huge()), one memslot per region, and a memslot
 *   of the agent's own outside it (STUB_GPA: a page of code and a scratch
 *   buffer) for a vCPU in 32-bit protected mode, paging off;
 * - the mdev opened as a VMM opens it: a type1 container mapping the RAM
 *   with VFIO_IOMMU_MAP_DMA at iova = guest-physical address, the group
 *   added to the VM's KVM-VFIO device BEFORE VFIO_GROUP_GET_DEVICE_FD (the
 *   device takes the VM when it is opened; the backend then requires the
 *   opener to be the VM's process), and an eventfd for each MSI vector
 *   (VFIO_DEVICE_SET_IRQS).
 *
 * Then one thread calls CONF_KVMGT_RUN (the suite runs in the kernel and
 * prints KTAP on the kernel log) while another serves the suite's
 * requests: RESET zeroes a guest's RAM, READ and WRITE have its vCPU load
 * or store with rep movsb through the scratch buffer, or store 1, 2, 4 or
 * 8 bytes with one mov (MMX movq for 8), so that KVM sees real guest
 * stores.  Afterwards it prints, as "# " lines, the suite's status and how
 * often the backend signalled each guest's MSI eventfds.
 *
 * --only runs the cases whose name contains SUBSTRING.  --die-after makes
 * the agent die (exit status 9, at once, without answering) when the
 * suite sends request N + 1: the module must then give up on it and end
 * the suite rather than hang (conf_kvmgt.sh checks that).
 *
 * Exit status: the suite's (0 every case passed, 1 one failed, 2 it could
 * not run); 3 when the guests could not be made.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/vfio.h>

#include "conf_kvmgt_uapi.h"
#include "conformance.h"

#define STUB_GPA 0xf0000000ULL
#define SCRATCH_GPA (STUB_GPA + 4096)
#define STUB_SIZE (4096 + CONF_KVMGT_CHUNK)
#define STUB_SLOT 0
#define DONE_PORT 0x5f0
#define MAX_VECTORS 32
#define HUGE_SIZE (2ULL << 20)

/* The vCPU's routines, 16 bytes apart; each ends with an out to DONE_PORT. */
enum stub_op { OP_COPY, OP_ST1, OP_ST2, OP_ST4, OP_MOVQ, NR_OPS };

/* mov dx, DONE_PORT; out dx, al; jmp $ */
#define DONE 0x66, 0xba, DONE_PORT & 0xff, DONE_PORT >> 8, 0xee, 0xeb, 0xfe

static const uint8_t stub_code[NR_OPS][16] = {
	[OP_COPY] = { 0xfc, 0xf3, 0xa4, DONE }, /* cld; rep movsb */
	[OP_ST1] = { 0x88, 0x07, DONE }, /* mov [edi], al */
	[OP_ST2] = { 0x66, 0x89, 0x07, DONE }, /* mov [edi], ax */
	[OP_ST4] = { 0x89, 0x07, DONE }, /* mov [edi], eax */
	/* movq mm0, [esi]; movq [edi], mm0 */
	[OP_MOVQ] = { 0x0f, 0x6f, 0x06, 0x0f, 0x7f, 0x07, DONE },
};

static const struct conf_kvmgt_region layout[] = {
	{ CONF_R0_GPA, CONF_R0_SIZE },
	{ CONF_R1_GPA, CONF_R1_SIZE },
	{ CONF_R2_GPA, CONF_R2_SIZE },
};
#define NR_REGIONS (sizeof(layout) / sizeof(layout[0]))

/* A host mapping of guest RAM: one per run of adjacent regions. */
struct mapping {
	uint64_t gpa;
	uint64_t size; /* of the regions: what memslots and MAP_DMA cover */
	uint64_t len; /* of the mapping: whole huge pages */
	uint8_t *hva;
};

struct guest {
	const char *uuid;
	int group_nr;
	int kvm, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *stub;
	struct mapping map[NR_REGIONS];
	unsigned int nr_maps;
	const char *ram_backing;
	int container, group, kvm_vfio, device;
	int efd[MAX_VECTORS];
	unsigned int nr_vectors;
};

static struct guest guests[CONF_KVMGT_MAX_GUESTS];
static unsigned int nr_guests;
static int ctl = -1;
static int run_over; /* RUN returned: the server may stop */
static long die_after = -1;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---- The VM ------------------------------------------------------------- */

static int set_cpuid(struct guest *g)
{
	struct kvm_cpuid2 *c;
	int ret = 0;

	c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	if (!c)
		return -ENOMEM;
	c->nent = 256;
	if (ioctl(g->kvm, KVM_GET_SUPPORTED_CPUID, c) < 0 ||
	    ioctl(g->vcpu, KVM_SET_CPUID2, c) < 0)
		ret = -errno;
	free(c);
	return ret;
}

/* 32-bit flat protected mode, paging off. */
static int set_sregs(struct guest *g)
{
	struct kvm_segment code = { .base = 0, .limit = 0xffffffff,
				    .selector = 0x8, .type = 0xb,
				    .present = 1, .db = 1, .s = 1, .g = 1 };
	struct kvm_segment data = code;
	struct kvm_sregs sr;

	if (ioctl(g->vcpu, KVM_GET_SREGS, &sr) < 0)
		return -errno;
	data.type = 0x3;
	data.selector = 0x10;
	sr.cs = code;
	sr.ds = sr.es = sr.fs = sr.gs = sr.ss = data;
	sr.cr0 = 0x33; /* PE, MP, ET, NE: MMX usable */
	sr.cr4 = 0;
	sr.efer = 0;
	return ioctl(g->vcpu, KVM_SET_SREGS, &sr) < 0 ? -errno : 0;
}

static int set_slot(struct guest *g, unsigned int slot, uint64_t gpa,
		    uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
	};

	return ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

/*
 * Guest RAM in 2 MiB pages, so that every 2 MiB of guest-physical space
 * within a mapping is host-contiguous, as the backend's dma_map needs for
 * 64 KiB and 2 MiB mappings (no IOMMU in front of an mdev: the bus address
 * is the physical one).  hugetlbfs pages when some are reserved
 * (vm.nr_hugepages; conf_kvmgt.sh reserves them), otherwise transparent
 * huge pages in a 2 MiB aligned mapping, which the kernel may fail to
 * find.  @how says which.
 */
static uint8_t *map_huge(uint64_t len, const char **how)
{
	uint8_t *p, *aligned;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p != MAP_FAILED) {
		*how = "hugetlbfs pages";
		return p;
	}
	p = mmap(NULL, len + HUGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return p;
	aligned = (uint8_t *)(((uintptr_t)p + HUGE_SIZE - 1) &
			      ~(uintptr_t)(HUGE_SIZE - 1));
	if (aligned > p)
		munmap(p, (size_t)(aligned - p));
	munmap(aligned + len, (size_t)(p + HUGE_SIZE - aligned));
	madvise(aligned, len, MADV_HUGEPAGE);
	*how = "transparent huge pages (no hugetlbfs pages reserved)";
	return aligned;
}

/* RAM: adjacent regions share a mapping; one memslot per region. */
static int make_ram(struct guest *g)
{
	unsigned int i, j, slot = STUB_SLOT + 1;
	int ret;

	for (i = 0; i < NR_REGIONS; i = j) {
		struct mapping *m = &g->map[g->nr_maps];
		uint8_t *p;

		m->gpa = layout[i].gpa;
		m->size = layout[i].size;
		for (j = i + 1; j < NR_REGIONS &&
				layout[j].gpa == layout[j - 1].gpa +
							 layout[j - 1].size;
		     j++)
			m->size += layout[j].size;
		m->len = (m->size + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
		m->hva = map_huge(m->len, &g->ram_backing);
		if (m->hva == MAP_FAILED)
			return -errno;
		g->nr_maps++;
		for (p = m->hva; i < j; i++) {
			ret = set_slot(g, slot++, layout[i].gpa,
				       layout[i].size, p);
			if (ret)
				return ret;
			p += layout[i].size;
		}
	}
	return 0;
}

static int make_vm(struct guest *g)
{
	int ret, mmap_size;

	g->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (g->kvm < 0)
		return -errno;
	g->vm = ioctl(g->kvm, KVM_CREATE_VM, 0);
	if (g->vm < 0)
		return -errno;
	g->stub = mmap(NULL, STUB_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->stub == MAP_FAILED)
		return -errno;
	memcpy(g->stub, stub_code, sizeof(stub_code));
	ret = set_slot(g, STUB_SLOT, STUB_GPA, STUB_SIZE, g->stub);
	if (!ret)
		ret = make_ram(g);
	if (ret)
		return ret;
	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	mmap_size = ioctl(g->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (g->vcpu < 0 || mmap_size <= 0)
		return -errno;
	g->run_size = (size_t)mmap_size;
	g->run = mmap(NULL, g->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      g->vcpu, 0);
	if (g->run == MAP_FAILED)
		return -errno;
	ret = set_cpuid(g);
	return ret ? ret : set_sregs(g);
}

/* ---- The mdev, opened as a VMM opens it ---------------------------------- */

static int map_dma(struct guest *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_maps; i++) {
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map),
			.flags = VFIO_DMA_MAP_FLAG_READ |
				 VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = (uint64_t)(uintptr_t)g->map[i].hva,
			.iova = g->map[i].gpa,
			.size = g->map[i].size,
		};

		if (ioctl(g->container, VFIO_IOMMU_MAP_DMA, &map) < 0)
			return -errno;
	}
	return 0;
}

/* The VM's KVM-VFIO device learns the group: the device takes the VM. */
static int link_kvm(struct guest *g)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_GROUP,
		.attr = KVM_DEV_VFIO_GROUP_ADD,
		.addr = (uint64_t)(uintptr_t)&g->group,
	};

	if (ioctl(g->vm, KVM_CREATE_DEVICE, &cd) < 0)
		return -errno;
	g->kvm_vfio = cd.fd;
	return ioctl(g->kvm_vfio, KVM_SET_DEVICE_ATTR, &attr) < 0 ? -errno : 0;
}

/* An eventfd for every MSI vector the device has. */
static int set_msi(struct guest *g)
{
	struct vfio_irq_info ii = { .argsz = sizeof(ii),
				    .index = VFIO_PCI_MSI_IRQ_INDEX };
	char buf[sizeof(struct vfio_irq_set) + MAX_VECTORS * sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	unsigned int i;

	if (ioctl(g->device, VFIO_DEVICE_GET_IRQ_INFO, &ii) < 0)
		return -errno;
	if (!ii.count || ii.count > MAX_VECTORS)
		return -ERANGE;
	for (i = 0; i < ii.count; i++) {
		g->efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (g->efd[i] < 0)
			return -errno;
		g->nr_vectors++;
	}
	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(*set) + ii.count * sizeof(int32_t);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->start = 0;
	set->count = ii.count;
	memcpy(set->data, g->efd, ii.count * sizeof(int32_t));
	return ioctl(g->device, VFIO_DEVICE_SET_IRQS, set) < 0 ? -errno : 0;
}

static int open_mdev(struct guest *g)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	char path[64];
	int ret;

	g->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (g->container < 0)
		return -errno;
	snprintf(path, sizeof(path), "/dev/vfio/%d", g->group_nr);
	g->group = open(path, O_RDWR | O_CLOEXEC);
	if (g->group < 0)
		return -errno;
	if (ioctl(g->group, VFIO_GROUP_GET_STATUS, &gs) < 0)
		return -errno;
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return -EBUSY;
	if (ioctl(g->group, VFIO_GROUP_SET_CONTAINER, &g->container) < 0 ||
	    ioctl(g->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
		return -errno;
	ret = map_dma(g);
	if (!ret)
		ret = link_kvm(g);
	if (ret)
		return ret;
	g->device = ioctl(g->group, VFIO_GROUP_GET_DEVICE_FD, g->uuid);
	if (g->device < 0)
		return -errno;
	return set_msi(g);
}

/* ---- The guest's CPU ----------------------------------------------------- */

/* Run routine @op with the registers given, until it reports done. */
static int vcpu_run(struct guest *g, enum stub_op op, uint32_t eax,
		    uint32_t ecx, uint32_t esi, uint32_t edi)
{
	struct kvm_regs regs = {
		.rip = STUB_GPA + 16 * (uint64_t)op, .rflags = 0x2,
		.rax = eax, .rcx = ecx, .rsi = esi, .rdi = edi,
	};
	struct kvm_run *run = g->run;

	if (ioctl(g->vcpu, KVM_SET_REGS, &regs) < 0)
		return -errno;
	for (;;) {
		if (ioctl(g->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (run->exit_reason == KVM_EXIT_IO &&
		    run->io.port == DONE_PORT &&
		    run->io.direction == KVM_EXIT_IO_OUT)
			return 0;
		/* RAM never exits: anything else is a fault of the harness. */
		say("guest %s: unexpected exit %u (MMIO at %#llx)", g->uuid,
		    run->exit_reason,
		    (unsigned long long)run->mmio.phys_addr);
		return -EIO;
	}
}

static bool is_ram(uint64_t gpa, uint64_t len)
{
	unsigned int i;

	while (len) {
		for (i = 0; i < NR_REGIONS; i++)
			if (gpa - layout[i].gpa < layout[i].size)
				break;
		if (i == NR_REGIONS)
			return false;
		if (len <= layout[i].gpa + layout[i].size - gpa)
			return true;
		len -= layout[i].gpa + layout[i].size - gpa;
		gpa = layout[i].gpa + layout[i].size;
	}
	return true;
}

static int guest_reset(struct guest *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_maps; i++)
		if (madvise(g->map[i].hva, g->map[i].len, MADV_DONTNEED) < 0)
			return -errno;
	return 0;
}

static int guest_read(struct guest *g, uint64_t gpa, void *buf, uint32_t len)
{
	int ret;

	ret = vcpu_run(g, OP_COPY, 0, len, (uint32_t)gpa, SCRATCH_GPA);
	if (!ret)
		memcpy(buf, g->stub + 4096, len);
	return ret;
}

/* One instruction for the sizes one stores at once; rep movsb otherwise. */
static int guest_write(struct guest *g, uint64_t gpa, const void *data,
		       uint32_t len)
{
	uint32_t v = 0;

	memcpy(g->stub + 4096, data, len);
	switch (len) {
	case 1:
	case 2:
	case 4:
		memcpy(&v, data, len);
		return vcpu_run(g, len == 1 ? OP_ST1 : len == 2 ? OP_ST2 :
					OP_ST4, v, 0, 0, (uint32_t)gpa);
	case 8:
		return vcpu_run(g, OP_MOVQ, 0, 0, SCRATCH_GPA, (uint32_t)gpa);
	}
	return vcpu_run(g, OP_COPY, 0, len, SCRATCH_GPA, (uint32_t)gpa);
}

static int serve(const struct conf_kvmgt_wait *w, uint8_t *buf)
{
	struct guest *g;

	if (w->guest >= nr_guests || w->len > CONF_KVMGT_CHUNK)
		return -EINVAL;
	g = &guests[w->guest];
	if (w->op == CONF_KVMGT_RESET)
		return guest_reset(g);
	if (w->gpa + w->len < w->gpa || w->gpa + w->len > 1ULL << 32 ||
	    !is_ram(w->gpa, w->len))
		return -EFAULT;
	if (!w->len)
		return 0;
	if (w->op == CONF_KVMGT_READ)
		return guest_read(g, w->gpa, buf, w->len);
	if (w->op == CONF_KVMGT_WRITE)
		return guest_write(g, w->gpa, buf, w->len);
	return -EINVAL;
}

/* The second thread: takes the suite's requests until RUN is over. */
static void *server(void *arg)
{
	static uint8_t buf[CONF_KVMGT_CHUNK];
	unsigned int served = 0;

	(void)arg;
	for (;;) {
		struct conf_kvmgt_wait w = { .data = (uint64_t)(uintptr_t)buf };
		struct conf_kvmgt_reply r = { 0 };

		if (ioctl(ctl, CONF_KVMGT_WAIT, &w) < 0) {
			if ((errno == EAGAIN || errno == EINTR) &&
			    !__atomic_load_n(&run_over, __ATOMIC_ACQUIRE))
				continue;
			if (errno != ESHUTDOWN && errno != EAGAIN)
				say("CONF_KVMGT_WAIT: %s", strerror(errno));
			break;
		}
		if (die_after >= 0 && served == die_after) {
			say("dying with request %u unanswered (--die-after)",
			    w.seq);
			_exit(9);
		}
		r.seq = w.seq;
		r.result = serve(&w, buf);
		if (!r.result && w.op == CONF_KVMGT_READ) {
			r.data = (uint64_t)(uintptr_t)buf;
			r.len = w.len;
		}
		if (ioctl(ctl, CONF_KVMGT_REPLY, &r) < 0)
			say("CONF_KVMGT_REPLY %u: %s", w.seq, strerror(errno));
		served++;
	}
	say("the agent served %u requests", served);
	return NULL;
}

/* ---- Main ----------------------------------------------------------------- */

static int make_guest(struct guest *g)
{
	int ret = make_vm(g);

	if (ret) {
		say("guest %s: the VM: %s", g->uuid, strerror(-ret));
		return ret;
	}
	ret = open_mdev(g);
	if (ret)
		say("guest %s: the mdev through VFIO (group %d): %s", g->uuid,
		    g->group_nr, strerror(-ret));
	return ret;
}

/* How often the backend signalled each of the guests' MSI eventfds. */
static void report_msis(void)
{
	unsigned int i, v;

	for (i = 0; i < nr_guests; i++) {
		char line[256];
		uint64_t total = 0;
		size_t n = 0;

		for (v = 0; v < guests[i].nr_vectors; v++) {
			eventfd_t count = 0;

			if (eventfd_read(guests[i].efd[v], &count) < 0)
				count = 0;
			total += count;
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      " %llu",
					      (unsigned long long)count);
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
		}
		say("msi: guest %u signalled %llu times (per vector:%s)", i,
		    (unsigned long long)total, line);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: conf_kvmgt_agent [--only SUBSTRING] "
			"[--die-after N] GROUP:UUID [GROUP:UUID]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct conf_kvmgt_run run;
	pthread_t thread;
	unsigned int i;
	int a = 1, ret;

	memset(&run, 0, sizeof(run));
	for (; a + 1 < argc && !strncmp(argv[a], "--", 2); a += 2) {
		if (!strcmp(argv[a], "--only"))
			snprintf(run.only, sizeof(run.only), "%s",
				 argv[a + 1]);
		else if (!strcmp(argv[a], "--die-after"))
			die_after = atol(argv[a + 1]);
		else
			return usage();
	}
	if (a >= argc || argc - a > CONF_KVMGT_MAX_GUESTS)
		return usage();
	for (; a < argc; a++) {
		struct guest *g = &guests[nr_guests];
		char *colon = strchr(argv[a], ':');

		if (!colon || strlen(colon + 1) >= CONF_KVMGT_UUID_LEN)
			return usage();
		g->group_nr = atoi(argv[a]);
		g->uuid = colon + 1;
		strcpy(run.uuid[nr_guests], g->uuid);
		nr_guests++;
	}
	ctl = open("/dev/" CONF_KVMGT_DEV, O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		say("/dev/" CONF_KVMGT_DEV ": %s", strerror(errno));
		return 3;
	}
	for (i = 0; i < nr_guests; i++)
		if (make_guest(&guests[i]))
			return 3;
	say("%u guests ready: KVM VMs with the suite's layout in %s, mdevs open",
	    nr_guests, guests[0].ram_backing);

	run.nr_guests = nr_guests;
	run.nr_regions = NR_REGIONS;
	memcpy(run.regions, layout, sizeof(layout));
	if (pthread_create(&thread, NULL, server, NULL)) {
		say("cannot start the server thread");
		return 3;
	}
	ret = ioctl(ctl, CONF_KVMGT_RUN, &run);
	if (ret < 0)
		say("CONF_KVMGT_RUN: %s", strerror(errno));
	__atomic_store_n(&run_over, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	report_msis();
	if (ret < 0)
		return 2;
	say("the suite's status: %d", run.status);
	return run.status;
}
