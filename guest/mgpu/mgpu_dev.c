// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mgpu bring-up: the PCI function, the info page, MSI, interrupts, reset.
 */
#include <mptrun_abi.h>

#include "mgpu/mgpu.h"
#include "mgpu/ppgtt.h"
#include "mgpu/pvinfo.h"
#include "rt/err.h"
#include "rt/idt.h"
#include "rt/lapic.h"
#include "rt/mem.h"
#include "rt/printf.h"

#define GGTT_GPA_PAGES (MGPU_GGTT_ENTRIES * 4 / 4096)

static int fail(struct mgpu *g, int err, const char *why)
{
	g->why = why;
	return err;
}

int mgpu_find(struct mgpu *g, unsigned int index)
{
	struct pci_dev *d = pci_find(MGPU_VENDOR_ID, MGPU_DEVICE_ID, index);
	const struct pci_bar *bar0;

	g->index = index;
	g->pci = d;
	if (!d)
		return fail(g, -ENODEV, "no such mgpu on the bus");
	bar0 = &d->bar[0];
	if ((d->class_rev >> 8) != MGPU_CLASS)
		return fail(g, -ENODEV, "wrong class code");
	if (!bar0->addr || bar0->io || bar0->size < MGPU_BAR0_SIZE)
		return fail(g, -ENODEV, "BAR0 is not a placed memory BAR of "
					"MGPU_BAR0_SIZE");
	g->mmio = bar0->addr;
	pci_enable(d);
	if (mgpu_read(g, MGPU_REG_ID) != MGPU_ID)
		return fail(g, -ENODEV, "ID register is not MGPU_ID");
	if ((mgpu_read(g, MGPU_REG_VERSION) >> 16) != (MGPU_VERSION >> 16))
		return fail(g, -ENODEV, "unknown major VERSION");
	return 0;
}

uint32_t mgpu_info_read32(const struct mgpu *g, uint32_t off)
{
	return mmio_read32(g->mmio + MGPU_PVINFO_OFFSET + off);
}

uint64_t mgpu_info_read64(const struct mgpu *g, uint32_t off)
{
	return mgpu_info_read32(g, off) |
	       (uint64_t)mgpu_info_read32(g, off + 4) << 32;
}

void mgpu_info_write32(const struct mgpu *g, uint32_t off, uint32_t v)
{
	mmio_write32(g->mmio + MGPU_PVINFO_OFFSET + off, v);
}

int mgpu_check_info(struct mgpu *g)
{
	uint32_t range = MPT_PVINFO_OFF_RANGES + MGPU_PVINFO_RANGE_GGTT *
					 sizeof(struct mpt_pvinfo_range);
	uint32_t ver = mgpu_info_read32(g, MPT_PVINFO_OFF_VERSION_MAJOR);

	if (mgpu_info_read64(g, MPT_PVINFO_OFF_MAGIC) != MPT_PVINFO_MAGIC)
		return fail(g, -EPROTO, "info page magic is not mptPVinf");
	if ((ver & 0xffff) != MPT_PVINFO_VERSION_MAJOR)
		return fail(g, -EPROTO, "info page major version unknown");
	g->instance_id = mgpu_info_read32(g, MPT_PVINFO_OFF_INSTANCE_ID);
	g->caps = mgpu_info_read32(g, MPT_PVINFO_OFF_CAPS);
	g->ggtt_base = mgpu_info_read64(g, range);
	g->ggtt_size = mgpu_info_read64(g, range + 8);
	if (!g->ggtt_size || (g->ggtt_base & 0xfff) || (g->ggtt_size & 0xfff) ||
	    g->ggtt_base > MGPU_GGTT_SPAN ||
	    g->ggtt_size > MGPU_GGTT_SPAN - g->ggtt_base)
		return fail(g, -EPROTO, "GGTT range empty, unaligned or "
					"beyond the GGTT");
	if (g->ggtt_size < 2 * 4096)
		return fail(g, -ENOSPC, "GGTT range too small");
	/* Page 0 of the range stays unmapped: GA 0 means "none". */
	g->ggtt_next = (uint32_t)g->ggtt_base + 4096;
	if (!g->ggtt_gpa)
		g->ggtt_gpa = page_alloc(GGTT_GPA_PAGES);
	if (!g->ggtt_gpa)
		return fail(g, -ENOMEM, "no memory for the GGTT record");
	return 0;
}

static void mgpu_irq(void *arg, uint8_t vector)
{
	struct mgpu *g = arg;
	uint32_t st = mgpu_read(g, MGPU_REG_IRQ_STATUS);

	(void)vector;
	mgpu_write(g, MGPU_REG_IRQ_STATUS, st); /* W1C */
	g->irqs++;
	g->irq_bits |= st;
	if (st & MGPU_IRQ_ERROR)
		g->irq_errors++;
}

int mgpu_setup_msi(struct mgpu *g, uint8_t vector, uint8_t apic_id)
{
	struct pci_dev *d = g->pci;
	uint8_t cap = pci_find_cap(d, PCI_CAP_ID_MSI);
	uint16_t flags;
	uint8_t data_off;

	if (!cap)
		return fail(g, -ENODEV, "no MSI capability");
	g->msi_cap = cap;
	g->vector = vector;
	irq_register(vector, mgpu_irq, g);
	flags = pci_read16(d, cap + PCI_MSI_FLAGS);
	/* One vector, disabled while it is being programmed. */
	flags &= ~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	pci_write16(d, cap + PCI_MSI_FLAGS, flags);
	pci_write32(d, cap + PCI_MSI_ADDRESS_LO,
		    MPTRUN_LAPIC_GPA | (uint32_t)apic_id << 12);
	if (flags & PCI_MSI_FLAGS_64BIT) {
		pci_write32(d, cap + PCI_MSI_ADDRESS_HI, 0);
		data_off = PCI_MSI_DATA_64;
	} else {
		data_off = PCI_MSI_DATA_32;
	}
	/* Fixed delivery, edge, the vector. */
	pci_write16(d, cap + data_off, vector);
	if (flags & PCI_MSI_FLAGS_MASKBIT)
		pci_write32(d, cap + (flags & PCI_MSI_FLAGS_64BIT ?
					      PCI_MSI_MASK_64 :
					      PCI_MSI_MASK_32), 0);
	pci_write16(d, cap + PCI_MSI_FLAGS, flags | PCI_MSI_FLAGS_ENABLE);
	pci_write16(d, PCI_COMMAND,
		    pci_read16(d, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	return 0;
}

int mgpu_start(struct mgpu *g)
{
	if (!g->status.ga && mgpu_bo_alloc(g, &g->status, 4096))
		return fail(g, -ENOMEM, "no memory or GAs for the status page");
	if (!g->ring.ga) {
		if (!g->ring_size)
			g->ring_size = MGPU_RING_DEFAULT;
		if (mgpu_bo_alloc(g, &g->ring, g->ring_size))
			return fail(g, -ENOMEM,
				    "no memory or GAs for the ring");
	}
	mgpu_ring_program(g);
	mgpu_write(g, MGPU_REG_CTRL, MGPU_CTRL_IRQ_ENABLE);
	return 0;
}

int mgpu_init(struct mgpu *g, unsigned int index, uint8_t vector)
{
	int r = mgpu_find(g, index);

	r = r ? r : mgpu_check_info(g);
	r = r ? r : mgpu_setup_msi(g, vector, 0);
	r = r ? r : mgpu_start(g);
	if (r)
		printf("# mgpu%u: %s (%s)\n", index, g->why, err_name(r));
	return r;
}

void mgpu_restore(struct mgpu *g)
{
	uint32_t first = (uint32_t)(g->ggtt_base >> 12);
	uint32_t last = g->ggtt_next >> 12, i;

	for (i = first; i < last; i++)
		if (g->ggtt_gpa[i])
			mgpu_ggtt_write(g, i, g->ggtt_gpa[i] | MGPU_PTE_VALID);
	g->ppgtt = NULL;
	mgpu_ring_program(g);
	mgpu_write(g, MGPU_REG_CTRL, MGPU_CTRL_IRQ_ENABLE);
}

void mgpu_reset(struct mgpu *g)
{
	mgpu_write(g, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	mgpu_restore(g);
}

void mgpu_notify_display_ready(const struct mgpu *g, int on)
{
	mgpu_info_write32(g, MPT_PVINFO_OFF_G2V_PAYLOAD, !!on);
	mgpu_info_write32(g, MPT_PVINFO_OFF_G2V_NOTIFY, MGPU_G2V_DISPLAY_READY);
}
