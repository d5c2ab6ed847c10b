// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * PCI configuration access (mechanism #1) and BAR placement.
 */
#include <mptrun_abi.h>

#include "rt/err.h"
#include "rt/io.h"
#include "rt/pci.h"
#include "rt/printf.h"
#include "rt/spinlock.h"

#define PCI_HDR_MULTIFN 0x80
#define PCI_HDR_TYPE_MASK 0x7f
#define PCI_HDR_BRIDGE 1
#define PCI_CAP_MAX 48 /* the most capabilities 192 bytes can hold */
#define PIO_WINDOW_END 0x10000 /* MPTRUN_PIO_WINDOW runs to 0xffff */

static struct pci_dev devs[PCI_MAX_DEVS];
static unsigned int nr_devs;
static uint32_t mmio_next = MPTRUN_MMIO_WINDOW;
static uint32_t pio_next = MPTRUN_PIO_WINDOW;

/* The address/data pair is one register pair for all CPUs. */
static struct spinlock cfg_lock = SPINLOCK_INIT;

static void cfg_addr(const struct pci_dev *d, uint8_t off)
{
	outl(MPTRUN_PCI_ADDR, 0x80000000u | (uint32_t)d->bus << 16 |
				      (uint32_t)d->dev << 11 |
				      (uint32_t)d->fn << 8 | (off & 0xfc));
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t off)
{
	uint32_t v;

	spin_lock(&cfg_lock);
	cfg_addr(d, off);
	v = inl(MPTRUN_PCI_DATA);
	spin_unlock(&cfg_lock);
	return v;
}

uint16_t pci_read16(const struct pci_dev *d, uint8_t off)
{
	uint16_t v;

	spin_lock(&cfg_lock);
	cfg_addr(d, off);
	v = inw(MPTRUN_PCI_DATA + (off & 2));
	spin_unlock(&cfg_lock);
	return v;
}

uint8_t pci_read8(const struct pci_dev *d, uint8_t off)
{
	uint8_t v;

	spin_lock(&cfg_lock);
	cfg_addr(d, off);
	v = inb(MPTRUN_PCI_DATA + (off & 3));
	spin_unlock(&cfg_lock);
	return v;
}

void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
	spin_lock(&cfg_lock);
	cfg_addr(d, off);
	outl(MPTRUN_PCI_DATA, v);
	spin_unlock(&cfg_lock);
}

void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	spin_lock(&cfg_lock);
	cfg_addr(d, off);
	outw(MPTRUN_PCI_DATA + (off & 2), v);
	spin_unlock(&cfg_lock);
}

void pci_write8(const struct pci_dev *d, uint8_t off, uint8_t v)
{
	spin_lock(&cfg_lock);
	cfg_addr(d, off);
	outb(MPTRUN_PCI_DATA + (off & 3), v);
	spin_unlock(&cfg_lock);
}

/* Place @size bytes, aligned to @size, at *@next below @end. */
static uint32_t window_alloc(uint32_t *next, uint32_t end, uint32_t size)
{
	uint32_t base = (*next + size - 1) & ~(size - 1);

	if (base < *next || base > end || end - base < size)
		return 0;
	*next = base + size;
	return base;
}

/* Sizes BAR @i and places it; returns how many BAR slots it used. */
static int bar_setup(struct pci_dev *d, int i)
{
	uint8_t off = PCI_BAR0 + 4 * i;
	uint32_t orig = pci_read32(d, off), probe, mask, size;
	struct pci_bar *b = &d->bar[i];
	int slots = 1;

	pci_write32(d, off, 0xffffffffu);
	probe = pci_read32(d, off);
	pci_write32(d, off, orig);
	b->io = probe & PCI_BAR_IO;
	if (b->io) {
		mask = probe & ~3u & 0xffff;
	} else {
		b->is64 = (probe & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_64;
		b->prefetch = !!(probe & PCI_BAR_PREFETCH);
		mask = probe & ~0xfu;
		if (b->is64 && i + 1 < PCI_NR_BARS) {
			slots = 2;
			pci_write32(d, off + 4, 0); /* below 4 GiB */
		}
	}
	if (!mask)
		return slots; /* not implemented */
	size = (mask & -mask); /* the lowest writable bit is the size */
	b->size = size;
	if (b->io)
		b->addr = window_alloc(&pio_next, PIO_WINDOW_END, size);
	else
		b->addr = window_alloc(&mmio_next, MPTRUN_MMIO_WINDOW_END,
				       size);
	if (!b->addr)
		return -ENOSPC;
	pci_write32(d, off, b->addr);
	return slots;
}

static int function_setup(struct pci_dev *d)
{
	int nbars = (d->hdr_type & PCI_HDR_TYPE_MASK) == PCI_HDR_BRIDGE ? 2 :
		    (d->hdr_type & PCI_HDR_TYPE_MASK) ? 0 : PCI_NR_BARS;
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	int i, n;

	/* No decoding while BARs hold sizing patterns or move. */
	pci_write16(d, PCI_COMMAND,
		    cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (i = 0; i < nbars; i += n) {
		n = bar_setup(d, i);
		if (n < 0)
			return n;
	}
	return 0;
}

static int probe(uint8_t dev, uint8_t fn)
{
	struct pci_dev *d = &devs[nr_devs];
	uint32_t id;

	d->bus = 0;
	d->dev = dev;
	d->fn = fn;
	id = pci_read32(d, PCI_VENDOR_ID);
	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return 0;
	d->vendor = id & 0xffff;
	d->device = id >> 16;
	d->class_rev = pci_read32(d, PCI_CLASS_REVISION);
	d->hdr_type = pci_read8(d, PCI_HEADER_TYPE);
	if (function_setup(d))
		return -ENOSPC;
	nr_devs++;
	return 1;
}

int pci_scan(void)
{
	uint8_t dev, fn;
	int r;

	for (dev = 0; dev < 32 && nr_devs < PCI_MAX_DEVS; dev++) {
		r = probe(dev, 0);
		if (r < 0)
			return r;
		if (!r || !(devs[nr_devs - 1].hdr_type & PCI_HDR_MULTIFN))
			continue;
		for (fn = 1; fn < 8 && nr_devs < PCI_MAX_DEVS; fn++)
			if (probe(dev, fn) < 0)
				return -ENOSPC;
	}
	return (int)nr_devs;
}

unsigned int pci_count(void)
{
	return nr_devs;
}

struct pci_dev *pci_get(unsigned int i)
{
	return i < nr_devs ? &devs[i] : NULL;
}

struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned int index)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++)
		if (devs[i].vendor == vendor && devs[i].device == device &&
		    !index--)
			return &devs[i];
	return NULL;
}

void pci_enable(struct pci_dev *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND) | PCI_COMMAND_MASTER;
	int i;

	for (i = 0; i < PCI_NR_BARS; i++) {
		if (!d->bar[i].addr)
			continue;
		cmd |= d->bar[i].io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	pci_write16(d, PCI_COMMAND, cmd);
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id)
{
	uint8_t pos;
	int guard = PCI_CAP_MAX;

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pci_read8(d, PCI_CAP_PTR) & 0xfc;
	while (pos >= 0x40 && guard--) {
		if (pci_read8(d, pos) == id)
			return pos;
		pos = pci_read8(d, pos + 1) & 0xfc;
	}
	return 0;
}
