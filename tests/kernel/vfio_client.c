// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The kernel tier's VFIO client (guest/tests/mdev.sh): a small static
 * program that drives an mpt_mdev instance of type testdev through the
 * VFIO uAPI, as a VMM would, and prints a KTAP subtest (indented by four)
 * on stdout.
 *
 *   vfio_client GROUP UUID VENDOR DEVICE [CMD]
 *   vfio_client remove GROUP UUID
 *   vfio_client kvm GROUP UUID
 *
 * GROUP: the IOMMU group number (/dev/vfio/GROUP); UUID: the mdev;
 * VENDOR, DEVICE: the PCI IDs the type presents (hex).  CMD, when given,
 * is run with /bin/sh while the device is open and must fail (e.g.
 * "rmmod mpt_mdev": refused while the device is in use).
 *
 * The first form checks the device: regions, config space, BAR0, the MSI
 * vectors each reaching its own eventfd, the request interrupt, guest
 * memory through VFIO_IOMMU_MAP_DMA (the device fills, sums and DMA-maps
 * a buffer of ours through testdev's command block, see
 * tests/kernel/testdev.c), a DMA unmap invalidating the device's mapping,
 * page tracking refused without a VM, and close and reopen.  The second
 * removes the mdev while the device is open: the request eventfd must
 * fire, and the remove complete once we close.  The third links the
 * group to a KVM VM of ours (KVM-VFIO device) before opening, has the
 * device write-track a page of guest RAM and runs a vCPU that writes
 * there: the write must reach the device (KVM's page-track notifier).
 *
 * With VFIO_CLIENT_HOOK in the environment, the first form runs it with
 * /bin/sh while the device is open and guest memory mapped, after putting
 * HOOK_MAGIC at IOVA + 0x5000; it must succeed and leave HOOK_WRITTEN at
 * IOVA + 0x6000 (tests/kernel/kvmgt_test.c: a harness attaching its own
 * instance to the open mdev).
 * Exit status 0 when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/vfio.h>

/* tests/kernel/testdev.c: 4 MSI vectors, the command block in BAR0. */
#define NVEC 4
#define REG_GPA_LO 0x100
#define REG_GPA_HI 0x104
#define REG_LEN 0x108
#define REG_PATTERN 0x10c
#define REG_CMD 0x110
#define REG_STATUS 0x114
#define REG_RESULT 0x118
#define REG_INVALIDATED 0x11c
#define REG_RAISE 0x120
#define REG_TRACKED 0x124
enum { OP_FILL = 1, OP_SUM, OP_MAP, OP_PEEK, OP_UNMAP, OP_TRACK, OP_UNTRACK };
#define MAX_LEN (64 << 10)

#define MSI_ADDR 0xfee00000U
#define MSI_DATA 0x4020U
#define IOVA 0x100000ULL
#define HOOK_MAGIC "mpt kvmgt test!"
#define HOOK_WRITTEN "written by a harness"
#define BUF_SIZE (64 << 10)

struct client {
	int container, group, dev;
	const char *uuid;
	uint64_t cfg, bar0;	/* region offsets */
	uint8_t *buf;		/* guest memory, mapped at IOVA */
	int efd[NVEC], req;
};

static int n, nfail;

static void result(int ok, const char *what)
{
	n++;
	printf("    %sok %d %s\n", ok ? "" : "not ", n, what);
	if (!ok) {
		nfail++;
		printf("    # %s: %s\n", what, strerror(errno));
	}
	fflush(stdout);
}

static int region(int dev, unsigned int index, struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, ri);
}

static uint32_t rd32(struct client *c, uint64_t off)
{
	uint32_t v = 0xffffffff;

	if (pread(c->dev, &v, 4, c->bar0 + off) != 4)
		return 0xffffffff;
	return v;
}

static void wr32(struct client *c, uint64_t off, uint32_t v)
{
	if (pwrite(c->dev, &v, 4, c->bar0 + off) != 4)
		printf("    # BAR0 write at %#llx failed: %s\n",
		       (unsigned long long)off, strerror(errno));
}

static int cfg_rw(struct client *c, unsigned int off, void *v, size_t len,
		  int write)
{
	ssize_t r = write ? pwrite(c->dev, v, len, c->cfg + off) :
			    pread(c->dev, v, len, c->cfg + off);

	return r == (ssize_t)len ? 0 : -1;
}

/* Run a testdev command on [gpa, gpa + len); returns its STATUS. */
static int32_t dev_cmd(struct client *c, uint32_t op, uint64_t gpa,
		       uint32_t len)
{
	wr32(c, REG_GPA_LO, (uint32_t)gpa);
	wr32(c, REG_GPA_HI, (uint32_t)(gpa >> 32));
	wr32(c, REG_LEN, len);
	wr32(c, REG_CMD, op);
	return (int32_t)rd32(c, REG_STATUS);
}

static int set_irqs(struct client *c, uint32_t index, uint32_t flags,
		    uint32_t start, uint32_t count, const void *data,
		    size_t size)
{
	char b[sizeof(struct vfio_irq_set) + 64];
	struct vfio_irq_set *is = (struct vfio_irq_set *)b;

	is->argsz = sizeof(*is) + size;
	is->flags = flags | VFIO_IRQ_SET_ACTION_TRIGGER;
	is->index = index;
	is->start = start;
	is->count = count;
	memcpy(is->data, data, size);
	return ioctl(c->dev, VFIO_DEVICE_SET_IRQS, is);
}

/* Each eventfd's count since last time (0 when not signalled). */
static uint64_t drain(int fd)
{
	uint64_t cnt = 0;

	if (read(fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return 0;
	return cnt;
}

static int open_container(struct client *c, const char *grp)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	char path[64];

	c->container = open("/dev/vfio/vfio", O_RDWR);
	result(c->container >= 0 &&
		       ioctl(c->container, VFIO_GET_API_VERSION) == VFIO_API_VERSION &&
		       ioctl(c->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0,
	       "open /dev/vfio/vfio, API version, type1v2 extension");
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	c->group = open(path, O_RDWR);
	result(c->group >= 0 && !ioctl(c->group, VFIO_GROUP_GET_STATUS, &gs) &&
		       (gs.flags & VFIO_GROUP_FLAGS_VIABLE),
	       "open the group, viable");
	result(!ioctl(c->group, VFIO_GROUP_SET_CONTAINER, &c->container),
	       "VFIO_GROUP_SET_CONTAINER");
	/* v2, as VMMs use: type1 pins pages for mdevs only in v2. */
	result(!ioctl(c->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU),
	       "VFIO_SET_IOMMU type1v2");
	return c->container >= 0 && c->group >= 0 ? 0 : -1;
}

/* Open the device and find its config space and BAR0. */
static int open_device(struct client *c)
{
	struct vfio_region_info ri;

	c->dev = ioctl(c->group, VFIO_GROUP_GET_DEVICE_FD, c->uuid);
	if (c->dev < 0)
		return -1;
	if (region(c->dev, VFIO_PCI_CONFIG_REGION_INDEX, &ri))
		return -1;
	c->cfg = ri.offset;
	if (region(c->dev, VFIO_PCI_BAR0_REGION_INDEX, &ri))
		return -1;
	c->bar0 = ri.offset;
	return 0;
}

static int enable_decoding(struct client *c)
{
	uint16_t cmd = 0;

	if (cfg_rw(c, 4, &cmd, 2, 0))
		return -1;
	cmd |= 0x2;	/* memory decoding */
	if (cfg_rw(c, 4, &cmd, 2, 1))
		return -1;
	cmd = 0;
	return cfg_rw(c, 4, &cmd, 2, 0) || !(cmd & 0x2) ? -1 : 0;
}

static void check_basics(struct client *c, unsigned long vendor,
			 unsigned long device)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_region_info cfg, bar0;
	uint16_t ids[2] = { 0, 0 };
	uint32_t val = 0x5a5aa5a5, back;

	result(!ioctl(c->dev, VFIO_DEVICE_GET_INFO, &di) &&
		       (di.flags & VFIO_DEVICE_FLAGS_PCI) &&
		       di.num_regions >= VFIO_PCI_NUM_REGIONS &&
		       di.num_irqs >= VFIO_PCI_NUM_IRQS,
	       "VFIO_DEVICE_GET_INFO: a PCI device");
	printf("    # flags %#x, %u regions, %u irqs\n", di.flags,
	       di.num_regions, di.num_irqs);
	result(!region(c->dev, VFIO_PCI_CONFIG_REGION_INDEX, &cfg) &&
		       cfg.size == 256 &&
		       (cfg.flags & VFIO_REGION_INFO_FLAG_READ),
	       "GET_REGION_INFO: config space, 256 bytes");
	result(!cfg_rw(c, 0, ids, 4, 0) && ids[0] == vendor && ids[1] == device,
	       "config space: vendor and device IDs of the type");
	printf("    # IDs %04x:%04x, expected %04lx:%04lx\n", ids[0], ids[1],
	       vendor, device);
	result(!enable_decoding(c), "config space: enable memory decoding");
	result(!region(c->dev, VFIO_PCI_BAR0_REGION_INDEX, &bar0) &&
		       bar0.size > 0 &&
		       (bar0.flags & VFIO_REGION_INFO_FLAG_WRITE),
	       "GET_REGION_INFO: BAR0");
	wr32(c, 0, val);
	back = rd32(c, 0);
	result(back == val, "BAR0: a register written reads back");
	printf("    # wrote %#x, read %#x\n", val, back);
	result(!region(c->dev, VFIO_PCI_NUM_REGIONS + 5, &bar0) ? 0 :
								  errno == EINVAL,
	       "GET_REGION_INFO: a bad index is refused");
}

static uint32_t irq_count(struct client *c, uint32_t index)
{
	struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = index };

	if (ioctl(c->dev, VFIO_DEVICE_GET_IRQ_INFO, &ii) ||
	    !(ii.flags & VFIO_IRQ_INFO_EVENTFD))
		return 0;
	return ii.count;
}

/* Find the MSI capability and enable @nvec vectors (a power of two). */
static int enable_msi(struct client *c, unsigned int nvec)
{
	uint32_t addr = MSI_ADDR, hi = 0;
	uint16_t data = MSI_DATA, ctrl;
	uint8_t p = 0, id = 0;
	int guard = 48;

	cfg_rw(c, 0x34, &p, 1, 0);
	while (p && guard-- && !cfg_rw(c, p, &id, 1, 0) && id != 0x05)
		cfg_rw(c, p + 1, &p, 1, 0);
	if (id != 0x05)
		return -1;
	ctrl = 1 | (__builtin_ctz(nvec) << 4);
	return cfg_rw(c, p + 4, &addr, 4, 1) || cfg_rw(c, p + 8, &hi, 4, 1) ||
	       cfg_rw(c, p + 12, &data, 2, 1) || cfg_rw(c, p + 2, &ctrl, 2, 1);
}

/* Raise each vector in turn; each must reach its own eventfd only. */
static int raise_each(struct client *c, unsigned int skip)
{
	unsigned int v, w;
	int ok = 1;

	for (v = 0; v < NVEC; v++)
		drain(c->efd[v]);
	for (v = 0; v < NVEC; v++) {
		int32_t st;

		wr32(c, REG_RAISE, v);
		st = (int32_t)rd32(c, REG_STATUS);
		for (w = 0; w < NVEC; w++) {
			uint64_t cnt = drain(c->efd[w]);
			uint64_t want = w == v && v != skip;

			if (cnt != want) {
				printf("    # vector %u raised (status %d): eventfd %u counted %llu\n",
				       v, st, w, (unsigned long long)cnt);
				ok = 0;
			}
		}
		if (st != (v == skip ? -EIO : 0)) {
			printf("    # vector %u: status %d\n", v, st);
			ok = 0;
		}
	}
	return ok;
}

static void check_msi(struct client *c)
{
	int32_t fds[NVEC], none = -1, bad[2] = { -1, -1 };
	uint8_t fire[2] = { 1, 0 };
	unsigned int v;

	result(irq_count(c, VFIO_PCI_MSI_IRQ_INDEX) == NVEC,
	       "GET_IRQ_INFO: MSI, eventfd, 4 vectors");
	for (v = 0; v < NVEC; v++)
		fds[v] = c->efd[v] = eventfd(0, EFD_NONBLOCK);
	result(!set_irqs(c, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_DATA_EVENTFD,
			 0, NVEC, fds, sizeof(fds)),
	       "SET_IRQS: an eventfd for each of the 4 MSI vectors");
	result(!set_irqs(c, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE, 0,
			 1, NULL, 0) && drain(c->efd[0]) == 1,
	       "SET_IRQS DATA_NONE: vector 0 triggered from the host side");
	result(!enable_msi(c, NVEC), "config space: MSI enabled, 4 vectors");
	result(raise_each(c, NVEC),
	       "the device raises vectors 0-3: each reaches its own eventfd");
	result(!set_irqs(c, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_DATA_EVENTFD,
			 2, 1, &none, sizeof(none)) && raise_each(c, 2),
	       "fd -1 clears vector 2 alone: raising it fails with -EIO");
	result(!set_irqs(c, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_DATA_BOOL, 1,
			 2, fire, sizeof(fire)) && drain(c->efd[1]) == 1 &&
		       drain(c->efd[0]) == 0 && drain(c->efd[2]) == 0,
	       "SET_IRQS DATA_BOOL: only the vectors whose byte is set");
	errno = 0;
	result(set_irqs(c, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_DATA_EVENTFD,
			3, 2, bad, sizeof(bad)) && errno == EINVAL,
	       "SET_IRQS: vectors past the 4th are refused (EINVAL)");
	result(irq_count(c, VFIO_PCI_REQ_IRQ_INDEX) == 1,
	       "GET_IRQ_INFO: the request interrupt, one eventfd");
	c->req = eventfd(0, EFD_NONBLOCK);
	result(!set_irqs(c, VFIO_PCI_REQ_IRQ_INDEX, VFIO_IRQ_SET_DATA_EVENTFD,
			 0, 1, &c->req, sizeof(c->req)),
	       "SET_IRQS: request eventfd set");
}

static int map_dma_at(struct client *c, uint64_t iova)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)c->buf,
		.iova = iova,
		.size = BUF_SIZE,
	};

	return ioctl(c->container, VFIO_IOMMU_MAP_DMA, &m);
}

static int map_dma(struct client *c)
{
	return map_dma_at(c, IOVA);
}

static int unmap_dma(struct client *c)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = IOVA,
		.size = BUF_SIZE,
	};

	return ioctl(c->container, VFIO_IOMMU_UNMAP_DMA, &u);
}

static int all_bytes(const uint8_t *p, size_t len, uint8_t v)
{
	while (len--)
		if (*p++ != v)
			return 0;
	return 1;
}

/* write_gpa and read_gpa (vfio_dma_rw) on our buffer, with bad ranges. */
static void check_gpa(struct client *c)
{
	uint32_t sum = 0;
	int i;

	memset(c->buf, 0, BUF_SIZE);
	wr32(c, REG_PATTERN, 0xab);
	result(dev_cmd(c, OP_FILL, IOVA + 0xff0, 0x120) == 0 &&
		       all_bytes(c->buf + 0xff0, 0x120, 0xab) &&
		       c->buf[0xfef] == 0 && c->buf[0x1110] == 0,
	       "write_gpa: the device fills 0x120 bytes across a page, no more");
	for (i = 0; i < 300; i++) {
		c->buf[0x3000 + i] = (uint8_t)(i * 7);
		sum += (uint8_t)(i * 7);
	}
	result(dev_cmd(c, OP_SUM, IOVA + 0x3000, 300) == 0 &&
		       rd32(c, REG_RESULT) == sum,
	       "read_gpa: the device sums 300 bytes we wrote");
	result(dev_cmd(c, OP_FILL, IOVA + BUF_SIZE - 8, 16) == -EFAULT,
	       "write_gpa past the end of the DMA mapping: -EFAULT");
	result(dev_cmd(c, OP_SUM, 0x40000000, 4) == -EFAULT,
	       "read_gpa of an unmapped address: -EFAULT");
	result(dev_cmd(c, OP_SUM, IOVA, MAX_LEN + 1) == -EINVAL,
	       "a length past the device's limit is refused (-EINVAL)");
}

/* dma_map (vfio_pin_pages), a read through it, and the VMM's unmap. */
static void check_dma_map(struct client *c)
{
	uint32_t before, magic = 0xfeedf00d;
	int32_t st;

	memcpy(c->buf + 0x2010, &magic, 4);
	st = dev_cmd(c, OP_MAP, IOVA + 0x2000, 0);
	result(st == 0, "dma_map: the device maps a page of ours (vfio_pin_pages)");
	if (st)
		printf("    # status %d\n", st);
	result(dev_cmd(c, OP_PEEK, IOVA + 0x2010, 0) == 0 &&
		       rd32(c, REG_RESULT) == magic,
	       "the device reads through the mapping what we wrote");
	before = rd32(c, REG_INVALIDATED);
	result(!unmap_dma(c) && rd32(c, REG_INVALIDATED) == before + 1 &&
		       dev_cmd(c, OP_PEEK, IOVA + 0x2010, 0) == -ENOENT,
	       "VFIO_IOMMU_UNMAP_DMA invalidates the device's mapping");
	result(!map_dma(c) && dev_cmd(c, OP_SUM, IOVA + 0x2010, 4) == 0 &&
		       rd32(c, REG_RESULT) == 0xfe + 0xed + 0xf0 + 0x0d,
	       "mapped again: guest memory reachable again");
	result(dev_cmd(c, OP_TRACK, IOVA, 0) == -ENODEV,
	       "page tracking without a VM linked: -ENODEV");
}

/* Another party attaches to the open mdev (VFIO_CLIENT_HOOK). */
static void check_hook(struct client *c, const char *hook)
{
	int st;

	memcpy(c->buf + 0x5000, HOOK_MAGIC, sizeof(HOOK_MAGIC));
	memset(c->buf + 0x6000, 0, 64);
	st = system(hook);
	result(st == 0, "the hook succeeds while the device is open");
	printf("    # '%s': status %d\n", hook, st);
	result(!memcmp(c->buf + 0x6000, HOOK_WRITTEN, sizeof(HOOK_WRITTEN)),
	       "the hook's instance wrote our memory");
}

static void check_reopen(struct client *c)
{
	close(c->dev);
	result(!open_device(c) && !enable_decoding(c) &&
		       rd32(c, 0) == 0x5a5aa5a5,
	       "closed and opened again: BAR0 as we left it");
	result(!enable_msi(c, NVEC) &&
		       (wr32(c, REG_RAISE, 1), (int32_t)rd32(c, REG_STATUS) == -EIO) &&
		       drain(c->efd[1]) == 0,
	       "reopened: the old MSI eventfds are gone");
	result(dev_cmd(c, OP_SUM, IOVA + 0x2010, 4) == 0,
	       "reopened: guest memory reachable");
}

static void setup_buffer(struct client *c)
{
	c->buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	result(c->buf != MAP_FAILED && !map_dma(c),
	       "VFIO_IOMMU_MAP_DMA: 64 KiB of ours at IOVA 1 MiB");
}

static int full(int argc, char **argv)
{
	struct client c = { .uuid = argv[2] };
	const char *hook = getenv("VFIO_CLIENT_HOOK");
	const int planned = 38;

	printf("    KTAP version 1\n    # Subtest: vfio_client\n    1..%d\n",
	       planned + (argc > 5) + (hook ? 2 : 0));
	open_container(&c, argv[1]);
	result(!open_device(&c), "VFIO_GROUP_GET_DEVICE_FD (open: attach, activate)");
	if (c.dev < 0) {
		printf("    # no device: the rest cannot run\n");
		return 1;
	}
	check_basics(&c, strtoul(argv[3], NULL, 16), strtoul(argv[4], NULL, 16));
	check_msi(&c);
	setup_buffer(&c);
	check_gpa(&c);
	check_dma_map(&c);
	if (hook)
		check_hook(&c, hook);
	result(!ioctl(c.dev, VFIO_DEVICE_RESET), "VFIO_DEVICE_RESET");
	if (argc > 5) {
		int st = system(argv[5]);

		result(st != 0, "refused while the device is open");
		printf("    # '%s': status %d\n", argv[5], st);
	}
	check_reopen(&c);
	result(drain(c.req) == 0, "the request eventfd never fired");
	close(c.dev);
	close(c.group);
	close(c.container);
	return nfail ? 1 : 0;
}

static int wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/* Remove the mdev while the device is open, then close it. */
static int remove_open(char **argv)
{
	struct client c = { .uuid = argv[3] };
	char path[128];
	struct stat sb;
	pid_t pid;
	int st = -1;

	printf("    KTAP version 1\n    # Subtest: vfio_client_remove\n    1..10\n");
	open_container(&c, argv[2]);
	result(!open_device(&c), "VFIO_GROUP_GET_DEVICE_FD");
	c.req = eventfd(0, EFD_NONBLOCK);
	result(c.dev >= 0 && !set_irqs(&c, VFIO_PCI_REQ_IRQ_INDEX,
				       VFIO_IRQ_SET_DATA_EVENTFD, 0, 1, &c.req,
				       sizeof(c.req)),
	       "SET_IRQS: request eventfd set");
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", c.uuid);
	pid = fork();
	if (!pid) {	/* without our copy of the device fd, or it stays open */
		int fd;

		close(c.dev);
		close(c.req);
		fd = open(path, O_WRONLY);

		_exit(fd >= 0 && write(fd, "1", 1) == 1 ? 0 : 1);
	}
	result(pid > 0 && wait_readable(c.req, 20000) && drain(c.req) >= 1,
	       "remove while open: the request eventfd fires");
	result(pid > 0 && waitpid(pid, &st, WNOHANG) == 0,
	       "the remove waits for the device to be closed");
	close(c.dev);
	result(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		       !WEXITSTATUS(st),
	       "closed: the remove completes");
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", c.uuid);
	result(stat(path, &sb) && errno == ENOENT, "the mdev is gone");
	close(c.group);
	close(c.container);
	return nfail ? 1 : 0;
}

/* A VM with 64 KiB of RAM at 0 (c->buf), the group linked to it. */
static int kvm_vm(struct client *c, int *vcpu, struct kvm_run **run)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct kvm_userspace_memory_region mr = {
		.memory_size = BUF_SIZE, .userspace_addr = (uintptr_t)c->buf,
	};
	struct kvm_device_attr da = {
		.group = KVM_DEV_VFIO_GROUP, .attr = KVM_DEV_VFIO_GROUP_ADD,
		.addr = (uintptr_t)&c->group,
	};
	int kvm = open("/dev/kvm", O_RDWR), vm;
	long sz;

	vm = kvm < 0 ? -1 : ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0 || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) ||
	    ioctl(vm, KVM_CREATE_DEVICE, &cd) ||
	    ioctl(cd.fd, KVM_SET_DEVICE_ATTR, &da))
		return -1;
	*vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (*vcpu < 0 || sz <= 0)
		return -1;
	*run = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, *vcpu, 0);
	return *run == MAP_FAILED ? -1 : vm;
}

/* Real mode at 0x1000: mov byte [0x3000], @val; hlt.  The exit reason. */
static int kvm_write_once(int vcpu, struct kvm_run *run, uint8_t *ram,
			  uint8_t val)
{
	const uint8_t code[] = { 0xc6, 0x06, 0x00, 0x30, val, 0xf4 };
	struct kvm_sregs sr;
	struct kvm_regs r = { .rip = 0x1000, .rflags = 2 };

	memcpy(ram + 0x1000, code, sizeof(code));
	if (ioctl(vcpu, KVM_GET_SREGS, &sr))
		return -1;
	sr.cs.base = 0;
	sr.cs.selector = 0;
	sr.ds.base = 0;
	sr.ds.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sr) || ioctl(vcpu, KVM_SET_REGS, &r) ||
	    ioctl(vcpu, KVM_RUN, 0))
		return -1;
	return run->exit_reason;
}

static int kvm_track(char **argv)
{
	struct client c = { .uuid = argv[3] };
	struct kvm_userspace_memory_region gone = { .slot = 0 };
	struct kvm_run *run = NULL;
	int vm, vcpu = -1, exit;
	uint32_t n;

	printf("    KTAP version 1\n    # Subtest: vfio_client_kvm\n    1..18\n");
	open_container(&c, argv[2]);
	c.buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vm = kvm_vm(&c, &vcpu, &run);
	result(vm >= 0, "a KVM VM, its RAM, the group linked (KVM-VFIO device)");
	result(!map_dma_at(&c, 0), "VFIO_IOMMU_MAP_DMA: the VM's RAM at IOVA 0");
	result(!open_device(&c) && !enable_decoding(&c),
	       "the device opened with the VM linked");
	if (vm < 0 || c.dev < 0)
		return 1;
	result(dev_cmd(&c, OP_TRACK, 0x3000, 0) == 0,
	       "page tracking of guest RAM: 0");
	result(dev_cmd(&c, OP_TRACK, 0x100000, 0) == -EFAULT,
	       "page tracking outside every memslot: -EFAULT");
	n = rd32(&c, REG_TRACKED);
	exit = kvm_write_once(vcpu, run, c.buf, 0x55);
	result(exit == KVM_EXIT_HLT, "the vCPU wrote the page and halted");
	printf("    # exit %d\n", exit);
	result(c.buf[0x3000] == 0x55, "KVM emulated the write into RAM");
	result(rd32(&c, REG_TRACKED) == n + 1,
	       "the write reached the device (track_write -> mpt_page_track_write)");
	result(dev_cmd(&c, OP_UNTRACK, 0x3000, 0) == 0, "tracking removed");
	kvm_write_once(vcpu, run, c.buf, 0x66);
	result(c.buf[0x3000] == 0x66 && rd32(&c, REG_TRACKED) == n + 1,
	       "untracked: the next write is the guest's alone");
	result(dev_cmd(&c, OP_TRACK, 0x3000, 0) == 0, "tracked again");
	result(!ioctl(vm, KVM_SET_USER_MEMORY_REGION, &gone),
	       "the memslot deleted (KVM flushes the slot's tracking)");
	result(dev_cmd(&c, OP_UNTRACK, 0x3000, 0) == 0,
	       "untracking a flushed page is fine");
	result(dev_cmd(&c, OP_TRACK, 0x3000, 0) == -EFAULT,
	       "no memslot there any more: -EFAULT");
	close(c.dev);
	close(vcpu);
	close(vm);
	close(c.group);
	close(c.container);
	return nfail ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "remove"))
		return remove_open(argv);
	if (argc == 4 && !strcmp(argv[1], "kvm"))
		return kvm_track(argv);
	if (argc < 5) {
		fprintf(stderr,
			"usage: %s GROUP UUID VENDOR DEVICE [CMD]\n       %s remove|kvm GROUP UUID\n",
			argv[0], argv[0]);
		return 2;
	}
	return full(argc, argv);
}
