// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The kernel tier's VFIO client (guest/tests/mdev.sh): a small static
 * program that drives an mpt_mdev instance through the VFIO uAPI, as a
 * VMM would, and prints a KTAP subtest (indented by four) on stdout.
 *
 *   vfio_client GROUP UUID VENDOR DEVICE [CMD]
 *
 * GROUP: the IOMMU group number (/dev/vfio/GROUP); UUID: the mdev;
 * VENDOR, DEVICE: the PCI IDs the type presents (hex).  CMD, when given,
 * is run with /bin/sh while the device is open and must fail (e.g.
 * "rmmod mpt_mdev": refused while the device is in use).
 * Exit status 0 when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

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

int main(int argc, char **argv)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	struct vfio_region_info cfg, bar0;
	char path[64], irqbuf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *is = (struct vfio_irq_set *)irqbuf;
	uint16_t ids[2] = { 0, 0 }, cmd = 0;
	uint32_t val = 0x5a5aa5a5, back = 0;
	unsigned long vendor, device;
	int container, group, dev, efd, ok;
	const int planned = 15;

	if (argc < 5) {
		fprintf(stderr, "usage: %s GROUP UUID VENDOR DEVICE [CMD]\n",
			argv[0]);
		return 2;
	}
	vendor = strtoul(argv[3], NULL, 16);
	device = strtoul(argv[4], NULL, 16);
	printf("    KTAP version 1\n    # Subtest: vfio_client\n    1..%d\n",
	       planned + (argc > 5));

	container = open("/dev/vfio/vfio", O_RDWR);
	result(container >= 0 &&
		       ioctl(container, VFIO_GET_API_VERSION) == VFIO_API_VERSION &&
		       ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0,
	       "open /dev/vfio/vfio, API version, type1 extension");
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
	group = open(path, O_RDWR);
	result(group >= 0 && !ioctl(group, VFIO_GROUP_GET_STATUS, &gs) &&
		       (gs.flags & VFIO_GROUP_FLAGS_VIABLE),
	       "open the group, viable");
	result(!ioctl(group, VFIO_GROUP_SET_CONTAINER, &container),
	       "VFIO_GROUP_SET_CONTAINER");
	result(!ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU),
	       "VFIO_SET_IOMMU type1");
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[2]);
	result(dev >= 0, "VFIO_GROUP_GET_DEVICE_FD (open: attach, activate)");
	if (dev < 0) {
		printf("    # no device: the rest cannot run\n");
		return 1;
	}
	result(!ioctl(dev, VFIO_DEVICE_GET_INFO, &di) &&
		       (di.flags & VFIO_DEVICE_FLAGS_PCI) &&
		       di.num_regions >= VFIO_PCI_NUM_REGIONS &&
		       di.num_irqs >= VFIO_PCI_NUM_IRQS,
	       "VFIO_DEVICE_GET_INFO: a PCI device");
	printf("    # flags %#x, %u regions, %u irqs\n", di.flags,
	       di.num_regions, di.num_irqs);
	result(!region(dev, VFIO_PCI_CONFIG_REGION_INDEX, &cfg) &&
		       cfg.size == 256 &&
		       (cfg.flags & VFIO_REGION_INFO_FLAG_READ),
	       "GET_REGION_INFO: config space, 256 bytes");
	result(pread(dev, ids, 4, cfg.offset) == 4 && ids[0] == vendor &&
		       ids[1] == device,
	       "config space: vendor and device IDs of the type");
	printf("    # IDs %04x:%04x, expected %04lx:%04lx\n", ids[0], ids[1],
	       vendor, device);
	ok = pread(dev, &cmd, 2, cfg.offset + 4) == 2;
	cmd |= 0x2;	/* memory decoding */
	ok = ok && pwrite(dev, &cmd, 2, cfg.offset + 4) == 2;
	cmd = 0;
	ok = ok && pread(dev, &cmd, 2, cfg.offset + 4) == 2 && (cmd & 0x2);
	result(ok, "config space: enable memory decoding");
	result(!region(dev, VFIO_PCI_BAR0_REGION_INDEX, &bar0) &&
		       bar0.size > 0 &&
		       (bar0.flags & VFIO_REGION_INFO_FLAG_WRITE),
	       "GET_REGION_INFO: BAR0");
	printf("    # BAR0: %llu bytes at offset %#llx\n",
	       (unsigned long long)bar0.size,
	       (unsigned long long)bar0.offset);
	ok = pwrite(dev, &val, 4, bar0.offset) == 4 &&
	     pread(dev, &back, 4, bar0.offset) == 4 && back == val;
	result(ok, "BAR0: a register written reads back");
	printf("    # wrote %#x, read %#x\n", val, back);
	result(!region(dev, VFIO_PCI_NUM_REGIONS + 5, &bar0) ? 0 : errno == EINVAL,
	       "GET_REGION_INFO: a bad index is refused");
	ii.index = VFIO_PCI_MSI_IRQ_INDEX;
	result(!ioctl(dev, VFIO_DEVICE_GET_IRQ_INFO, &ii) &&
		       (ii.flags & VFIO_IRQ_INFO_EVENTFD) && ii.count >= 1,
	       "GET_IRQ_INFO: MSI, eventfd");
	efd = eventfd(0, EFD_NONBLOCK);
	is->argsz = sizeof(irqbuf);
	is->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	is->index = VFIO_PCI_MSI_IRQ_INDEX;
	is->start = 0;
	is->count = 1;
	memcpy(is->data, &efd, sizeof(efd));
	ok = efd >= 0 && !ioctl(dev, VFIO_DEVICE_SET_IRQS, is);
	if (ok) {	/* DATA_NONE: trigger it from the host side, as a test */
		uint64_t cnt = 0;

		is->argsz = sizeof(*is);
		is->flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
		ok = !ioctl(dev, VFIO_DEVICE_SET_IRQS, is) &&
		     read(efd, &cnt, sizeof(cnt)) == sizeof(cnt) && cnt == 1;
	}
	result(ok, "SET_IRQS: MSI trigger eventfd set, and signalled");
	result(!ioctl(dev, VFIO_DEVICE_RESET), "VFIO_DEVICE_RESET");
	if (argc > 5) {
		int st = system(argv[5]);

		result(st != 0, "refused while the device is open");
		printf("    # '%s': status %d\n", argv[5], st);
	}
	close(dev);
	close(group);
	close(container);
	if (efd >= 0)
		close(efd);
	return nfail ? 1 : 0;
}
